"""The facet counts of a search: how many matching datasets each facet value holds.

Facets follow the checkboxes of the search page: filters are ANDed across facets and ORed
within one, and the counts of a facet are taken over the datasets matching the words and
every OTHER facet's filters (so that ticking "Dinkes" still shows how many datasets ticking
"Dispendik" as well would add). Without filters the counts are over the matching datasets.

Two ways to the same numbers:
- everywhere: one GROUP BY over the matching datasets for the count and every facet without a
  ticked value, and one more per facet with a ticked value (its own filter left out);
- on PostgreSQL: one scan whatever is ticked, GROUPING SETS giving each facet's values at once,
  and one count per ticked facet with FILTER (WHERE every other facet's condition). At 100,000
  datasets a search with three facets ticked reads the table once instead of four times.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Q,
    QuerySet,
)
from django.db.models.expressions import Value

from satudata.accounts.models import Agency
from satudata.catalog.choices import Accessibility, Periodicity, PresentationLevel
from satudata.catalog.models import Topic
from satudata.portal.choices import DownloadFormat
from satudata.portal.models import Dataset

FACETS = ("agency", "topic", "periodicity", "year", "format", "level")
# Grouped by ids, not by the agencies' and topics' names: one join fewer over every dataset
# (half the time at 100,000 datasets); the names of the few ids are read afterwards. The year
# summary is grouped too (a few dozen distinct values): the year facet comes from the same
# scan instead of a second query matching the words again.
GROUP_FIELDS = ("agency_id", "topic_id", "periodicity", "level", "accessibility", "released_years")


@dataclass
class FacetValue:
    value: str  # what goes in the filter (agency slug, topic slug, "annual", "2025", "csv")
    label: str  # what a person reads
    count: int


def facet_condition(name: str, values: list[str], now: dt.datetime) -> Q | Exists | None:
    """The condition a dataset meets to pass one facet's filter; None when none can."""
    # The dataset's own copies of its item's agency and topic, by id: no join over every row.
    if name == "agency":
        return Q(agency_id__in=Agency.objects.filter(slug__in=values).values("pk"))
    if name == "topic":
        return Q(topic_id__in=Topic.objects.filter(slug__in=values).values("pk"))
    if name in ("periodicity", "level"):
        return Q(**{f"{name}__in": values})
    if name == "year":
        years = [v for v in values if v.isdigit() and len(v) == 4]
        if not years:
            return None
        # The dataset's own summary of its released years (the year facet counts it too, and
        # the search brings it up to date when an embargo passes): no look at the releases
        # for each of 100,000 datasets. Open datasets only: a dataset classed limited later
        # keeps its old releases, which are no longer public.
        # The summary is four-digit years joined by commas: "2020" is in it only as a year.
        held = Q()
        for year in years:
            held |= Q(released_years__contains=year)
        return held & Q(accessibility=Accessibility.OPEN)
    # format: every open dataset is downloadable in every format; a limited one in none.
    if set(values) & set(DownloadFormat.values):
        return Q(accessibility=Accessibility.OPEN)
    return None


def filtered(
    datasets: QuerySet[Dataset], filters: dict[str, list[str]], now: dt.datetime
) -> QuerySet[Dataset]:
    """The datasets passing every facet's filter (any of the values within one facet)."""
    for name, values in filters.items():
        condition = facet_condition(name, values, now)
        datasets = datasets.none() if condition is None else datasets.filter(condition)
    return datasets


def _without(filters: dict[str, list[str]], name: str) -> dict[str, list[str]]:
    return {k: v for k, v in filters.items() if k != name}


def facets_count(
    found: QuerySet[Dataset], filters: dict[str, list[str]], now: dt.datetime
) -> tuple[int, dict[str, list[FacetValue]]]:
    """The number of matching datasets and every facet's values with their counts."""
    if connection.vendor == "postgresql":
        return _one_scan(found, filters, now)
    return _per_facet(found, filters, now)


def _per_facet(
    found: QuerySet[Dataset], filters: dict[str, list[str]], now: dt.datetime
) -> tuple[int, dict[str, list[FacetValue]]]:
    """Any database: a GROUP BY for the count, and one more per facet with a ticked value."""
    matching = filtered(found, filters, now)
    groups = _groups(matching)
    facets: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        own = _groups(filtered(found, _without(filters, name), now)) if name in filters else groups
        facets[name] = _years(own) if name == "year" else _tally(name, own)
    return sum(g["n"] for g in groups), facets


def _groups(datasets: QuerySet[Dataset]) -> list[dict]:
    return _named(list(datasets.order_by().values(*GROUP_FIELDS).annotate(n=Count("pk"))))


def _named(groups: list[dict]) -> list[dict]:
    """The groups with their agency's and topic's slug and name (read for the few ids)."""
    agencies = {g["agency_id"] for g in groups} - {None}
    topics = {g["topic_id"] for g in groups} - {None}
    agency = {
        pk: (slug, name)
        for pk, slug, name in Agency.objects.filter(pk__in=agencies).values_list(
            "pk", "slug", "short_name"
        )
    }
    topic = {
        pk: (slug, name)
        for pk, slug, name in Topic.objects.filter(pk__in=topics).values_list("pk", "slug", "name")
    }
    for g in groups:
        g["agency_slug"], g["agency_name"] = agency.get(g["agency_id"], (None, ""))
        g["topic_slug"], g["topic_name"] = topic.get(g["topic_id"], (None, ""))
    return groups


# Which grouping set a row of the one scan belongs to: GROUPING() over these columns gives a
# bit per column, 1 where the row is NOT grouped by it (most significant bit first).
SET_COLUMNS = ("agency_id", "topic_id", "periodicity", "level", "accessibility")
SETS = {
    "agency": ("agency_id",),
    "topic": ("topic_id",),
    "periodicity": ("periodicity",),
    "level": ("level",),
    "classes": ("accessibility", "released_years"),  # the year and format facets
    "total": (),
}


def _bits(columns: tuple[str, ...]) -> int:
    width = len(SET_COLUMNS)
    return sum(
        1 << (width - 1 - i) for i, column in enumerate(SET_COLUMNS) if column not in columns
    )


def _one_scan(
    found: QuerySet[Dataset], filters: dict[str, list[str]], now: dt.datetime
) -> tuple[int, dict[str, list[FacetValue]]]:
    """PostgreSQL: every facet and the count from one scan of the matching datasets."""
    conditions = {}
    for name, values in filters.items():
        condition = facet_condition(name, values, now)
        conditions[f"f_{name}"] = ExpressionWrapper(
            Value(False) if condition is None else condition, output_field=BooleanField()
        )
    rows = found.order_by().annotate(**conditions).values(*GROUP_FIELDS, *conditions)
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:  # words that can match nothing
        return 0, {name: [] for name in FACETS}

    def count(leave_out: str | None = None) -> str:
        kept = [f"s.{c}" for c in conditions if c != f"f_{leave_out}"]
        return f"count(*) FILTER (WHERE {' AND '.join(kept)})" if kept else "count(*)"

    sets = ", ".join("(" + ", ".join(f"s.{c}" for c in columns) + ")" for columns in SETS.values())
    sql = (
        f"SELECT s.agency_id, s.topic_id, s.periodicity, s.level, s.accessibility, "
        f"s.released_years, GROUPING({', '.join(f's.{c}' for c in SET_COLUMNS)}), {count()}"
        + "".join(f", {count(name)}" for name in filters)
        + f" FROM ({inner}) AS s GROUP BY GROUPING SETS ({sets})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    by_set: dict[int, list[dict]] = {}
    for row in fetched:
        group = dict(zip(GROUP_FIELDS, row[:6], strict=True))
        group["n"] = row[7]
        # A ticked facet's own counts leave its own filter out.
        group.update({f"n_{name}": row[8 + i] for i, name in enumerate(filters)})
        by_set.setdefault(row[6], []).append(group)
    _named([g for groups in by_set.values() for g in groups])

    def groups_of(set_name: str, facet: str) -> list[dict]:
        groups = by_set.get(_bits(SETS[set_name]), [])
        key = f"n_{facet}" if facet in filters else "n"
        return [{**g, "n": g[key]} for g in groups if g[key]]

    facets = {}
    for name in FACETS:
        if name in ("year", "format"):
            groups = groups_of("classes", name)
            facets[name] = _years(groups) if name == "year" else _tally(name, groups)
        else:
            facets[name] = _tally(name, groups_of(name, name))
    total = by_set.get(_bits(SETS["total"]), [{"n": 0}])[0]["n"]
    return total, facets


def _tally(name: str, groups: list[dict]) -> list[FacetValue]:
    """One facet's values from the groups: counts summed per value, largest first."""
    if name == "format":
        # Every open dataset is downloadable in every format; a limited one in none.
        n = sum(g["n"] for g in groups if g["accessibility"] == Accessibility.OPEN)
        return [FacetValue(f.value, str(f.label), n) for f in DownloadFormat] if n else []
    field, label_field = {
        "agency": ("agency_slug", "agency_name"),
        "topic": ("topic_slug", "topic_name"),
        "periodicity": ("periodicity", ""),
        "level": ("level", ""),
    }[name]
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for g in groups:
        value = g[field]
        if value is not None:  # a dataset without a topic
            counts[value] += g["n"]
            labels[value] = g[label_field] if label_field else value
    if not label_field:
        choices = dict((Periodicity if name == "periodicity" else PresentationLevel).choices)
        labels = {value: str(choices.get(value, value)) for value in labels}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], labels[kv[0]]))
    return [FacetValue(value, labels[value], n) for value, n in ranked]


def _years(groups: list[dict]) -> list[FacetValue]:
    """Years with released values among the grouped datasets, newest first: open ones only (a
    dataset classed limited later keeps its old releases, which are no longer public)."""
    years: Counter[str] = Counter()
    for g in groups:
        if g["accessibility"] == Accessibility.OPEN and g["released_years"]:
            for year in g["released_years"].split(","):
                years[year] += g["n"]
    return [FacetValue(y, y, years[y]) for y in sorted(years, reverse=True)]
