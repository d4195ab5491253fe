"""Tables and charts of a draft: right numbers, valid Vega-Lite, only the agency's open data."""

from __future__ import annotations

import json

import pytest
import vl_convert
from django.template.loader import render_to_string
from django.urls import reverse

from satudata.catalog.services import item_update
from satudata.publications.charts import card_spec
from satudata.publications.selectors_blocks import block_options, render_blocks
from satudata.publications.services import draft_save
from satudata.publications.tables import key_figure
from tests.factories import SYSTEM
from tests.publications.test_blocks_setup import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def _html(blocks) -> str:
    return "".join(render_to_string("publications/_block.html", {"block": b}) for b in blocks)


def _table(item, **extra):
    return {
        "kind": "table",
        "item": item.pk,
        "period": "2025",
        "breakdown": "",
        "chart": "",
        "title": "",
        **extra,
    }


def _chart(item, chart, **extra):
    return {
        "kind": "chart",
        "item": item.pk,
        "period": "",
        "breakdown": "",
        "chart": chart,
        "title": "",
        **extra,
    }


def test_a_table_by_district_shows_the_values_the_indonesian_way_with_a_total(
    district_item, agency
):
    [block] = render_blocks([_table(district_item)], agency_id=agency.pk)
    table = block["table"]
    assert table.columns == ["L", "P"]
    assert len(table.rows) == 32  # 31 kecamatan and the regency total
    first = table.rows[0]
    assert first.cells == ["1.234,5", "15"]
    # Boys: 1234.5 + (20 + 30 + ... + 310) = 1234.5 + 4950; girls: sum of n*10+5.
    assert table.rows[-1].total and table.rows[-1].cells == ["6.184,5", "5.115"]
    html = _html([block])
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "1.234,5" in html and "6.184,5" in html


def test_a_table_of_one_breakdown_cell_has_one_column(district_item, agency):
    [block] = render_blocks(
        [_table(district_item, breakdown="jenis-kelamin=P", period="2024")], agency_id=agency.pk
    )
    assert block["table"].columns == ["P"]
    assert block["table"].rows[1].cells == ["23"]  # kecamatan 2 in 2024: 2*10 + 3


def test_a_period_neither_filled_nor_released_is_not_shown(district_item, agency):
    [block] = render_blocks([_table(district_item, period="2023")], agency_id=agency.pk)
    assert block["table"] is None and block["unavailable"]


def test_the_line_and_bar_charts_are_valid_vega_lite_with_the_right_values(
    district_item, rate_item, agency
):
    line, bars, rate = render_blocks(
        [
            _chart(district_item, "line", breakdown="jenis-kelamin=L"),
            _chart(district_item, "bar", period="2025"),
            _chart(rate_item, "line"),
        ],
        agency_id=agency.pk,
    )
    assert [(r["period"], r["text"]) for r in line["spec"]["data"]["values"]] == [
        ("2024", "4.898"),
        ("2025", "6.184,5"),
    ]
    assert len(bars["spec"]["data"]["values"]) == 62  # 31 kecamatan x 2 sexes, side by side
    assert [r["value"] for r in rate["spec"]["data"]["values"]] == [65.5, 70.25, 72.0]
    for block in (line, bars, rate):
        svg = vl_convert.vegalite_to_svg(block["spec"])
        assert svg.startswith("<svg")
        assert vl_convert.vegalite_to_svg(card_spec(block["spec"], 600, 400)).startswith("<svg")
    html = _html([line])
    assert 'type="application/json"' in html and "data-pub-chart" in html
    assert "publications-blocks.js" in html and "6.184,5" in html  # values listed for all


def test_a_rate_by_district_gets_no_regency_line(district_item, agency):
    item_update(actor=SYSTEM, item=district_item, unit="persen")
    [block] = render_blocks([_chart(district_item, "line")], agency_id=agency.pk)
    assert block["spec"] is None and block["unavailable"]


def test_a_reclassified_item_shows_no_values_even_in_a_stored_draft(
    district_item, agency, operator, publication
):
    draft_save(actor=operator, publication=publication, blocks=[_table(district_item)])
    item_update(
        actor=SYSTEM,
        item=district_item,
        accessibility="closed",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    publication.refresh_from_db()
    [block] = render_blocks(publication.blocks, agency_id=agency.pk)
    assert block["table"] is None and block["unavailable"]
    assert "1.234,5" not in _html([block])


def test_an_item_of_another_agency_is_not_read_when_the_agency_is_named(foreign_item, agency):
    [block] = render_blocks([_table(foreign_item)], agency_id=agency.pk)
    assert block["table"] is None and "888" not in _html([block])


def test_the_picker_lists_only_the_agencys_open_items_with_their_periods(
    district_item, rate_item, closed_item, foreign_item, agency
):
    options = block_options(agency.pk)
    by_name = {o["name"]: o for o in options["items"]}
    assert set(by_name) == {"Jumlah Bayi Diimunisasi", "Cakupan Imunisasi Dasar"}
    assert [p["key"] for p in by_name["Jumlah Bayi Diimunisasi"]["periods"]] == ["2025", "2024"]
    assert [b["key"] for b in by_name["Jumlah Bayi Diimunisasi"]["breakdowns"]] == [
        "",
        "jenis-kelamin=L",
        "jenis-kelamin=P",
    ]


def test_the_picker_endpoint_is_for_the_agencys_operator_and_head_only(
    login, publication, district_item, operator, head, other_operator, other_head, walidata
):
    url = reverse("publications:block-options", args=[publication.pk])
    for user in (operator, head):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response.json()["items"][0]["id"] == district_item.pk
    for user in (other_operator, other_head, walidata):
        assert login(user).get(url).status_code == 403


def _check(client, publication, blocks):
    return client.post(
        reverse("publications:block-check", args=[publication.pk]),
        data=json.dumps({"blocks": blocks}),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def test_the_check_endpoint_renders_good_blocks_and_refuses_foreign_or_closed_items(
    login, publication, operator, other_operator, district_item, closed_item, foreign_item
):
    client = login(operator, "en")
    good = _check(client, publication, [_table(district_item)])
    assert good.status_code == 200
    assert "1.234,5" in good.json()["html"] and good.json()["blocks"][0]["item"] == district_item.pk
    for bad in (closed_item, foreign_item):
        response = _check(client, publication, [_table(district_item), _table(bad)])
        assert response.status_code == 400
        assert "open data item of your own agency" in response.json()["error"]
        assert "777" not in response.content.decode() and "888" not in response.content.decode()
    assert _check(login(other_operator), publication, [_table(foreign_item)]).status_code == 403


def test_the_editor_keeps_the_stored_blocks_in_its_hidden_field(publication, district_item):
    blocks_json = json.dumps([_table(district_item)])
    html = render_to_string(
        "publications/_blocks_editor.html",
        {"publication": publication, "blocks_json": blocks_json},
    )
    assert 'name="blocks"' in html and "&quot;kind&quot;: &quot;table&quot;" in html
    assert reverse("publications:block-options", args=[publication.pk]) in html
    assert reverse("publications:block-check", args=[publication.pk]) in html


def test_the_key_figure_is_the_latest_regency_total_and_its_change(district_item, rate_item):
    figure = key_figure(district_item, "", "")
    assert (figure.period, figure.value, figure.previous_period) == ("2025", "11.299,5", "2024")
    assert (figure.change, figure.change_percent, figure.direction) == ("+1.348,5", "+13,6%", "up")
    rate = key_figure(rate_item, "", "2024")  # a rate: the change in points, no percentage
    assert (rate.value, rate.change, rate.change_percent) == ("70,25", "+4,75", "")


def test_a_period_under_embargo_on_the_portal_waits_for_its_release(rate_item, agency):
    import datetime as dt

    from django.utils import timezone

    from satudata.portal.services import datasets_publish
    from satudata.publications.tables import usable_periods

    datasets_publish(
        actor=SYSTEM, items=[rate_item], release_at=timezone.now() + dt.timedelta(days=1)
    )
    assert usable_periods(rate_item) == []
    listed = {o["id"]: o for o in block_options(agency.pk)["items"]}
    assert rate_item.pk not in listed
    later = timezone.now() + dt.timedelta(days=2)
    assert usable_periods(rate_item, now=later) == ["2023", "2024", "2025"]
