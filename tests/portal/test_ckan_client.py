"""The official CKAN client (ckanapi.RemoteCKAN) against a real HTTP server running the portal.

Also the cross-cutting API rules over HTTP: the per-client rate limit and CORS for reads.
"""

from __future__ import annotations

import json

import ckanapi
import pytest
import requests
from django.core.cache import cache

from tests.portal.conftest import CLOSED_MARKER, EMBARGO_MARKER, VALUE_MARKERS, WITHDRAWN_MARKER


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The rate limit counts in the cache, which outlives a test: start and leave it at zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["post", "get"])
def remote(request, live_server, portal_world):
    """ckanapi as harvesters use it: POST with a JSON body, or GET only."""
    ckan = ckanapi.RemoteCKAN(live_server.url, get_only=request.param == "get")
    # Until /api/action/ (CKAN's unversioned path, ckanapi's default) is routed too.
    ckan.base_url = "api/3/action/"
    yield ckan
    ckan.close()


def test_ckanapi_reads_every_action(remote, portal_world):
    w = portal_world
    assert remote.action.status_show()["ckan_version"].startswith("2.")
    assert remote.action.site_read() is True
    names = remote.action.package_list()
    assert set(names) == {w.open_ds.slug, w.district_ds.slug, w.limited_ds.slug}
    assert len(remote.action.current_package_list_with_resources(limit=10)) == 3
    package = remote.action.package_show(id=w.open_ds.slug)
    assert package["name"] == w.open_ds.slug
    resource = remote.action.resource_show(id=package["resources"][0]["id"])
    assert resource["format"] == "CSV"
    found = remote.action.package_search(
        q="", fq="organization:dinkes", rows=2, sort="name asc", **{"facet.field": ["groups"]}
    )
    assert set(found) >= {"count", "results", "facets", "search_facets", "sort"}
    assert found["sort"] == "name asc"
    assert len(found["results"]) == 2
    org = w.open_ds.item.agency.slug
    assert remote.action.organization_list() == [org]
    assert remote.action.organization_show(id=org, include_datasets=True)["package_count"] == 3
    assert remote.action.group_list(all_fields=True)[0]["name"] == "sosial"
    assert remote.action.group_show(id="sosial")["title"] == "Sosial"
    assert "kemiskinan" in remote.action.tag_list()
    assert "cc-by" in {lic["id"] for lic in remote.action.license_list()}
    assert "package_show" in remote.action.help_show(name="package_show")


def test_ckanapi_raises_not_found_for_hidden_and_unknown_datasets(remote, portal_world):
    for ident in ("no-such-dataset", portal_world.embargoed_ds.slug, portal_world.closed_item.code):
        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id=ident)


def test_ckanapi_raises_validation_error_for_a_missing_id(remote):
    with pytest.raises(ckanapi.ValidationError) as caught:
        remote.action.package_show()
    assert caught.value.error_dict["id"] == ["Missing value"]


def test_ckanapi_raises_not_authorized_for_writes(live_server, portal_world):
    ckan = ckanapi.RemoteCKAN(live_server.url)
    ckan.base_url = "api/3/action/"
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_create(name="x")


def test_ckanapi_raises_search_query_error(remote):
    with pytest.raises(ckanapi.SearchQueryError):
        remote.action.package_search(fq="author:someone")


def test_ckanapi_output_holds_no_hidden_marker(remote, portal_world):
    everything = json.dumps(
        [
            remote.action.current_package_list_with_resources(limit=100),
            remote.action.package_search(rows=100),
            remote.action.package_show(id=portal_world.limited_ds.slug),
        ]
    )
    for marker in (CLOSED_MARKER, EMBARGO_MARKER, WITHDRAWN_MARKER, *VALUE_MARKERS):
        assert marker not in everything


def test_over_the_rate_limit_both_apis_answer_429_with_retry_after(live_server, db, settings):
    settings.API_RATE_LIMIT = "3/m"
    url = f"{live_server.url}/api/3/action/site_read"
    assert [requests.get(url).status_code for _ in range(3)] == [200, 200, 200]
    over = requests.get(url)
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) >= 1
    assert over.json()["success"] is False
    # One budget per client across both APIs.
    native = requests.get(f"{live_server.url}/api/v1/topics")
    assert native.status_code == 429
    assert "detail" in native.json() and native.headers["Retry-After"]


def test_signed_in_users_are_not_rate_limited(client, walidata, settings):
    settings.API_RATE_LIMIT = "2/m"
    client.force_login(walidata)
    codes = [client.get("/api/3/action/site_read").status_code for _ in range(5)]
    codes += [client.get("/api/v1/topics").status_code for _ in range(3)]
    assert set(codes) == {200}


def test_the_rate_limit_is_per_client_address(client, db, settings):
    settings.API_RATE_LIMIT = "2/m"
    first = [client.get("/api/v1/topics", REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]
    other = client.get("/api/v1/topics", REMOTE_ADDR="10.0.0.2").status_code
    assert first == [200, 200, 429] and other == 200


def test_behind_a_proxy_the_proxys_own_forwarded_entry_is_the_client(client, db, settings):
    # The last X-Forwarded-For entry is what our proxy saw; earlier ones the client can forge.
    settings.API_RATE_LIMIT = "1/m"
    settings.BEHIND_PROXY = True
    a = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.5"}
    forged = {"HTTP_X_FORWARDED_FOR": "2.2.2.2, 203.0.113.5"}
    b = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.6"}
    assert client.get("/api/v1/topics", **a).status_code == 200
    assert client.get("/api/v1/topics", **forged).status_code == 429
    assert client.get("/api/v1/topics", **b).status_code == 200


@pytest.mark.parametrize("path", ["/api/3/action/package_list", "/api/v1/datasets"])
def test_reads_are_open_to_other_origins(client, db, path):
    response = client.get(path, HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] in ("*", "https://example.org")
