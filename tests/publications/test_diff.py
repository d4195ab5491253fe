"""What changed between two versions: word-level text, line-level blocks, nothing unescaped."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from satudata.publications.diff import (
    DEL,
    INS,
    SAME,
    block_lines,
    body_text,
    text_segments,
    version_diff,
)
from tests.factories import DataItemFactory


def _version(**fields):
    base = {"title": "", "body": "", "caption": "", "hashtags": "", "blocks": []}
    return SimpleNamespace(**(base | fields))


def test_a_changed_word_is_one_deletion_and_one_insertion():
    assert text_segments("AKI turun 80 persen", "AKI turun 75 persen") == [
        (SAME, "AKI turun "),
        (DEL, "80"),
        (INS, "75"),
        (SAME, " persen"),
    ]


def test_identical_texts_have_no_change():
    segments = text_segments("sama saja", "sama saja")
    assert segments == [(SAME, "sama saja")]


def test_the_body_is_compared_as_the_reader_sees_it():
    html = (
        "<p>Satu &amp; dua</p><ul><li>a</li><li>b</li></ul>"
        "<table><tr><th>x</th> <td>y</td></tr></table>"
    )
    assert body_text(html) == "Satu & dua\n• a\n• b\nx | y"


def test_a_first_version_shows_everything_as_added():
    diff = version_diff(None, _version(title="Judul", body="<p>Isi</p>"))
    by_name = {d.name: d for d in diff}
    assert by_name["title"].segments == [(INS, "Judul")]
    assert by_name["body"].segments == [(INS, "Isi")]
    assert not by_name["caption"].changed and not by_name["blocks"].changed


def test_only_changed_fields_are_marked_changed():
    old = _version(title="Judul", body="<p>Isi lama</p>", hashtags="#Jember")
    new = _version(title="Judul", body="<p>Isi baru</p>", hashtags="#Jember")
    changed = {d.name for d in version_diff(old, new) if d.changed}
    assert changed == {"body"}


def test_blocks_are_compared_as_lines_naming_the_item(db):
    item = DataItemFactory(code="DD-9", name="Cakupan imunisasi")
    table = {"kind": "table", "item": item.pk, "period": "2025", "breakdown": "", "chart": ""}
    chart = {
        "kind": "chart",
        "item": item.pk,
        "period": "2025",
        "chart": "bar",
        "title": "Per kec.",
    }
    with translation.override("en"):
        assert block_lines([chart]) == ["Chart (bar) · DD-9 Cakupan imunisasi · 2025 · Per kec."]
        old, new = _version(blocks=[table]), _version(blocks=[chart])
        blocks = {d.name: d for d in version_diff(old, new)}
    assert [kind for kind, _text in blocks["blocks"].segments] == [DEL, INS]
    assert blocks["blocks"].segments[0][1].startswith("Table · DD-9")


def test_markup_in_a_field_stays_text_in_the_segments():
    # The template escapes segments; here the text keeps "<" as typed, never as a tag it built.
    diff = version_diff(_version(caption="a"), _version(caption="a <b>b</b>"))
    caption = next(d for d in diff if d.name == "caption")
    assert "".join(text for kind, text in caption.segments if kind == INS) == " <b>b</b>"
