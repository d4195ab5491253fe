"""SOP step 2 page: the decree's list grouped by accessibility, its counts, filters and print."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from satudata.catalog.choices import Accessibility, Periodicity
from tests.factories import DataItemFactory, DecreeFactory, TopicFactory

OPEN, LIMITED, CLOSED = Accessibility.OPEN, Accessibility.LIMITED, Accessibility.CLOSED


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Autouse runs before the persona fixtures: users are made and logged in with a cheap hash
    # (the real one costs about a second per login on a busy machine).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roads(db):
    return TopicFactory(name="Infrastruktur", slug="infrastruktur")


@pytest.fixture
def data_list(decree, health, education, roads):
    """Health: 2 open, 1 limited, 1 closed; education: 1 open (monthly, roads topic), 1 closed."""
    make = DataItemFactory
    return {
        "h_open1": make(decree=decree, agency=health, code="KES-01", name="Jumlah Puskesmas"),
        "h_open2": make(decree=decree, agency=health, code="KES-02", name="Jumlah Dokter"),
        "h_limited": make(
            decree=decree, agency=health, code="KES-03", name="Kasus TBC", accessibility=LIMITED
        ),
        "h_closed": make(
            decree=decree, agency=health, code="KES-04", name="Pasien HIV", accessibility=CLOSED
        ),
        "e_open": make(
            decree=decree,
            agency=education,
            code="PDK-01",
            name="Jumlah Sekolah Rusak",
            topic=roads,
            periodicity=Periodicity.MONTHLY,
        ),
        "e_closed": make(
            decree=decree,
            agency=education,
            code="PDK-02",
            name="Data Siswa Berkebutuhan Khusus",
            accessibility=CLOSED,
            accessibility_reason="UU 14/2008 pasal 17 huruf h",
        ),
    }


def _codes(section) -> list[str]:
    return [row["code"] for row in section["rows"]]


def _sections(response) -> dict[str, list[str]]:
    return {s["key"]: _codes(s) for s in response.context["sections"]}


def test_it_groups_the_list_into_the_three_classes_with_counts(login, walidata, data_list):
    response = login(walidata).get("/app/step-2/")
    assert response.status_code == 200
    assert _sections(response) == {
        OPEN: ["KES-01", "KES-02", "PDK-01"],
        LIMITED: ["KES-03"],
        CLOSED: ["KES-04", "PDK-02"],
    }
    assert response.context["counts"] == {OPEN: 3, LIMITED: 1, CLOSED: 2, "total": 6}
    assert response.context["percents"] == {OPEN: 50.0, LIMITED: 16.7, CLOSED: 33.3}
    html = response.content.decode()
    assert "UU 14/2008 pasal 17 huruf h" in html  # the legal reason of restricted rows
    assert html.index('id="class-open"') < html.index('id="class-limited"')
    assert html.index('id="class-limited"') < html.index('id="class-closed"')


def test_it_counts_by_agency_and_sorts_on_request(login, walidata, data_list):
    client = login(walidata)
    rows = client.get("/app/step-2/").context["agency_rows"]
    assert [
        (r["agency__name"], r["open"], r["limited"], r["closed"], r["total"]) for r in rows
    ] == [
        ("Dinas Kesehatan", 2, 1, 1, 4),
        ("Dinas Pendidikan", 1, 0, 1, 2),
    ]
    by_total_asc = client.get("/app/step-2/", {"sort": "total"}).context["agency_rows"]
    assert [r["agency__name"] for r in by_total_asc] == ["Dinas Pendidikan", "Dinas Kesehatan"]
    by_name_desc = client.get("/app/step-2/", {"sort": "-agency"}).context["agency_rows"]
    assert [r["agency__name"] for r in by_name_desc] == ["Dinas Pendidikan", "Dinas Kesehatan"]


def test_it_ignores_an_unknown_sort(login, walidata, data_list):
    response = login(walidata).get("/app/step-2/", {"sort": "password"})
    assert response.status_code == 200
    assert response.context["sort"] == "agency"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "education"}, {OPEN: ["PDK-01"], LIMITED: [], CLOSED: ["PDK-02"]}),
        ({"accessibility": "limited"}, {OPEN: [], LIMITED: ["KES-03"], CLOSED: []}),
        ({"periodicity": "monthly"}, {OPEN: ["PDK-01"], LIMITED: [], CLOSED: []}),
        ({"topic": "roads"}, {OPEN: ["PDK-01"], LIMITED: [], CLOSED: []}),
        ({"q": "jumlah"}, {OPEN: ["KES-01", "KES-02", "PDK-01"], LIMITED: [], CLOSED: []}),
        ({"q": "kes-0", "accessibility": "closed"}, {OPEN: [], LIMITED: [], CLOSED: ["KES-04"]}),
    ],
)
def test_filters_narrow_both_counts_and_rows(request, login, walidata, data_list, params, expected):
    query = {
        k: (request.getfixturevalue(v).pk if k in ("agency", "topic") else v)
        for k, v in params.items()
    }
    response = login(walidata).get("/app/step-2/", query)
    assert response.status_code == 200
    assert _sections(response) == expected
    counts = response.context["counts"]
    assert {cls: counts[cls] for cls in expected} == {c: len(v) for c, v in expected.items()}
    assert counts["total"] == sum(len(v) for v in expected.values())
    assert sum(r["total"] for r in response.context["agency_rows"]) == counts["total"]


def test_it_refuses_a_bad_filter_and_keeps_what_was_typed(login, walidata, data_list):
    response = login(walidata).get("/app/step-2/", {"agency": "999999", "q": "sekolah"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'value="sekolah"' in html
    assert "sections" not in response.context


@pytest.mark.parametrize("persona", ["walidata", "admin_user", "supervisor"])
def test_walidata_admin_and_supervisor_may_use_the_page(request, login, data_list, persona):
    response = login(request.getfixturevalue(persona)).get("/app/step-2/")
    assert response.status_code == 200
    # The supervisor reads every item's metadata: closed items are listed (no values here).
    assert _sections(response)[CLOSED] == ["KES-04", "PDK-02"]


@pytest.mark.parametrize("persona", ["head", "operator", "other_operator"])
def test_it_refuses_the_page_and_its_exports_to_producers(request, login, data_list, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get("/app/step-2/").status_code == 403
    assert client.get("/app/step-2/export.xlsx").status_code == 403
    assert client.get("/app/step-2/export.csv").status_code == 403


def test_it_sends_anonymous_users_to_login(client, data_list):
    response = client.get("/app/step-2/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_it_defaults_to_the_newest_decrees_year_and_offers_its_decrees(login, walidata, health):
    old = DecreeFactory(year=2025, decree_date=dt.date(2025, 1, 10))
    first = DecreeFactory(year=2026, decree_date=dt.date(2026, 1, 10))
    amended = DecreeFactory(year=2026, decree_date=dt.date(2026, 6, 1))
    DataItemFactory(decree=old, agency=health, code="OLD-1")
    DataItemFactory(decree=first, agency=health, code="FIRST-1")
    DataItemFactory(decree=amended, agency=health, code="AMD-1")
    client = login(walidata)

    response = client.get("/app/step-2/")
    assert response.context["decree"] == amended
    assert response.context["several_decrees"] is True
    assert _sections(response)[OPEN] == ["AMD-1"]

    assert _sections(client.get("/app/step-2/", {"year": 2026, "decree": first.pk}))[OPEN] == [
        "FIRST-1"
    ]
    # A decree of another year left in the query gives way to the year just picked.
    response = client.get("/app/step-2/", {"year": 2025, "decree": amended.pk})
    assert response.context["decree"] == old
    assert response.context["several_decrees"] is False


def test_it_says_so_when_there_is_no_decree_yet(login, walidata):
    response = login(walidata, language="en").get("/app/step-2/")
    assert response.status_code == 200
    assert "No data list decree has been registered yet" in response.content.decode()


def test_the_page_has_the_print_heading_and_signature_block(
    login, walidata, data_list, decree, settings
):
    settings.LANGUAGE_CODE = "en"
    response = login(walidata, language="en").get("/app/step-2/", {"accessibility": "closed"})
    html = response.content.decode()
    heading = re.search(r'<div class="print-only print-heading">(.*?)</div>', html, re.S)
    assert heading is not None
    text = heading.group(1)
    assert "Step 2 of the SOP" in text
    assert decree.number in text
    assert "class: Closed" in text
    assert "Printed on" in text
    signature = re.search(r'<div class="print-only signature">(.*?)</div>', html, re.S)
    assert signature is not None
    assert walidata.display_name in signature.group(1)
    assert "NIP." in signature.group(1)
    assert "satudata/step2.css" in html
    assert "satudata/step2.js" in html
    assert "data-print" in html
    assert "onclick" not in html.split("<main", 1)[1]  # the print button needs no inline script


def test_the_query_count_does_not_grow_with_the_number_of_items(
    login, walidata, decree, health, education, django_assert_max_num_queries
):
    client = login(walidata)
    client.get("/app/step-2/")  # session and caches warm

    def items(n: int, start: int) -> None:
        for i in range(n):
            DataItemFactory(
                decree=decree,
                agency=(health, education)[i % 2],
                code=f"Q-{start + i:04d}",
                accessibility=(OPEN, LIMITED, CLOSED)[i % 3],
            )

    items(3, 0)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/app/step-2/").status_code == 200
    items(30, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/app/step-2/")
    assert response.context["counts"]["total"] == 33


def test_it_escapes_what_was_typed_into_an_item(login, walidata, decree, health):
    DataItemFactory(decree=decree, agency=health, code="X<1>", name='<script>alert("x")</script>')
    html = login(walidata).get("/app/step-2/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "X&lt;1&gt;</a>" in html
