"""The release calendar of a year: the items due by month, and its exports (XLSX, CSV, ICS)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from satudata.schedule.exports_calendar import ics_escape, ics_fold
from satudata.schedule.services import due_override_set
from tests.factories import DataItemFactory


@pytest.fixture
def items(decree, health, education):
    """Health: a quarterly item and a closed annual one; education: an annual item."""
    return {
        "q": DataItemFactory(
            decree=decree,
            agency=health,
            code="KES-01",
            name="Cakupan Imunisasi; Dasar, Lengkap",
            periodicity="quarterly",
            level="regency",
        ),
        "closed": DataItemFactory(
            decree=decree,
            agency=health,
            code="KES-99",
            name="Kasus Rahasia",
            periodicity="annual",
            level="regency",
            accessibility="closed",
        ),
        "edu": DataItemFactory(
            decree=decree, agency=education, code="PDK-01", periodicity="annual", level="regency"
        ),
    }


def cal(client, **params):
    params.setdefault("year", "2024")
    return client.get(reverse("schedule-calendar"), params)


def export(client, fmt, **params):
    params.setdefault("year", "2024")
    return client.get(reverse("schedule-calendar-export", args=[fmt]), params)


def test_the_calendar_lists_the_years_due_items_by_month(login, walidata, items):
    page = cal(login(walidata, language="en"))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["total"] == 6  # 4 quarters + 2 annual items, periods of 2024
    months = [m["first_day"] for m in page.context["months"]]
    assert months == sorted(months) and months[0] == dt.date(2024, 5, 1)
    assert months[-1] == dt.date(2025, 3, 1)  # annual 2024 falls due on 31 March 2025
    assert "KES-01" in html and "PDK-01" in html and "KES-99" in html
    assert page.context["counts"]["missing"] == 6


def test_a_producer_sees_his_own_agency_first_and_others_when_he_asks(login, operator, items):
    client = login(operator)
    own = cal(client).content.decode()
    assert "KES-01" in own and "PDK-01" not in own
    everyone = cal(client, agency="").content.decode()
    assert "PDK-01" in everyone and "KES-01" in everyone


def test_another_agencys_closed_item_never_shows(login, other_operator, items):
    client = login(other_operator)
    assert "KES-99" not in cal(client, agency="").content.decode()
    for fmt in ("csv", "ics"):
        assert "KES-99" not in export(client, fmt, agency="").content.decode("utf-8-sig")


def test_the_periodicity_filter_narrows_the_calendar(login, walidata, items):
    page = cal(login(walidata), periodicity="annual")
    assert page.context["total"] == 2


def test_an_override_shows_on_the_calendar(login, walidata, items):
    due_override_set(
        actor=walidata, item=items["edu"], period="2024", due_date=dt.date(2025, 1, 20)
    )
    rows = [m for m in cal(login(walidata)).context["months"] if m["first_day"].month == 1]
    assert "PDK-01" in rows[0]["html"]


def test_the_calendar_costs_the_same_queries_for_three_items_or_thirty(
    login, walidata, decree, items, django_assert_max_num_queries
):
    client = login(walidata)
    cal(client)
    # 13: the page's own reads, the session, the user, the unread count and the header's region
    # name (no region is loaded here, so it is looked up on every page).
    with django_assert_max_num_queries(13) as few:
        cal(client)
    for _ in range(27):
        DataItemFactory(decree=decree, periodicity="monthly", level="regency")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = cal(client)
    assert page.context["total"] == 6 + 27 * 12


def unfold(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    for raw in text.split("\r\n"):
        assert len(raw.encode("utf-8")) <= 75
    return text.replace("\r\n ", "").split("\r\n")


def parse_events(lines: list[str]) -> list[dict[str, str]]:
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def test_the_ics_export_parses_back_one_all_day_event_per_due_date(login, walidata, items):
    response = export(login(walidata), "ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="jadwal-rilis-2024.ics"' in response["Content-Disposition"]
    lines = unfold(response.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    events = parse_events(lines)
    assert len(events) == 6
    assert len({e["UID"] for e in events}) == 6
    q1 = next(e for e in events if "(2024-Q1)" in e["SUMMARY"])
    assert q1["DTSTART;VALUE=DATE"] == "20240515" and q1["DTEND;VALUE=DATE"] == "20240516"
    # The comma and semicolon of the item's name are escaped, and come back whole.
    assert "Cakupan Imunisasi\\; Dasar\\, Lengkap" in q1["SUMMARY"]
    assert "\\n" in q1["DESCRIPTION"] and "Belum terisi" in q1["DESCRIPTION"]


@given(st.text(alphabet="aé€😀;, \\", max_size=400))
def test_folding_never_splits_a_character_and_unfolds_to_the_same_line(text):
    folded = ics_fold("SUMMARY:" + text)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == "SUMMARY:" + text


def test_escaping_follows_rfc_5545():
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_the_csv_and_xlsx_exports_hold_one_row_per_item_and_period(login, walidata, items):
    client = login(walidata)
    body = export(client, "csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Tanggal Jatuh Tempo" and len(rows) == 7
    assert rows[1][:2] == ["2024-05-15", "KES-01"] and rows[1][-1] == "Belum terisi"
    book = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx").content))
    sheet = book["Jadwal Rilis"]
    codes = [c.value for c in sheet["D"] if c.value]
    assert codes.count("KES-01") == 4 and "Kode" in codes


def test_an_unknown_format_is_a_404_and_bad_filters_a_400(login, walidata, items):
    client = login(walidata)
    assert export(client, "pdf").status_code == 404
    assert cal(client, year="abcd").status_code == 400
    assert export(client, "csv", year="abcd").status_code == 400


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("schedule-calendar"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_long_calendar_opens_on_one_month_and_shows_all_on_request(
    login, walidata, items, monkeypatch
):
    monkeypatch.setattr("satudata.schedule.views_schedule.CALENDAR_PAGE_ROWS", 3)
    client = login(walidata)
    page = cal(client)
    assert len(page.context["months"]) == 1  # 2024's months are past: the last one, March 2025
    assert page.context["selected_month"] == "2025-03"
    assert len(page.context["month_links"]) == 5
    assert len(cal(client, month="all").context["months"]) == 5
    assert cal(client, month="2024-08").context["months"][0]["count"] == 1
