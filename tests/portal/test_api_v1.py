"""The native API v1: datasets, observations with filters, agencies, topics, OpenAPI, no leak."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from satudata.portal.models import DatasetUsage
from tests.portal.conftest import (
    CLOSED_MARKER,
    EMBARGO_MARKER,
    LIMITED_MARKER,
    VALUE_MARKERS,
    WITHDRAWN_MARKER,
)

HIDDEN = (CLOSED_MARKER, EMBARGO_MARKER, WITHDRAWN_MARKER, *VALUE_MARKERS)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The rate limit counts in the cache, which outlives a test: start and leave it at zero.
    cache.clear()
    yield
    cache.clear()


def get(client, path, **params):
    response = client.get(f"/api/v1{path}", params)
    return response, response.json()


def test_datasets_lists_the_public_datasets_with_paging(client, portal_world):
    w = portal_world
    response, body = get(client, "/datasets", limit=2)
    assert response.status_code == 200
    assert body["count"] == 3 and body["limit"] == 2 and len(body["items"]) == 2
    _, rest = get(client, "/datasets", limit=2, offset=2)
    slugs = {d["slug"] for d in body["items"] + rest["items"]}
    assert slugs == {w.open_ds.slug, w.district_ds.slug, w.limited_ds.slug}
    first = body["items"][0]
    assert first["api_url"] == f"http://testserver/api/v1/datasets/{first['slug']}"


def test_datasets_refuses_a_page_too_large_with_a_reason(client, db):
    response, body = get(client, "/datasets", limit=5000)
    assert response.status_code == 422
    assert body["detail"]


def test_dataset_detail_gives_metadata_periods_and_downloads(client, portal_world):
    ds = portal_world.district_ds
    response, body = get(client, f"/datasets/{ds.slug}")
    assert response.status_code == 200
    assert body["title"] == "Jumlah Siswa Pendidikan Dasar"
    assert body["periods"] == ["2025"]
    assert body["breakdowns"] == [
        {"slug": "jenis-kelamin", "name": "Jenis kelamin", "categories": ["L", "P"]}
    ]
    assert body["metadata"]["unit"] == "orang"
    assert body["downloads"]["csv"].endswith(f"/dataset/{ds.slug}/data.csv")
    assert body["access_request_url"] is None
    assert DatasetUsage.objects.get(dataset=ds).api_calls == 1


def test_a_limited_dataset_shows_metadata_and_refuses_values(client, portal_world):
    ds = portal_world.limited_ds
    _, body = get(client, f"/datasets/{ds.slug}")
    assert LIMITED_MARKER in body["title"]
    assert body["downloads"] == {} and body["periods"] == []
    assert body["observations_url"] is None
    assert body["access_request_url"].endswith(f"/dataset/{ds.slug}/request/")
    response, refused = get(client, f"/datasets/{ds.slug}/observations")
    assert response.status_code == 403
    assert refused["detail"] and refused["access_request_url"] == body["access_request_url"]
    for marker in VALUE_MARKERS:
        assert marker not in response.content.decode()


def test_observations_filter_by_period_region_and_breakdown(client, portal_world):
    ds = portal_world.district_ds
    path = f"/datasets/{ds.slug}/observations"
    _, everything = get(client, path)
    assert everything["count"] == 62  # 31 kecamatan x 2 sexes
    _, women = get(client, path, breakdown="jenis-kelamin=P")
    assert women["count"] == 31
    assert {o["breakdown"]["jenis-kelamin"] for o in women["items"]} == {"P"}
    _, one = get(client, path, region="35.09.01", breakdown="jenis-kelamin=L", period="2025")
    assert one["count"] == 1
    cell = one["items"][0]
    assert cell["region"] == "35.09.01" and cell["region_name"]
    assert isinstance(cell["value"], float)
    _, none = get(client, path, period="2024")
    assert none["count"] == 0 and none["items"] == []
    _, page = get(client, path, limit=10, offset=60)
    assert len(page["items"]) == 2 and page["count"] == 62


def test_an_unreadable_breakdown_filter_is_refused_with_a_reason(client, portal_world):
    response, body = get(
        client, f"/datasets/{portal_world.district_ds.slug}/observations", breakdown="perempuan"
    )
    assert response.status_code == 422
    assert "slug=" in body["detail"]


def test_observation_values_are_the_released_ones(client, portal_world):
    ds = portal_world.open_ds
    _, body = get(client, f"/datasets/{ds.slug}/observations")
    assert [o["period"] for o in body["items"]] == ["2023", "2024", "2025"]
    # fill(): 1000 + cell number * 1.5 + year, one regency cell.
    assert body["items"][0]["value"] == 3023.0


@pytest.mark.parametrize("which", ["closed", "embargoed", "withdrawn"])
def test_hidden_datasets_answer_exactly_like_unknown_ones(client, portal_world, which):
    w = portal_world
    slug = {
        "closed": "data-tertutup-" + CLOSED_MARKER.lower(),
        "embargoed": w.embargoed_ds.slug,
        "withdrawn": w.withdrawn_ds.slug,
    }[which]
    for suffix in ("", "/observations"):
        unknown = client.get(f"/api/v1/datasets/no-such-dataset{suffix}")
        hidden = client.get(f"/api/v1/datasets/{slug}{suffix}")
        assert unknown.status_code == hidden.status_code == 404
        assert hidden.content == unknown.content
        assert "detail" in hidden.json()


def test_agencies_and_topics_are_those_with_public_datasets(client, portal_world, education):
    _, agencies = get(client, "/agencies")
    assert [a["slug"] for a in agencies] == [portal_world.open_ds.item.agency.slug]
    assert agencies[0]["dataset_count"] == 3
    _, topics = get(client, "/topics")
    assert topics == [
        {
            "slug": "sosial",
            "name": "Sosial",
            "dataset_count": 3,
            "url": "http://testserver/group/sosial/",
        }
    ]


def test_no_endpoint_leaks_hidden_datasets_or_limited_values(client, portal_world):
    w = portal_world
    paths = [
        "/datasets?limit=100",
        f"/datasets?q={EMBARGO_MARKER}",
        "/datasets?q=Data",
        f"/datasets/{w.limited_ds.slug}",
        f"/datasets/{w.limited_ds.slug}/observations",
        f"/datasets/{w.open_ds.slug}",
        f"/datasets/{w.open_ds.slug}/observations",
        f"/datasets/{w.district_ds.slug}/observations?limit=10000",
        f"/datasets/{w.embargoed_ds.slug}/observations",
        "/agencies",
        "/topics",
        "/openapi.json",
        "/docs",
    ]
    for path in paths:
        text = client.get(f"/api/v1{path}").content.decode()
        for marker in HIDDEN:
            assert marker not in text and marker.lower() not in text, (path, marker)


def test_openapi_schema_is_valid_and_documents_every_path(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/datasets",
        "/api/v1/datasets/{slug}",
        "/api/v1/datasets/{slug}/observations",
        "/api/v1/agencies",
        "/api/v1/topics",
    }
    for methods in paths.values():
        for op in methods.values():
            assert op.get("summary") or op.get("description")
            assert "200" in op["responses"]
    observations = paths["/api/v1/datasets/{slug}/observations"]["get"]
    names = {p["name"] for p in observations["parameters"]}
    assert {"period", "region", "breakdown", "offset", "limit"} <= names
    assert {"403", "404"} <= set(observations["responses"])


def test_the_docs_page_lists_the_endpoints_and_loads_nothing_from_elsewhere(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/datasets/{slug}/observations" in html
    assert "/api/v1/openapi.json" in html
    assert "cdn" not in html.lower()
    for attr in ('src="http', "src='http", 'href="http://cdn', 'href="https://'):
        assert attr not in html


def test_the_api_root_leads_to_the_docs(client, db):
    response = client.get("/api/v1/")
    assert response.status_code == 302 and response["Location"] == "/api/v1/docs"
