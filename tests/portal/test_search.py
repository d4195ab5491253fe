"""Dataset search: Indonesian stemming, the public rules applied live, facets, sorts, paging.

Run on SQLite by default and on PostgreSQL with DATABASE_URL: the assertions are the same, so
both backends must find the same datasets.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from satudata.catalog.services import item_update
from satudata.portal.models import DatasetUsage
from satudata.portal.search import (
    MAX_ROWS,
    SearchQuery,
    dataset_search,
    search_index_update,
)
from satudata.portal.search_index import backend
from satudata.portal.search_text import query_terms, stem, stemmed
from satudata.portal.services import dataset_withdraw, datasets_publish
from tests.factories import SYSTEM, DataItemFactory, TopicFactory
from tests.portal.conftest import (
    CLOSED_MARKER,
    EMBARGO_MARKER,
    LIMITED_MARKER,
    VALUE_MARKERS,
    WITHDRAWN_MARKER,
    fill,
)


def found(q: str = "", now: dt.datetime | None = None, **kw) -> list[str]:
    """The codes a search returns, in order."""
    return [d.code for d in dataset_search(SearchQuery(q=q, rows=100, **kw), now=now).datasets]


def facet(result, name: str) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[name]}


def publish(decree, agency, **kw):
    """A new open dataset with its 2025 values released."""
    kw.setdefault("level", "regency")
    item = DataItemFactory(decree=decree, agency=agency, **kw)
    fill(item, "2025")
    return datasets_publish(actor=SYSTEM, items=[item]).datasets[0]


# Stemming ------------------------------------------------------------------------------


def test_sastrawi_reduces_words_to_their_roots():
    assert stem("pendidikan") == "didik"
    assert stem("kesehatan") == "sehat"
    assert stem("2025") == "2025"
    assert stemmed("Jumlah Anak-anak, 1.02.01") == "jumlah anak anak 1 02 01"
    assert query_terms("data dan pendidikan di Jember") == ["data", "didik", "jember"]


def test_pendidikan_finds_didik_and_didik_finds_pendidikan(portal_world, decree, education):
    w = portal_world
    pupils = publish(decree, education, name="Rasio Anak Didik per Guru")
    assert set(found("pendidikan")) == {w.district_ds.code, pupils.code}
    assert set(found("didik")) == {w.district_ds.code, pupils.code}


def test_kesehatan_finds_a_dataset_that_says_sehat(portal_world, decree, education):
    healthy = publish(
        decree, education, name="Sekolah Ramah Anak", definition="Sekolah dengan kantin sehat."
    )
    # Every Dinkes dataset says "Kesehatan" through its agency's name; this one only "sehat".
    assert healthy.code in found("kesehatan")
    assert found("kesehatan sekolah") == [healthy.code]


def test_words_are_anded_and_operators_are_plain_words(portal_world):
    w = portal_world
    assert found("penduduk miskin") == [w.open_ds.code]
    result = dataset_search(SearchQuery(q="penduduk miskin"))
    assert result.count == 1 and not result.any_term
    assert found('miskin NEAR "*') == [w.open_ds.code]  # "near" is a word: no dataset has it
    assert found("miskin*") == [w.open_ds.code]


def test_when_no_dataset_holds_every_word_those_holding_any_are_given_and_flagged(
    portal_world, client
):
    w = portal_world
    # JOURNEYS.md: the citizen types "angka kemiskinan"; the title says "Penduduk Miskin".
    result = dataset_search(SearchQuery(q="angka kemiskinan"))
    assert result.any_term and [d.code for d in result.datasets] == [w.open_ds.code]
    assert dataset_search(SearchQuery(q="kata-yang-tidak-ada sama-sekali")).count == 0
    page = client.get(reverse("dataset-search"), {"q": "angka kemiskinan"}, HTTP_COOKIE="")
    assert page.status_code == 200
    assert w.open_ds.item.name in page.content.decode()
    assert "search-any-term" in page.content.decode()


# What the public may find ------------------------------------------------------------------


def test_a_limited_dataset_is_found_by_its_title_but_hidden_ones_never(portal_world):
    w = portal_world
    assert found(LIMITED_MARKER) == [w.limited_ds.code]
    assert found(CLOSED_MARKER) == []
    assert found(EMBARGO_MARKER) == []
    assert found(WITHDRAWN_MARKER) == []
    assert set(found()) == {w.open_ds.code, w.district_ds.code, w.limited_ds.code}


def test_an_embargoed_dataset_is_found_from_its_release_time_on(portal_world):
    w = portal_world
    release_at = w.embargoed_ds.releases.get().release_at
    assert found(EMBARGO_MARKER, now=release_at - dt.timedelta(seconds=1)) == []
    assert found(EMBARGO_MARKER, now=release_at) == [w.embargoed_ds.code]


def test_reclassification_and_withdrawal_apply_at_once(portal_world, walidata):
    w = portal_world
    item_update(
        actor=walidata,
        item=w.open_ds.item,
        accessibility="closed",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    assert found("miskin") == []
    dataset_withdraw(actor=walidata, dataset=w.district_ds, reason="Koreksi.")
    assert found("siswa") == []


def test_a_renamed_item_is_found_by_its_new_name(portal_world, walidata):
    w = portal_world
    assert found("pangan") == []
    item_update(actor=walidata, item=w.open_ds.item, name="Penduduk Rentan Pangan")
    assert found("rentan pangan") == [w.open_ds.code]


def test_a_republished_dataset_is_found_again(portal_world, walidata):
    w = portal_world
    item = w.withdrawn_ds.item
    datasets_publish(actor=walidata, items=[item])
    assert found(WITHDRAWN_MARKER) == [w.withdrawn_ds.code]


def test_the_reindex_command_rebuilds_the_index(portal_world):
    w = portal_world
    with connection.cursor() as cursor:
        backend().clear(cursor)
    assert found("didik") == []
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "datasets indexed" in out.getvalue()
    assert found("didik") == [w.district_ds.code]


def test_search_index_update_rewrites_the_named_datasets_only(portal_world):
    w = portal_world
    with connection.cursor() as cursor:
        backend().clear(cursor)
    search_index_update([w.open_ds.code])
    assert found("miskin") == [w.open_ds.code]
    assert found("siswa") == []


# Facets and filters ------------------------------------------------------------------------


def test_facets_count_the_matching_public_datasets(portal_world, health):
    result = dataset_search(SearchQuery())
    assert result.count == 3
    assert facet(result, "agency") == {health.slug: 3}
    assert [v.label for v in result.facets["agency"]] == ["Dinkes"]
    assert facet(result, "topic") == {"sosial": 3}
    assert facet(result, "periodicity") == {"annual": 3}
    assert facet(result, "level") == {"regency": 2, "district": 1}
    # Years and formats are those of values: never the limited dataset's.
    assert facet(result, "year") == {"2025": 2, "2024": 1, "2023": 1}
    assert facet(result, "format") == {"csv": 2, "xlsx": 2, "json": 2, "stat.json": 2}


def test_facets_follow_the_words(portal_world):
    result = dataset_search(SearchQuery(q="miskin"))
    assert result.count == 1
    assert facet(result, "level") == {"regency": 1}
    assert facet(result, "year") == {"2025": 1, "2024": 1, "2023": 1}


def test_filters_are_anded_across_facets_and_ored_within_one(
    portal_world, decree, education, health
):
    w = portal_world
    other = publish(decree, education, name="Jumlah Guru", level="district")
    assert set(found(filters={"level": ["district"]})) == {w.district_ds.code, other.code}
    assert set(found(filters={"level": ["district"], "agency": [health.slug]})) == {
        w.district_ds.code
    }
    assert set(found(filters={"agency": [health.slug, education.slug]})) == {
        w.open_ds.code,
        w.district_ds.code,
        w.limited_ds.code,
        other.code,
    }
    assert found(filters={"year": ["2023"]}) == [w.open_ds.code]
    assert w.limited_ds.code not in found(filters={"format": ["csv"]})
    assert found(filters={"format": ["exe"]}) == []
    assert found("siswa", filters={"format": ["exe"]}) == []
    assert found("siswa", filters={"year": ["99999"]}) == []  # not a year: nothing matches
    assert set(found(filters={"level": "district"})) == {w.district_ds.code, other.code}
    assert found(filters={"topic": ["no-such-topic"]}) == []
    assert set(found(filters={"colour": ["red"]})) == set(found())  # unknown facet: ignored


def test_a_facets_counts_ignore_its_own_filter_but_follow_the_others(portal_world, health):
    result = dataset_search(SearchQuery(filters={"level": ["district"]}))
    assert result.count == 1
    # Ticking "district" still shows what ticking "regency" as well would add...
    assert facet(result, "level") == {"regency": 2, "district": 1}
    # ...while the other facets count the district datasets only.
    assert facet(result, "agency") == {health.slug: 1}
    assert facet(result, "year") == {"2025": 1}


# Sorts and paging ----------------------------------------------------------------------------


def test_sorts(portal_world, decree, education):
    w = portal_world
    by_name = found(sort="name")
    assert by_name == [w.limited_ds.code, w.open_ds.code, w.district_ds.code]
    newest = publish(decree, education, name="Angka Zaman Baru")
    assert found(sort="newest")[0] == newest.code
    assert found(sort="updated")[0] == newest.code
    today = timezone.localdate()
    DatasetUsage.objects.create(dataset=w.district_ds, day=today, downloads=5)
    DatasetUsage.objects.create(dataset=w.open_ds, day=today, downloads=2)
    DatasetUsage.objects.create(dataset=w.open_ds, day=today - dt.timedelta(days=1), downloads=4)
    assert found(sort="downloads")[:2] == [w.open_ds.code, w.district_ds.code]
    assert found(sort="no-such-sort") == found(sort="newest")
    assert found() == found(sort="newest")  # relevance without words: newest first


def test_relevance_puts_a_word_in_the_title_first(portal_world, decree, education):
    in_title = publish(decree, education, name="Jumlah Perpustakaan Desa")
    in_text = publish(
        decree, education, name="Jumlah Taman Baca", definition="Termasuk pojok perpustakaan."
    )
    assert found("perpustakaan", sort="relevance") == [in_title.code, in_text.code]


def test_the_last_update_shown_is_never_in_the_future(portal_world):
    w = portal_world
    tomorrow = timezone.now() + dt.timedelta(days=1)
    type(w.open_ds).objects.filter(pk=w.open_ds.pk).update(modified_at=tomorrow)
    [hit] = dataset_search(SearchQuery(q="miskin")).datasets
    assert hit.last_update <= timezone.now()


def test_paging(portal_world):
    all_codes = found(sort="name")
    page = dataset_search(SearchQuery(sort="name", start=1, rows=1))
    assert page.count == 3
    assert [d.code for d in page.datasets] == all_codes[1:2]
    assert dataset_search(SearchQuery(start=-5, rows=2)).datasets[0].code == all_codes[0]
    assert dataset_search(SearchQuery(rows=0)).datasets == []
    assert dataset_search(SearchQuery(rows=10**9)).count == 3  # capped, not refused
    assert MAX_ROWS == 1000


# The page ------------------------------------------------------------------------------------


def test_the_page_lists_results_with_facets_and_their_counts(client, portal_world, health):
    w = portal_world
    page = client.get(reverse("dataset-search"), {"q": "siswa"})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("dataset-detail", args=[w.district_ds.slug]) in html
    assert w.open_ds.slug not in html
    assert f'name="agency" value="{health.slug}"' in html
    assert 'name="level" value="district"' in html
    assert 'name="q" value="siswa"' in html


def test_the_page_marks_limited_datasets_and_ticks_the_asked_filters(client, portal_world):
    page = client.get(reverse("dataset-search"), {"level": "regency"})
    html = page.content.decode()
    assert 'class="search-badge"' in html
    assert 'name="level" value="regency" checked' in html
    assert 'name="level" value="district">' in html


def test_a_ticked_filter_stays_visible_when_nothing_matches_it(client, portal_world, health):
    page = client.get(reverse("dataset-search"), {"q": "siswa", "level": "regency"})
    html = page.content.decode()
    assert 'name="level" value="regency" checked' in html
    assert "search-empty" in html


def test_the_page_helps_when_nothing_is_found(client, portal_world):
    page = client.get(reverse("dataset-search"), {"q": "zzzz tidak ada", "topic": "sosial"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "search-empty" in html
    assert reverse("portal-topic-list") in html


def test_the_page_pages(client, portal_world, decree, education):
    topic = TopicFactory(name="Uji Halaman", slug="uji-halaman")
    for n in range(21):
        item = DataItemFactory(
            decree=decree, agency=education, topic=topic, name=f"Halaman {n:02d}", level="regency"
        )
        fill(item, "2025")
        datasets_publish(actor=SYSTEM, items=[item])
    first = client.get(reverse("dataset-search"), {"topic": "uji-halaman", "sort": "name"})
    assert 'rel="next" href="?topic=uji-halaman&amp;sort=name&amp;page=2"' in first.content.decode()
    second = client.get(
        reverse("dataset-search"), {"topic": "uji-halaman", "sort": "name", "page": "2"}
    )
    html = second.content.decode()
    assert "Halaman 20" in html and "Halaman 00" not in html
    assert 'rel="prev"' in html and 'rel="next"' not in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": LIMITED_MARKER},
        {"q": CLOSED_MARKER},
        {"q": EMBARGO_MARKER},
        {"q": WITHDRAWN_MARKER},
        {"q": "data", "sort": "downloads"},
        {"format": "csv", "year": "2025"},
        {"sort": "updated", "page": "99"},
        {"q": "<script>", "agency": "x", "page": "abc"},
    ],
)
def test_the_page_never_shows_hidden_data(client, portal_world, params):
    html = client.get(reverse("dataset-search"), params).content.decode()
    # The words typed are echoed (title, search box): take them out, then look for the
    # hidden datasets' markers and the rest of their titles.
    html = html.replace(params.get("q", "@@"), "")
    hidden_titles = ("Data Tertutup", "Data Embargo", "Data Ditarik")
    for marker in (CLOSED_MARKER, EMBARGO_MARKER, WITHDRAWN_MARKER, *VALUE_MARKERS, *hidden_titles):
        assert marker not in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script>" not in main


def test_an_embargoed_year_counts_in_the_year_facet_from_its_release_time(portal_world):
    release = portal_world.embargoed_ds.releases.get()
    before = dataset_search(SearchQuery(), now=release.release_at - dt.timedelta(seconds=1))
    assert facet(before, "year")["2025"] == 2
    after = dataset_search(SearchQuery(), now=release.release_at)
    assert facet(after, "year")["2025"] == 3
    # The summary was brought up to date by that search: nothing is pending any more.
    portal_world.embargoed_ds.refresh_from_db()
    assert (portal_world.embargoed_ds.released_years, portal_world.embargoed_ds.pending_at) == (
        "2025",
        None,
    )
