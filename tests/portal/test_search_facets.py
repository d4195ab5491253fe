"""PostgreSQL's one-scan facet counts give exactly the numbers of the query-per-facet way."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.utils import timezone

from satudata.portal.search_facets import _one_scan, _per_facet, filtered
from satudata.portal.search_index import backend
from satudata.portal.search_text import query_terms
from satudata.portal.selectors import public_dataset_rows
from satudata.portal.services import datasets_publish
from tests.factories import SYSTEM, AgencyFactory, DataItemFactory, TopicFactory
from tests.portal.conftest import fill

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="GROUPING SETS: PostgreSQL only"
)

FILTERS = {
    # Agencies and topics by the fixture's slugs (filled in by `more`).
    "agency": [["HEALTH"], ["HEALTH", "OTHER"], ["tidak-ada"]],
    "topic": [["SOCIAL"], ["tidak-ada"]],
    "year": [["2025"], ["2023", "2024"]],
    "format": [["csv"], ["pdf"]],
    "level": [["district"]],
    "periodicity": [["annual"]],
}


@pytest.fixture
def more(portal_world, decree, health, social):
    other = AgencyFactory(code="1.06.01", name="Dinas Sosial", short_name="Dinsos")
    topic = TopicFactory(name="Pertanian")
    items = []
    kinds = itertools.product((health, other), ("district", "regency"))
    for n, (agency, level) in enumerate(kinds):
        items.append(
            DataItemFactory(
                decree=decree, agency=agency, topic=topic, level=level, name=f"Produksi Padi {n}"
            )
        )
        fill(items[-1], str(2023 + n % 3))
    datasets_publish(actor=SYSTEM, items=items)
    return {"HEALTH": health.slug, "OTHER": other.slug, "SOCIAL": social.slug}


def _cases(slugs):
    named = {
        name: [[slugs.get(v, v) for v in values] for values in lists]
        for name, lists in FILTERS.items()
    }
    names = list(named)
    yield {}
    for name in names:
        for values in named[name]:
            yield {name: values}
    for first, second in itertools.combinations(names, 2):
        yield {first: named[first][0], second: named[second][-1]}
    yield {name: named[name][0] for name in names}


@pytest.mark.parametrize("words", ["", "padi", "penduduk miskin"])
def test_one_scan_equals_a_query_per_facet(more, words):
    now = timezone.now()
    found = public_dataset_rows(now)
    terms = query_terms(words)
    if terms:
        from django.db.models.expressions import RawSQL

        sql, params = backend().match_sql(terms)
        found = found.filter(pk__in=RawSQL(sql, params))
    for filters in _cases(more):
        expected = _per_facet(found, filters, now)
        got = _one_scan(found, filters, now)
        assert got == expected, filters
        # Plain integers (JSON answers carry them), not the Decimal a SQL sum() gives.
        counts = [got[0], *(v.count for values in got[1].values() for v in values)]
        assert {type(n) for n in counts} == {int}
        assert expected[0] == filtered(found, filters, now).count()
