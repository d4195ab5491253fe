"""The data-list pages: decrees and items, per persona (see tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satudata.audit.models import AuditEntry
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataListDecree
from satudata.catalog.services import breakdown_ensure
from tests.conftest import use_language
from tests.factories import SYSTEM, DataItemFactory, DecreeFactory, TopicFactory

OPEN, LIMITED, CLOSED = Accessibility.OPEN, Accessibility.LIMITED, Accessibility.CLOSED
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded decrees land in a per-test folder, never in the developer's data directory.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def health_items(health, decree):
    """One item of the health agency per accessibility class."""
    return {
        cls: DataItemFactory(
            decree=decree, agency=health, accessibility=cls, name=f"Kesehatan {cls}"
        )
        for cls in (OPEN, LIMITED, CLOSED)
    }


@pytest.fixture
def education_item(education, decree):
    return DataItemFactory(decree=decree, agency=education, name="Jumlah sekolah dasar")


def listed_names(response) -> set[str]:
    return {item.name for item in response.context["page"].object_list}


def item_post_data(decree, agency, **overrides) -> dict:
    """A complete, valid item form as a browser would send it."""
    data = {
        "decree": decree.pk,
        "code": "DD-9001",
        "name": "Jumlah balita gizi buruk",
        "agency": agency.pk,
        "data_type": "statistic",
        "kind": "indicator",
        "definition": "Balita dengan berat badan menurut tinggi di bawah -3 SD.",
        "unit": "anak",
        "periodicity": "annual",
        "level": "district",
        "accessibility": OPEN,
        "accessibility_reason": "",
        "concept": "Status gizi",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ access


@pytest.mark.parametrize(
    "name,args",
    [
        ("decree-list", []),
        ("decree-create", []),
        ("decree-detail", [1]),
        ("decree-edit", [1]),
        ("item-list", []),
        ("item-create", []),
        ("item-detail", [1]),
        ("item-edit", [1]),
    ],
)
def test_it_redirects_anonymous_visitors_to_login(client, db, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["operator", "head", "supervisor"])
def test_it_refuses_the_forms_to_those_who_only_read(request, login, decree, health, persona):
    item = DataItemFactory(decree=decree, agency=health)
    client = login(request.getfixturevalue(persona))
    for url in (
        reverse("decree-create"),
        reverse("decree-edit", args=[decree.pk]),
        reverse("item-create"),
        reverse("item-edit", args=[item.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_it_refuses_a_producer_posting_to_create_or_edit(login, operator, decree, health):
    item = DataItemFactory(decree=decree, agency=health, unit="orang")
    client = login(operator)
    audit_rows = AuditEntry.objects.count()

    created = client.post(reverse("item-create"), item_post_data(decree, health))
    edited = client.post(
        reverse("item-edit", args=[item.pk]), item_post_data(decree, health, unit="jiwa")
    )
    new_decree = client.post(
        reverse("decree-create"),
        {"number": "X/1", "title": "T", "decree_date": "2026-01-02", "year": 2026},
    )
    changed_decree = client.post(
        reverse("decree-edit", args=[decree.pk]),
        {"number": "X/2", "title": "T", "decree_date": "2026-01-02", "year": 2026},
    )

    assert [r.status_code for r in (created, edited, new_decree, changed_decree)] == [403] * 4
    item.refresh_from_db()
    decree.refresh_from_db()
    assert item.unit == "orang"
    assert decree.number != "X/2"
    assert not DataItem.objects.filter(code="DD-9001").exists()
    assert not DataListDecree.objects.filter(number="X/1").exists()
    assert AuditEntry.objects.count() == audit_rows


# ------------------------------------------------------------------ decrees


def test_the_decree_list_counts_items_by_class(login, walidata, decree, health_items):
    response = login(walidata).get(reverse("decree-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert decree.number in html
    assert reverse("decree-create") in html
    (row,) = response.context["rows"]
    assert row[1] == {"open": 1, "limited": 1, "closed": 1, "total": 3}


def test_the_decree_list_does_not_count_another_agencys_closed_items(
    login, other_operator, decree, health_items
):
    response = login(other_operator).get(reverse("decree-list"))
    (row,) = response.context["rows"]
    assert row[1]["closed"] == 0 and row[1]["total"] == 2
    # Reading is not managing: no "new decree" for a producer.
    assert reverse("decree-create") not in response.content.decode()


def test_the_decree_list_shows_dates_and_years_in_the_active_locale(login, walidata, decree):
    client = login(walidata)
    indonesian = client.get(reverse("decree-list")).content.decode()
    english = use_language(client, "en").get(reverse("decree-list")).content.decode()
    assert "<td>15 Jan" in indonesian and "15, 2026" not in indonesian
    assert "15, 2026</td>" in english
    # A year is a label, not a quantity: never "2.026".
    assert "2.026" not in indonesian and "<td>2026</td>" in indonesian


def test_counts_use_the_locales_thousand_separator(login, walidata, decree, monkeypatch):
    counts = {decree.pk: {"open": 1234, "limited": 0, "closed": 0, "total": 1234}}
    monkeypatch.setattr("satudata.catalog.views.decree_item_counts_for", lambda user: counts)
    client = login(walidata)
    assert "1.234" in client.get(reverse("decree-list")).content.decode()
    assert "1,234" in use_language(client, "en").get(reverse("decree-list")).content.decode()


def test_the_decree_page_shows_its_items_and_the_walidata_buttons(
    login, walidata, decree, health_items
):
    response = login(walidata).get(reverse("decree-detail", args=[decree.pk]))
    html = response.content.decode()
    assert listed_names(response) == {i.name for i in health_items.values()}
    assert reverse("decree-import", args=[decree.pk]) in html
    assert reverse("decree-edit", args=[decree.pk]) in html


def test_the_decree_page_hides_buttons_and_closed_items_of_others(
    login, other_operator, decree, health_items, education_item
):
    client = login(other_operator)
    response = client.get(reverse("decree-detail", args=[decree.pk]), {"scope": "all"})
    html = response.content.decode()
    assert health_items[CLOSED].name not in html
    assert health_items[OPEN].name in html
    assert reverse("decree-import", args=[decree.pk]) not in html
    assert reverse("decree-edit", args=[decree.pk]) not in html


def test_walidata_registers_a_decree_with_its_signed_pdf(login, walidata):
    response = login(walidata).post(
        reverse("decree-create"),
        {
            "number": "188.45/77/35.09.325/2026",
            "title": "Daftar Data 2026",
            "decree_date": "2026-01-20",
            "year": "2026",
            "note": "Revisi pertama",
            "document": SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"),
        },
    )
    decree = DataListDecree.objects.get(number="188.45/77/35.09.325/2026")
    assert response.status_code == 302
    assert response.url == reverse("decree-detail", args=[decree.pk])
    assert decree.document.name.startswith("decrees/")
    assert decree.document.read() == PDF
    entry = AuditEntry.objects.get(action="decree_create", target_id=str(decree.pk))
    assert entry.actor == walidata


def test_it_refuses_a_signed_document_that_is_not_a_pdf(login, walidata):
    response = login(walidata).post(
        reverse("decree-create"),
        {
            "number": "188.45/78/35.09.325/2026",
            "title": "Daftar Data 2026",
            "decree_date": "2026-01-20",
            "year": "2026",
            # Named and typed as a PDF, but its content says otherwise.
            "document": SimpleUploadedFile(
                "sk.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert 'value="188.45/78/35.09.325/2026"' in response.content.decode()
    assert not DataListDecree.objects.exists()


def test_it_refuses_a_signed_document_above_the_size_limit(login, walidata, settings):
    settings.MAX_UPLOAD_BYTES = 64
    response = login(walidata).post(
        reverse("decree-create"),
        {
            "number": "188.45/79/35.09.325/2026",
            "title": "Daftar Data 2026",
            "decree_date": "2026-01-20",
            "year": "2026",
            "document": SimpleUploadedFile("sk.pdf", PDF + b"0" * 100),
        },
    )
    assert response.status_code == 200
    assert "64" in str(response.context["form"].errors["document"])
    assert not DataListDecree.objects.exists()


def test_walidata_edits_a_decree_and_keeps_its_document(login, walidata):
    decree = DecreeFactory(document=SimpleUploadedFile("sk.pdf", PDF))
    stored = decree.document.name
    response = login(walidata).post(
        reverse("decree-edit", args=[decree.pk]),
        {
            "number": decree.number,
            "title": "Judul baru",
            "decree_date": "2026-01-15",
            "year": "2026",
        },
    )
    assert response.status_code == 302
    decree.refresh_from_db()
    assert decree.title == "Judul baru"
    assert decree.document.name == stored
    entry = AuditEntry.objects.get(action="decree_update", target_id=str(decree.pk))
    assert entry.actor == walidata
    assert [c[0] for c in entry.changes] == ["title"]


def test_a_duplicate_decree_number_is_shown_on_the_form(login, walidata, decree):
    response = login(walidata).post(
        reverse("decree-create"),
        {"number": decree.number, "title": "Lain", "decree_date": "2026-02-01", "year": "2026"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert DataListDecree.objects.count() == 1


def test_a_service_refusal_is_shown_on_the_form_with_the_input_kept(login, walidata, monkeypatch):
    def refuse(**fields):
        # As if another user took the number between the form's check and the write.
        raise ValidationError({"number": ["Taken meanwhile."], "created_at": ["Clock skew."]})

    monkeypatch.setattr("satudata.catalog.services.decree_create", refuse)
    response = login(walidata).post(
        reverse("decree-create"),
        {"number": "SK/9", "title": "Judul", "decree_date": "2026-02-01", "year": "2026"},
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["number"] == ["Taken meanwhile."]
    assert form.non_field_errors() == ["Clock skew."]
    assert 'value="Judul"' in response.content.decode()


# ------------------------------------------------------------------ item list


def test_a_producer_lands_on_his_own_agencys_items_closed_ones_included(
    login, operator, health_items, education_item
):
    response = login(operator).get(reverse("item-list"))
    assert listed_names(response) == {i.name for i in health_items.values()}


def test_another_agencys_producer_never_sees_its_closed_item_in_the_list(
    login, other_operator, health_items, education_item
):
    client = login(other_operator)
    own = client.get(reverse("item-list"))
    everything = client.get(reverse("item-list"), {"scope": "all"})
    assert listed_names(own) == {education_item.name}
    assert listed_names(everything) == {
        education_item.name,
        health_items[OPEN].name,
        health_items[LIMITED].name,
    }
    # Not even by searching for it by name or code.
    searched = client.get(reverse("item-list"), {"scope": "all", "q": health_items[CLOSED].code})
    assert listed_names(searched) == set()


def test_the_supervisor_sees_every_item_including_closed_ones(
    login, supervisor, health_items, education_item
):
    response = login(supervisor).get(reverse("item-list"))
    assert len(listed_names(response)) == 4
    assert '<span class="badge closed">' in response.content.decode()


def test_choosing_an_agency_shows_that_agencys_items_to_a_producer(
    login, other_operator, health, health_items, education_item
):
    response = login(other_operator).get(reverse("item-list"), {"agency": health.pk})
    assert listed_names(response) == {health_items[OPEN].name, health_items[LIMITED].name}
    # The scope select says what is shown, so submitting the form again keeps the result.
    assert '<option value="all" selected>' in response.content.decode()


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"accessibility": LIMITED}, {"Kesehatan limited"}),
        ({"q": "sekolah"}, {"Jumlah sekolah dasar"}),
        ({"q": "gizi"}, {"Kesehatan open"}),  # matched on its tags
        ({"periodicity": "monthly"}, {"Kesehatan closed"}),
        ({"level": "village"}, {"Kesehatan closed"}),
        ({"year": "2025"}, {"Lama 2025"}),
    ],
)
def test_the_item_list_filters(login, walidata, health_items, education_item, params, expected):
    DataItem.objects.filter(pk=health_items[OPEN].pk).update(tags="gizi, balita")
    DataItem.objects.filter(pk=health_items[CLOSED].pk).update(
        periodicity="monthly", level="village"
    )
    old = DecreeFactory(year=2025, number="188.45/1/2025")
    DataItemFactory(decree=old, agency=education_item.agency, name="Lama 2025")
    response = login(walidata).get(reverse("item-list"), params)
    assert listed_names(response) == expected


def test_the_item_list_filters_by_decree_and_topic(login, walidata, decree, health, education):
    topic = TopicFactory(name="Kesehatan", slug="kesehatan")
    other = DecreeFactory(year=2025)
    DataItemFactory(decree=decree, agency=health, topic=topic, name="A")
    DataItemFactory(decree=decree, agency=health, name="B")
    DataItemFactory(decree=other, agency=education, topic=topic, name="C")
    client = login(walidata)
    assert listed_names(client.get(reverse("item-list"), {"topic": topic.pk})) == {"A", "C"}
    assert listed_names(client.get(reverse("item-list"), {"decree": other.pk})) == {"C"}


def test_an_unknown_filter_value_is_ignored_not_an_error(login, walidata, health_items):
    response = login(walidata).get(reverse("item-list"), {"decree": "999999", "year": "abc"})
    assert response.status_code == 200
    assert len(listed_names(response)) == 3


def test_the_item_list_pages_by_fifty(login, walidata, decree, health):
    for n in range(53):
        DataItemFactory(decree=decree, agency=health, code=f"P-{n:03d}")
    client = login(walidata)
    first = client.get(reverse("item-list"))
    second = client.get(reverse("item-list"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 3
    assert "page=2" in first.content.decode()


def test_the_item_list_needs_the_same_queries_for_many_items(
    login, walidata, decree, health, education, django_assert_max_num_queries
):
    client = login(walidata)
    topic = TopicFactory()
    DataItemFactory(decree=decree, agency=health, topic=topic)
    client.get(reverse("item-list"))  # warm the per-process caches (region name)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("item-list"))
    for n in range(60):
        DataItemFactory(
            decree=decree, agency=health if n % 2 else education, topic=topic, code=f"Q-{n:03d}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("item-list"))
    assert len(response.context["page"].object_list) == 50


# ------------------------------------------------------------------ item page


def test_a_closed_item_of_another_agency_is_not_found_for_a_producer(
    login, other_operator, health_items
):
    client = login(other_operator)
    assert client.get(reverse("item-detail", args=[health_items[CLOSED].pk])).status_code == 404
    assert client.get(reverse("item-detail", args=[health_items[LIMITED].pk])).status_code == 200


@pytest.mark.parametrize("persona", ["supervisor", "operator", "head", "walidata", "admin_user"])
def test_a_closed_item_is_shown_to_those_who_may_know_it(request, login, health_items, persona):
    client = login(request.getfixturevalue(persona))
    response = client.get(reverse("item-detail", args=[health_items[CLOSED].pk]))
    assert response.status_code == 200
    assert "UU 14/2008 pasal 17" in response.content.decode()


def test_the_item_page_shows_every_group_with_breakdowns_and_completeness(
    login, walidata, decree, health
):
    sex = breakdown_ensure(actor=SYSTEM, name="Jenis kelamin", slug="sex", categories=["L", "P"])
    item = DataItemFactory(
        decree=decree,
        agency=health,
        breakdowns=[sex],
        concept="Konsep gizi",
        alias="gizi_buruk",
        sdi_url="https://data.go.id/dataset/gizi",
        accessibility=LIMITED,
    )
    response = login(walidata, language="en").get(reverse("item-detail", args=[item.pk]))
    html = response.content.decode()
    for legend in ("Daftar Data", "Accessibility", "MS Indikator", "MS Variabel", "Links"):
        assert legend in html
    assert "Jenis kelamin</strong>: L, P" in html
    assert "Konsep gizi" in html and "gizi_buruk" in html
    assert 'href="https://data.go.id/dataset/gizi"' in html
    assert '<span class="badge limited">' in html
    assert f"{item.metadata_completeness}%" in html
    assert reverse("item-edit", args=[item.pk]) in html


def test_the_item_page_offers_no_edit_button_to_a_producer(login, operator, health_items):
    item = health_items[OPEN]
    html = login(operator).get(reverse("item-detail", args=[item.pk])).content.decode()
    assert reverse("item-edit", args=[item.pk]) not in html


# ------------------------------------------------------------------ item form


def test_the_item_form_groups_its_fields(login, walidata, decree):
    client = login(walidata, language="en")
    html = client.get(reverse("item-create"), {"decree": decree.pk}).content.decode()
    for legend in ("Daftar Data", "Accessibility", "MS Indikator", "MS Variabel", "Links"):
        assert f"<legend>{legend}</legend>" in html
    assert f'<option value="{decree.pk}" selected>' in html


def test_walidata_creates_an_item_with_breakdowns_and_it_is_audited(
    login, walidata, decree, health
):
    sex = breakdown_ensure(actor=SYSTEM, name="Jenis kelamin", slug="sex", categories=["L", "P"])
    response = login(walidata).post(
        reverse("item-create"), item_post_data(decree, health, breakdowns=[sex.pk])
    )
    item = DataItem.objects.get(code="DD-9001")
    assert response.status_code == 302
    assert response.url == reverse("item-detail", args=[item.pk])
    assert list(item.breakdowns.all()) == [sex]
    entry = AuditEntry.objects.get(action="item_create", target_id=str(item.pk))
    assert entry.actor == walidata and entry.after["breakdowns"] == [sex.pk]


def test_a_limited_item_without_reason_is_refused_and_the_form_keeps_the_input(
    login, walidata, decree, health
):
    response = login(walidata, language="en").post(
        reverse("item-create"),
        item_post_data(decree, health, accessibility=LIMITED, name="Data pasien TBC"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["accessibility_reason"]
    # The error sits in the reason field's own block, next to it.
    block = html.split('id="field-accessibility_reason"')[1].split('id="field-')[0]
    assert "Limited and closed data need their legal reason." in block
    assert 'value="Data pasien TBC"' in html
    assert '<option value="limited" selected>' in html
    assert not DataItem.objects.exists()
    assert not AuditEntry.objects.filter(action="item_create").exists()


def test_a_duplicate_code_in_the_same_decree_is_refused(login, walidata, decree, health):
    DataItemFactory(decree=decree, agency=health, code="DD-9001")
    response = login(walidata).post(reverse("item-create"), item_post_data(decree, health))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert DataItem.objects.count() == 1


def test_walidata_reclassifies_an_item_and_it_is_recorded_as_a_classification(
    login, walidata, decree, health
):
    item = DataItemFactory(decree=decree, agency=health, code="DD-9001")
    client = login(walidata)
    form_page = client.get(reverse("item-edit", args=[item.pk]))
    assert 'value="DD-9001"' in form_page.content.decode()

    response = client.post(
        reverse("item-edit", args=[item.pk]),
        item_post_data(
            decree, health, accessibility=CLOSED, accessibility_reason="UU 14/2008 pasal 17 h"
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.accessibility == CLOSED
    entry = AuditEntry.objects.get(action="item_classify", target_id=str(item.pk))
    assert entry.actor == walidata
    assert (entry.before["accessibility"], entry.after["accessibility"]) == (OPEN, CLOSED)


def test_an_edit_that_changes_nothing_writes_no_audit_row(login, walidata, decree, health):
    client = login(walidata)
    client.post(reverse("item-create"), item_post_data(decree, health))
    item = DataItem.objects.get(code="DD-9001")
    response = client.post(reverse("item-edit", args=[item.pk]), item_post_data(decree, health))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action__in=["item_update", "item_classify"]).exists()


def test_the_signed_decree_is_served_to_signed_in_users_only(client, login, operator):
    decree = DecreeFactory(document=SimpleUploadedFile("sk.pdf", PDF))
    url = reverse("decree-document", args=[decree.pk])
    assert client.get(url).status_code == 302  # to the login page
    response = login(operator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_decree_without_document_has_no_download(login, operator, decree):
    assert login(operator).get(reverse("decree-document", args=[decree.pk])).status_code == 404
