"""The entry grid: typing values on screen, as the Dinas Kesehatan operator does."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from satudata.schedule.models import FillState
from satudata.schedule.services import due_override_set, period_lock
from satudata.values.cells import CellPlan
from satudata.values.models import Observation, ObservationRevision
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, DataItemFactory

SUMBERJAMBE = "35.09.31"
_INPUT = re.compile(r"<input\b[^>]*>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_SELECT = re.compile(r'<select name="(\w+)"[^>]*>(.*?)</select>', re.S)


def form_data(response) -> dict[str, str]:
    """What a browser would send back from the grid page unchanged."""
    page = response.content.decode()
    data = {}
    for tag in _INPUT.findall(page):
        attrs = {k: html.unescape(v) for k, v in _ATTR.findall(tag)}
        if "name" in attrs and attrs["name"] not in ("next",):
            data[attrs["name"]] = attrs.get("value", "")
    for name, options in _SELECT.findall(page):
        if name == "language":
            continue
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen.group(1) if chosen else ""
    return data


def cell_named(response, label: str) -> str:
    """The input name of the cell whose accessible label is `label` (region and column)."""
    for tag in _INPUT.findall(response.content.decode()):
        attrs = {k: html.unescape(v) for k, v in _ATTR.findall(tag)}
        if attrs.get("aria-label") == label:
            return attrs["name"]
    raise AssertionError(f"no cell labelled {label}")


def url(item, period: str, suffix: str = "") -> str:
    return f"/app/values/{item.pk}/{period}/{suffix}"


def fill(item, period: str, *, skip: set[tuple[str, str]] = frozenset(), value: str = "10"):
    cells = [
        CellValue(r, b, Decimal(value)) for r, b in CellPlan().cells(item) if (r, b) not in skip
    ]
    return observations_save(actor=SYSTEM, item=item, period=period, cells=cells)


def test_the_operator_types_the_missing_sumberjambe_cell_and_the_item_turns_filled_late(
    login, operator, walidata, district_item
):
    today = timezone.localdate()
    due_override_set(
        actor=walidata, item=district_item, period="2025", due_date=today - dt.timedelta(days=3)
    )
    fill(district_item, "2025", skip={(SUMBERJAMBE, "jenis-kelamin=L")})
    client = login(operator, language="en")

    page = client.get(url(district_item, "2025"))
    assert page.status_code == 200
    assert "Partly filled" in page.content.decode()
    data = form_data(page)
    data[cell_named(page, "Sumberjambe L")] = "1.234"
    done = client.post(url(district_item, "2025"), data, follow=True)

    text = done.content.decode()
    assert "Saved: 1 new, 0 changed, 0 emptied." in text
    assert "The item is filled, late by 3 days" in text
    state = FillState.objects.get(item=district_item, period="2025")
    assert (state.filled_cells, state.required_cells) == (62, 62)
    cell = Observation.objects.get(
        item=district_item, period="2025", region_id=SUMBERJAMBE, breakdown_key="jenis-kelamin=L"
    )
    assert cell.value == Decimal("1234") and cell.updated_by == operator
    # Only the typed cell changed: the 61 others were not rewritten.
    assert ObservationRevision.objects.count() == 0
    assert 'value="1.234"' in text


def test_a_percent_sign_in_a_cell_is_refused_with_the_input_kept_and_nothing_saved(
    login, operator, district_item
):
    client = login(operator, language="en")
    page = client.get(url(district_item, "2025"))
    data = form_data(page)
    data[cell_named(page, "Sumberjambe P")] = "12,5%"
    data[cell_named(page, "Kencong L")] = "7"

    refused = client.post(url(district_item, "2025"), data)

    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'value="12,5%"' in text and 'value="7"' in text
    assert "without the % sign" in text
    assert 'aria-invalid="true"' in text
    assert "Sumberjambe P" in text.split('id="grid-errors"')[1].split("</div>")[0]
    assert not Observation.objects.exists()
    assert not FillState.objects.filter(item=district_item, version__gt=0).exists()


def test_a_save_over_someone_elses_newer_save_is_refused_with_409_and_the_typed_values_kept(
    login, operator, head, regency_item
):
    client = login(operator, language="en")
    page = client.get(url(regency_item, "2026-Q3"))
    data = form_data(page)
    assert data["version"] == "0"
    # The head saves while the operator's page is open.
    observations_save(
        actor=head, item=regency_item, period="2026-Q3", cells=[CellValue("35.09", "", Decimal(80))]
    )
    data[cell_named(page, "Kabupaten Jember")] = "91,5"

    refused = client.post(url(regency_item, "2026-Q3"), data)

    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Someone else saved these values" in text
    assert 'value="91,5"' in text
    assert Observation.objects.get().value == Decimal(80)


def test_emptying_a_cell_deletes_its_value_and_keeps_a_revision(login, operator, regency_item):
    fill(regency_item, "2026-Q1", value="75.5")
    client = login(operator)
    page = client.get(url(regency_item, "2026-Q1"))
    data = form_data(page)
    name = cell_named(page, "Kabupaten Jember")
    assert data[name] == "75,5"
    data[name] = ""

    assert client.post(url(regency_item, "2026-Q1"), data).status_code == 302

    assert not Observation.objects.exists()
    revision = ObservationRevision.objects.get()
    assert revision.previous_value == Decimal("75.5") and revision.new_value is None


def test_changing_only_the_status_marks_every_value_final(login, operator, regency_item):
    fill(regency_item, "2026-Q1")
    client = login(operator)
    data = form_data(client.get(url(regency_item, "2026-Q1")))
    assert data["status"] == "preliminary"
    data["status"] = "final"

    client.post(url(regency_item, "2026-Q1"), data)

    assert Observation.objects.get().status == "final"


def test_posting_the_page_unchanged_saves_nothing(login, operator, district_item):
    fill(district_item, "2025")
    client = login(operator, language="en")
    page = client.get(url(district_item, "2025"))

    done = client.post(url(district_item, "2025"), form_data(page), follow=True)

    assert "Nothing changed" in done.content.decode()
    assert FillState.objects.get(item=district_item, period="2025").version == 1


def test_another_agencys_operator_gets_404_on_a_closed_items_grid(
    login, other_operator, jember, decree, health
):
    closed = DataItemFactory(decree=decree, agency=health, accessibility="closed", level="regency")
    client = login(other_operator)
    assert client.get(url(closed, "2025")).status_code == 404
    assert client.get(url(closed, "2025", "history/")).status_code == 404
    assert client.post(url(closed, "2025"), {"version": "0"}).status_code == 404


def test_another_agencys_operator_reads_an_open_item_but_may_not_post(
    login, other_operator, district_item
):
    fill(district_item, "2025", value="1234.5")
    client = login(other_operator, language="en")

    page = client.get(url(district_item, "2025"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="c0_0"' not in text and "1.234,5" in text
    assert "only the producing agency and walidata enter them" in text

    refused = client.post(url(district_item, "2025"), {"version": "1", "c0_0": "5"})
    assert refused.status_code == 403
    assert Observation.objects.filter(value=5).count() == 0


def test_the_supervisor_reads_limited_values_and_gets_404_for_closed(
    login, supervisor, jember, decree, health
):
    limited = DataItemFactory(
        decree=decree, agency=health, accessibility="limited", level="regency"
    )
    closed = DataItemFactory(decree=decree, agency=health, accessibility="closed", level="regency")
    fill(limited, "2025", value="42")
    client = login(supervisor)

    page = client.get(url(limited, "2025"))
    assert page.status_code == 200
    assert '<input type="text" inputmode' not in page.content.decode()
    assert ">42<" in page.content.decode()
    assert client.post(url(limited, "2025"), {"version": "1"}).status_code == 403
    assert client.get(url(closed, "2025")).status_code == 404


def test_another_agencys_operator_gets_404_for_limited_values(
    login, other_operator, jember, decree, health
):
    limited = DataItemFactory(
        decree=decree, agency=health, accessibility="limited", level="regency"
    )
    assert login(other_operator).get(url(limited, "2025")).status_code == 404


@pytest.mark.parametrize("period", ["2025-Q3", "abc", "2025-13", "99999", "2025-S3"])
def test_a_period_that_is_not_the_items_is_404(login, operator, district_item, period):
    assert login(operator).get(url(district_item, period)).status_code == 404


def test_a_lower_case_period_redirects_to_its_key(login, operator, regency_item):
    response = login(operator).get(url(regency_item, "2026-q3"))
    assert response.status_code == 302 and response["Location"] == url(regency_item, "2026-Q3")


def test_a_period_not_yet_started_is_read_only_with_the_reason(login, operator, regency_item):
    year = timezone.localdate().year + 1
    page = login(operator, language="en").get(url(regency_item, f"{year}-Q1"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "This period has not started" in text and 'name="c0_0"' not in text


def test_a_locked_period_is_read_only_and_a_post_is_refused(
    login, operator, walidata, regency_item
):
    period_lock(actor=walidata, period="2026-Q1", reason="Laporan final.")
    client = login(operator, language="en")
    page = client.get(url(regency_item, "2026-Q1"))
    assert "Walidata closed this period for entry" in page.content.decode()
    assert "Laporan final." in page.content.decode()

    refused = client.post(
        url(regency_item, "2026-Q1"), {"version": "0", "status": "preliminary", "c0_0": "5"}
    )
    assert refused.status_code == 400
    assert "closed for entry" in refused.content.decode()
    assert not Observation.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, district_item):
    response = client.get(url(district_item, "2025"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_history_shows_the_previous_value_and_who_changed_it(
    login, operator, head, regency_item
):
    observations_save(
        actor=operator,
        item=regency_item,
        period="2026-Q2",
        cells=[CellValue("35.09", "", Decimal("1234.5"))],
    )
    observations_save(
        actor=head,
        item=regency_item,
        period="2026-Q2",
        cells=[CellValue("35.09", "", Decimal("1300"))],
    )
    page = login(operator, language="en").get(url(regency_item, "2026-Q2", "history/"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "1.234,5" in text and "1.300" in text
    assert head.display_name in text
    assert "Kabupaten Jember" in text


def test_a_village_item_groups_its_villages_by_kecamatan(login, operator, jember, decree, health):
    village = DataItemFactory(decree=decree, agency=health, level="village")
    text = login(operator).get(url(village, "2025")).content.decode()
    assert text.count('class="group"') == 31
    assert text.count('inputmode="decimal"') == len(CellPlan().cells(village))


def test_two_breakdowns_get_a_two_level_header(login, operator, jember, decree, health, sex):
    from satudata.catalog.services import breakdown_ensure

    age = breakdown_ensure(
        actor=SYSTEM, name="Kelompok umur", slug="kelompok-umur", categories=["0-4", "5-9", "10+"]
    )
    item = DataItemFactory(decree=decree, agency=health, level="regency", breakdowns=[sex, age])
    page = login(operator).get(url(item, "2025"))
    text = page.content.decode()
    # Categories of the first breakdown by slug (jenis-kelamin) span those of the second.
    assert 'colspan="3">L<' in text and 'colspan="3">P<' in text
    assert text.count(">0-4<") == 2
    assert cell_named(page, "Kabupaten Jember L · 0-4") == "c0_0"


def _grid_queries(client, item) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(item, "2025")).status_code == 200
    return len(queries)


def test_the_grid_costs_the_same_queries_for_1_31_or_248_regions(
    login, operator, jember, decree, health, sex
):
    items = [
        DataItemFactory(decree=decree, agency=health, level=level, breakdowns=[sex])
        for level in ("regency", "district", "village")
    ]
    for item in items:
        fill(item, "2025")
    client = login(operator)
    _grid_queries(client, items[0])  # warm the session and the cached region name
    counts = [_grid_queries(client, item) for item in items]
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] <= 14
