"""The typed answers of the native API v1 (their JSON Schema is the OpenAPI document's)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Error(Schema):
    """Every error: a reason a person can read."""

    detail: str


class LimitedError(Error):
    """Values of a limited dataset: not public; where to ask for them."""

    access_request_url: str


class AgencyOut(Schema):
    slug: str
    name: str
    short_name: str
    code: str
    website: str
    dataset_count: int
    url: str


class TopicOut(Schema):
    slug: str
    name: str
    dataset_count: int
    url: str


class BreakdownOut(Schema):
    slug: str
    name: str
    categories: list[str]


class DatasetSummary(Schema):
    slug: str
    code: str
    title: str
    agency: str
    agency_name: str
    topic: str | None
    periodicity: str
    level: str
    unit: str
    accessibility: str
    modified_at: dt.datetime
    url: str
    api_url: str


class DatasetPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[DatasetSummary]


class DatasetDetail(DatasetSummary):
    definition: str
    license: str
    listed_at: dt.datetime
    periods: list[str]
    breakdowns: list[BreakdownOut]
    metadata: dict[str, str]
    downloads: dict[str, str]
    observations_url: str | None
    access_request_url: str | None


class ObservationOut(Schema):
    period: str
    region: str
    region_name: str
    breakdown: dict[str, str]
    value: float
    status: str
    note: str


class ObservationPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ObservationOut]
