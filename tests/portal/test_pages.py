"""The public portal pages: what they show, and that hidden data never shows on them.

Personas: none. Every request here is anonymous, as a citizen's would be. The world is
`portal_world` (tests/portal/conftest.py): an open regency dataset (2023-2025), a district
dataset by sex (2025), a limited dataset, a closed item, an embargoed and a withdrawn dataset.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from unittest import mock
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from satudata.catalog.services import item_update
from satudata.portal.models import DatasetUsage
from satudata.portal.pages_common import period_label
from satudata.portal.pages_dataset import TABLE_PERIODS, is_additive
from satudata.portal.services import dataset_withdraw, datasets_publish
from tests.factories import SYSTEM, DataItemFactory
from tests.portal.conftest import (
    CLOSED_MARKER,
    EMBARGO_MARKER,
    LIMITED_MARKER,
    VALUE_MARKERS,
    WITHDRAWN_MARKER,
    fill,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    # The pages cache their heavy parts; every test starts from a cold cache.
    cache.clear()
    yield
    cache.clear()


ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# The advance release calendar announces embargoed releases by name (as statistics offices
# do): the one place an embargoed dataset's title may appear before its release.
CALENDAR_PART = re.compile(r'<section class="calendar-part".*?</section>', re.S)


def page_urls(w) -> list[str]:
    """Every HTML page this module renders, with and without query parameters."""
    agency = w.open_ds.item.agency.slug
    topic = w.open_ds.item.topic.slug
    return [
        reverse("portal-home"),
        reverse("dataset-detail", args=[w.open_ds.slug]),
        reverse("dataset-detail", args=[w.district_ds.slug]),
        reverse("dataset-detail", args=[w.district_ds.slug]) + "?b-jenis-kelamin=P&period=2025",
        reverse("dataset-detail", args=[w.district_ds.slug]) + "?b-jenis-kelamin=<x>&period=9",
        reverse("dataset-detail", args=[w.limited_ds.slug]),
        reverse("dataset-detail", args=[w.limited_ds.slug]) + "?period=2025&b-jenis-kelamin=L",
        reverse("portal-agency-list"),
        reverse("portal-agency-list") + "?page=99",
        reverse("portal-agency", args=[agency]),
        reverse("portal-agency", args=[agency]) + "?page=x",
        reverse("portal-topic-list"),
        reverse("portal-topic", args=[topic]),
        reverse("portal-release-calendar"),
        reverse("portal-release-calendar") + "?month=" + timezone.localdate().strftime("%Y-%m"),
    ]


def assert_no_leak(html: str, *, values_of_limited_shown: bool = False) -> None:
    """Closed, withdrawn and embargoed data never show; limited values never show."""
    for marker in (CLOSED_MARKER, WITHDRAWN_MARKER):
        assert marker not in html
    for marker in VALUE_MARKERS:
        assert marker not in html
    assert EMBARGO_MARKER not in CALENDAR_PART.sub("", html)


def spec(html: str, name: str) -> dict:
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no {name} on the page"
    return json.loads(match.group(1))


# --- every page -------------------------------------------------------------------------


def test_every_page_is_public_and_leaks_nothing(client, portal_world):
    w = portal_world
    embargo_page = reverse("dataset-detail", args=[w.embargoed_ds.slug])
    for url in page_urls(w):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_no_leak(html)
        assert embargo_page not in html, url  # no link to a page that is not public yet


def test_no_page_loads_anything_from_another_host(client, portal_world):
    pattern = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)=\"([^\"]+)\"")
    for url in page_urls(portal_world):
        html = client.get(url).content.decode()
        for ref in pattern.findall(html):
            # A canonical link names this host; everything else is a path on it.
            assert ref.startswith("/") or ref.startswith("http://testserver/"), (url, ref)


def test_every_page_has_a_canonical_link_and_sharing_tags(client, portal_world):
    for url in page_urls(portal_world):
        html = client.get(url).content.decode()
        path = url.split("?")[0]
        assert f'<link rel="canonical" href="http://testserver{path}">' in html, url
        for tag in ('property="og:title"', 'property="og:url"', 'property="og:site_name"'):
            assert tag in html, (url, tag)
        assert 'name="twitter:card"' in html


@pytest.mark.parametrize("which", ["embargoed_ds", "withdrawn_ds"])
def test_hidden_datasets_are_not_found(client, portal_world, which):
    slug = getattr(portal_world, which).slug
    assert client.get(reverse("dataset-detail", args=[slug])).status_code == 404


def test_a_closed_item_or_unknown_slug_is_not_found(client, portal_world):
    for slug in ("data-tertutup", portal_world.closed_item.code.replace(".", "-"), "nope"):
        assert client.get(reverse("dataset-detail", args=[slug])).status_code == 404


# --- home -------------------------------------------------------------------------------


def test_home_shows_search_topics_agencies_and_newest(client, portal_world):
    w = portal_world
    html = client.get(reverse("portal-home")).content.decode()
    assert f'action="{reverse("dataset-search")}"' in html and 'name="q"' in html
    assert reverse("portal-topic", args=["sosial"]) in html
    assert reverse("portal-agency", args=[w.open_ds.item.agency.slug]) in html
    assert w.open_ds.item.name in html
    assert LIMITED_MARKER in html  # limited metadata is public, with its badge


def test_home_headline_is_the_latest_regency_value_in_indonesian_format(client, portal_world):
    html = client.get(reverse("portal-home")).content.decode()
    # fill() gives the regency cell 1000 + year: 2025 -> 3.025 jiwa.
    assert re.search(r'class="headline-value">3\.025</span>', html)
    assert "jiwa · 2025" in html


def test_home_most_downloaded_follows_the_download_counts(client, portal_world):
    w = portal_world
    DatasetUsage.objects.create(dataset=w.district_ds, day=timezone.localdate(), downloads=7)
    html = client.get(reverse("portal-home")).content.decode()
    popular = html.split('id="h-popular"')[1].split("</section>")[0]
    assert w.district_ds.item.name in popular
    assert w.open_ds.item.name not in popular


def test_home_announces_the_embargoed_release_without_linking_it(client, portal_world):
    w = portal_world
    html = client.get(reverse("portal-home")).content.decode()
    calendar = "".join(CALENDAR_PART.findall(html))
    assert EMBARGO_MARKER in calendar
    assert reverse("dataset-detail", args=[w.embargoed_ds.slug]) not in html


# --- dataset page -----------------------------------------------------------------------


def test_regency_dataset_shows_periods_as_rows_in_indonesian_format(client, portal_world):
    w = portal_world
    html = client.get(reverse("dataset-detail", args=[w.open_ds.slug])).content.decode()
    table = html.split('<table class="table values">')[1].split("</table>")[0]
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td class="num">([^<]*)</td>', table)
    assert rows == [("2025", "3.025"), ("2024", "3.024"), ("2023", "3.023")]
    assert "2023 – 2025" in html  # coverage


def test_regency_dataset_has_a_vega_lite_time_series(client, portal_world):
    w = portal_world
    html = client.get(reverse("dataset-detail", args=[w.open_ds.slug])).content.decode()
    series = spec(html, "spec-series")
    assert "vega-lite" in series["$schema"]
    assert series["mark"]["type"] == "line"
    assert [(v["period"], v["value"]) for v in series["data"]["values"]] == [
        ("2023", 3023.0),
        ("2024", 3024.0),
        ("2025", 3025.0),
    ]
    assert "/static/satudata/vendor/vega-embed.min.js" in html


def test_district_dataset_has_regions_as_rows_and_a_breakdown_filter(client, portal_world):
    w = portal_world
    url = reverse("dataset-detail", args=[w.district_ds.slug])
    html = client.get(url).content.decode()
    assert '<select id="b-jenis-kelamin" name="b-jenis-kelamin">' in html
    assert '<option value="L" selected>' in html
    table = html.split('<table class="table values">')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 31  # Jember's kecamatan
    # The first kecamatan, sex L is the first cell filled: 1000 + 2025.
    assert '<td class="num">3.025</td>' in table
    women = client.get(url + "?b-jenis-kelamin=P").content.decode()
    table = women.split('<table class="table values">')[1].split("</table>")[0]
    assert '<td class="num">3.026,5</td>' in table  # the second cell: + 1,5
    assert '<td class="num">3.025</td>' not in table


def test_district_dataset_charts_sum_the_regency_and_bar_the_kecamatan(client, portal_world):
    w = portal_world
    html = client.get(reverse("dataset-detail", args=[w.district_ds.slug])).content.decode()
    bars = spec(html, "spec-bars")
    assert bars["mark"]["type"] == "bar" and len(bars["data"]["values"]) == 31
    series = spec(html, "spec-series")
    # Sex L cells are n = 0, 2, 4 ... 60 of 62: 31 * 3025 + 1.5 * (0 + 2 + ... + 60).
    assert series["data"]["values"] == [
        {"period": "2025", "value": 31 * 3025 + 1.5 * 930, "text": "95.170"}
    ]


def test_village_dataset_names_the_kecamatan_and_sums_villages_into_bars(client, portal_world):
    item = DataItemFactory(
        decree=portal_world.open_ds.item.decree,
        agency=portal_world.open_ds.item.agency,
        periodicity="annual",
        level="village",
        name="Jumlah Posyandu",
        unit="unit",
    )
    fill(item, "2025", Decimal(2))
    ds = datasets_publish(actor=SYSTEM, items=[item]).datasets[0]
    html = client.get(reverse("dataset-detail", args=[ds.slug])).content.decode()
    table = html.split('<table class="table values">')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 248
    assert re.search(r'<th scope="row">[^<(]+ \(Jombang\)</th>', table)
    bars = spec(html, "spec-bars")["data"]["values"]
    assert len(bars) == 31
    assert sum(b["value"] for b in bars) == 2 * 248
    assert spec(html, "spec-series")["data"]["values"][0]["value"] == 2 * 248


def test_an_unknown_filter_value_falls_back_to_the_first_category(client, portal_world):
    url = reverse("dataset-detail", args=[portal_world.district_ds.slug])
    response = client.get(url + "?b-jenis-kelamin=X&period=1999")
    assert response.status_code == 200
    assert '<option value="L" selected>' in response.content.decode()


def test_limited_dataset_shows_metadata_and_the_request_link_never_values(client, portal_world):
    w = portal_world
    html = client.get(reverse("dataset-detail", args=[w.limited_ds.slug])).content.decode()
    assert LIMITED_MARKER in html
    assert 'class="badge limited"' in html
    assert reverse("access-request-create", args=[w.limited_ds.slug]) in html
    assert "UU 14/2008 pasal 17 huruf h" in html
    for absent in ("spec-series", "spec-bars", "table values", "data.csv", "datapackage.json"):
        assert absent not in html
    assert "vega" not in html
    assert_no_leak(html)


def test_dataset_page_has_metadata_license_citation_and_downloads(client, portal_world):
    w = portal_world
    html = client.get(reverse("dataset-detail", args=[w.open_ds.slug])).content.decode()
    assert "Penduduk dengan pengeluaran di bawah garis kemiskinan." in html
    assert "CC BY 4.0" in html and 'rel="license"' in html
    assert f"http://testserver/dataset/{w.open_ds.slug}/" in html.split('class="citation"')[1]
    for fmt in ("csv", "xlsx", "json", "stat.json"):
        assert reverse("dataset-download", args=[w.open_ds.slug, fmt]) in html
    assert reverse("dataset-datapackage", args=[w.open_ds.slug]) in html
    assert reverse("portal-agency", args=[w.open_ds.item.agency.slug]) in html


def ld_json(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_dataset_page_describes_itself_for_dataset_search_engines(client, portal_world):
    w = portal_world
    data = ld_json(client.get(reverse("dataset-detail", args=[w.open_ds.slug])).content.decode())
    assert data["@type"] == "Dataset" and data["name"] == w.open_ds.item.name
    assert data["temporalCoverage"] == "2023-01-01/2025-12-31"
    assert {d["encodingFormat"] for d in data["distribution"]} >= {"CSV", "JSON-stat 2.0"}
    assert all(d["contentUrl"].startswith("http://testserver/") for d in data["distribution"])
    limited = client.get(reverse("dataset-detail", args=[w.limited_ds.slug])).content.decode()
    assert "distribution" not in ld_json(limited)


def test_dataset_page_counts_a_view(client, portal_world):
    w = portal_world
    client.get(reverse("dataset-detail", args=[w.open_ds.slug]))
    client.get(reverse("dataset-detail", args=[w.open_ds.slug]))
    assert DatasetUsage.objects.get(dataset=w.open_ds).views == 2


def test_dataset_page_shows_its_revision_history(client, portal_world):
    html = client.get(reverse("dataset-detail", args=[portal_world.open_ds.slug])).content.decode()
    history = html.split('id="h-history"')[1]
    assert "<tbody>" in history and "No changes yet" not in history


def test_the_table_shows_the_last_periods_and_says_the_rest_is_in_the_downloads(
    client, portal_world
):
    item = DataItemFactory(
        decree=portal_world.open_ds.item.decree,
        agency=portal_world.open_ds.item.agency,
        periodicity="annual",
        level="regency",
        name="Panjang Jalan",
        unit="km",
    )
    for year in range(2010, 2023):
        fill(item, str(year))
    ds = datasets_publish(actor=SYSTEM, items=[item]).datasets[0]
    html = client.get(reverse("dataset-detail", args=[ds.slug])).content.decode()
    table = html.split('<table class="table values">')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == TABLE_PERIODS
    assert "2010" not in table and "2022" in table
    assert "3 older periods" in html or "3 periode" in html
    assert len(spec(html, "spec-series")["data"]["values"]) == 13


def test_dataset_page_needs_few_queries(client, portal_world, django_assert_max_num_queries):
    url = reverse("dataset-detail", args=[portal_world.district_ds.slug])
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)


def test_the_embargoed_dataset_appears_at_its_release_time(client, portal_world):
    w = portal_world
    release_at = w.embargoed_ds.releases.get().release_at
    url = reverse("dataset-detail", args=[w.embargoed_ds.slug])
    # Warm the caches first: the release must show although the pages were cached before.
    assert url not in client.get(reverse("portal-home")).content.decode()
    assert client.get(url).status_code == 404
    with mock.patch("django.utils.timezone.now", return_value=release_at + dt.timedelta(minutes=1)):
        response = client.get(url)
        home = client.get(reverse("portal-home")).content.decode()
    assert response.status_code == 200
    assert "736.455,428" in response.content.decode()
    assert url in home


def test_a_withdrawal_leaves_the_cached_home_page_at_once(client, portal_world, walidata):
    w = portal_world
    url = reverse("dataset-detail", args=[w.district_ds.slug])
    assert url in client.get(reverse("portal-home")).content.decode()
    dataset_withdraw(actor=walidata, dataset=w.district_ds, reason="Koreksi.")
    assert url not in client.get(reverse("portal-home")).content.decode()


def test_a_reclassification_to_closed_leaves_the_cached_pages_at_once(
    client, portal_world, walidata
):
    w = portal_world
    url = reverse("dataset-detail", args=[w.open_ds.slug])
    assert url in client.get(reverse("portal-home")).content.decode()
    assert client.get(url).status_code == 200
    item_update(
        actor=walidata,
        item=w.open_ds.item,
        accessibility="closed",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    assert url not in client.get(reverse("portal-home")).content.decode()
    assert client.get(url).status_code == 404


def test_edited_metadata_shows_at_once_on_the_cached_dataset_page(client, portal_world, walidata):
    w = portal_world
    url = reverse("dataset-detail", args=[w.open_ds.slug])
    assert "Sensus Ekonomi" not in client.get(url).content.decode()
    item_update(actor=walidata, item=w.open_ds.item, source_activity="Sensus Ekonomi 2026")
    assert "Sensus Ekonomi 2026" in client.get(url).content.decode()


def test_revised_values_show_at_once_on_the_cached_dataset_page(client, portal_world):
    w = portal_world
    url = reverse("dataset-detail", args=[w.open_ds.slug])
    assert '<td class="num">3.025</td>' in client.get(url).content.decode()
    fill(w.open_ds.item, "2025", Decimal("4242.5"))
    html = client.get(url).content.decode()
    assert '<td class="num">4.242,5</td>' in html
    assert '<td class="num">3.025</td>' not in html


# --- agencies, topics, calendar --------------------------------------------------------


def test_agency_list_counts_public_datasets_only(client, portal_world, education):
    html = client.get(reverse("portal-agency-list")).content.decode()
    # Dinkes: open, district, limited (the embargoed and withdrawn ones do not count yet).
    dinkes = html.split(">Dinas Kesehatan</a>")[1].split("</li>")[0]
    assert "3 " in dinkes
    assert ">Dinas Pendidikan</a>" in html  # an active agency without datasets is listed


def test_agency_page_lists_its_public_datasets(client, portal_world):
    w = portal_world
    html = client.get(reverse("portal-agency", args=[w.open_ds.item.agency.slug])).content.decode()
    for ds in (w.open_ds, w.district_ds, w.limited_ds):
        assert reverse("dataset-detail", args=[ds.slug]) in html
    assert client.get(reverse("portal-agency", args=["nope"])).status_code == 404


def test_topic_pages_list_their_datasets(client, portal_world):
    w = portal_world
    listing = client.get(reverse("portal-topic-list")).content.decode()
    assert reverse("portal-topic", args=["sosial"]) in listing
    html = client.get(reverse("portal-topic", args=["sosial"])).content.decode()
    assert reverse("dataset-detail", args=[w.open_ds.slug]) in html
    assert client.get(reverse("portal-topic", args=["nope"])).status_code == 404


def test_release_calendar_shows_the_embargo_time_and_filters_by_month(client, portal_world):
    release_at = portal_world.embargoed_ds.releases.get().release_at
    local = timezone.localtime(release_at)
    html = client.get(reverse("portal-release-calendar")).content.decode()
    assert f'datetime="{local.isoformat()}"' in html
    later = (local.date().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    other_month = client.get(reverse("portal-release-calendar") + f"?month={later}")
    assert EMBARGO_MARKER not in other_month.content.decode()


# --- sitemap, robots, feed ---------------------------------------------------------------


def test_sitemap_is_xml_listing_the_public_datasets_only(client, portal_world):
    w = portal_world
    response = client.get(reverse("sitemap"))
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    locs = [e.text for e in root.iter(f"{SITEMAP}loc")]
    datasets = {loc for loc in locs if "/dataset/" in loc and loc.count("/") == 5}
    expected = {w.open_ds.slug, w.district_ds.slug, w.limited_ds.slug}
    assert datasets == {f"http://testserver/dataset/{slug}/" for slug in expected}
    assert "http://testserver/" in locs
    assert len(list(root.iter(f"{SITEMAP}lastmod"))) == 3
    assert_no_leak(response.content.decode())


def test_robots_allows_all_but_the_workspace_and_points_to_the_sitemap(client, db):
    text = client.get(reverse("robots")).content.decode()
    assert "User-agent: *" in text
    for path in ("/app/", "/admin/", "/access/"):
        assert f"Disallow: {path}" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_feed_is_atom_of_public_datasets_only(client, portal_world):
    w = portal_world
    response = client.get(reverse("dataset-feed"))
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    links = {e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")}
    expected = {w.open_ds.slug, w.district_ds.slug, w.limited_ds.slug}
    assert links == {f"http://testserver/dataset/{slug}/" for slug in expected}
    assert_no_leak(response.content.decode())
    assert EMBARGO_MARKER not in response.content.decode()


# --- small helpers ------------------------------------------------------------------------


def test_period_labels_read_as_people_say_them():
    assert period_label("2025") == "2025"
    assert period_label("2025-S1") == "Semester 1 2025"
    assert period_label("2025-Q3") in ("Triwulan III 2025", "Quarter III 2025")
    assert period_label("2025-07") in ("Juli 2025", "July 2025")
    assert period_label("junk") == "junk"


@pytest.mark.parametrize(
    ("unit", "additive"),
    [("jiwa", True), ("orang", True), ("persen", False), ("per 1.000 kelahiran hidup", False)],
)
def test_only_counts_are_summed_over_regions(unit, additive):
    assert is_additive(unit) is additive
