"""The interface speaks Bahasa Indonesia by default, English on request, with no gaps."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

import satudata

LOCALE = Path(satudata.__file__).parent / "locale"


def test_the_indonesian_catalog_translates_every_string():
    po = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:10]}"


def test_the_compiled_catalog_matches_its_source():
    po = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid: e.msgstr for e in po.translated_entries() if not e.msgid_plural} == {
        e.msgid: e.msgstr for e in mo if not e.msgid_plural and e.msgid
    }


@pytest.mark.django_db
def test_pages_are_indonesian_by_default_and_english_on_request(client):
    page = client.get("/app/account/login/").content.decode()
    assert 'lang="id"' in page and "Masuk" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/app/account/login/"})
    page = client.get("/app/account/login/").content.decode()
    assert 'lang="en"' in page and "Log in" in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_the_user_chooses(client):
    page = client.get("/app/account/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in page.content.decode()
    assert page["Content-Language"] == "id"
