"""The drill-down of one item-period: which required cells are missing, and who may see it."""

from __future__ import annotations

import pytest


def _url(item, period: str) -> str:
    return f"/app/step-1/{item.pk}/{period}/"


def test_the_drill_down_names_the_missing_cell(login, walidata, schedule):
    response = login(walidata, language="en").get(_url(schedule.infants, schedule.key()))
    assert response.status_code == 200
    page = response.content.decode()
    missing = page.split('class="missing-list"', 1)[1].split("</ul>", 1)[0]
    assert "Sumberjambe" in missing and schedule.gap_region in missing
    assert "Jenis kelamin: P" in missing
    assert missing.count("<li>") == 1
    assert "61/62" in page
    assert page.count('class="mark yes"') == 61
    assert page.count('class="mark no"') == 1


def test_the_drill_down_never_shows_values(login, walidata, schedule):
    response = login(walidata).get(_url(schedule.vaccination, f"{schedule.year}-Q1"))
    assert response.status_code == 200
    assert (
        b"Filled" in response.content
        or b"Terisi" in response.content
        or b"fill filled" in (response.content)
    )
    assert b"12,5" not in response.content and b"12.5" not in response.content


@pytest.mark.parametrize("persona", ["operator", "head", "walidata", "supervisor", "admin_user"])
def test_the_own_agency_and_the_fill_check_roles_may_drill_down_a_closed_item(
    request, login, schedule, persona
):
    user = request.getfixturevalue(persona)
    assert login(user).get(_url(schedule.hiv, schedule.key())).status_code == 200


def test_another_agency_gets_a_404_for_a_closed_item(login, other_operator, schedule):
    assert login(other_operator).get(_url(schedule.hiv, schedule.key())).status_code == 404


def test_another_agency_gets_a_403_for_an_item_it_may_know_of(login, other_operator, schedule):
    response = login(other_operator).get(_url(schedule.vaccination, f"{schedule.year}-Q3"))
    assert response.status_code == 403


@pytest.mark.parametrize("period", ["2025-13", "2025", "2025-Q5", "abc", "2025-S1"])
def test_a_malformed_period_is_a_404(login, walidata, schedule, period):
    # The quarterly item has no annual or semester periods either.
    assert login(walidata).get(_url(schedule.vaccination, period)).status_code == 404


def test_an_unknown_item_is_a_404(login, walidata, schedule):
    assert login(walidata).get(f"/app/step-1/999999/{schedule.year}/").status_code == 404


def test_the_operator_gets_a_link_to_the_grid(login, operator, schedule):
    page = login(operator).get(_url(schedule.vaccination, f"{schedule.year}-Q3")).content
    assert f"/app/values/{schedule.vaccination.pk}/{schedule.year}-Q3/".encode() in page


def test_the_supervisor_gets_no_link_to_the_grid(login, supervisor, schedule):
    page = login(supervisor).get(_url(schedule.vaccination, f"{schedule.year}-Q3")).content
    assert f"/app/values/{schedule.vaccination.pk}/".encode() not in page
