"""The CKAN Action API through Django's test client: envelope, actions, errors, no leak."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from satudata.catalog.services import item_update
from satudata.portal import ckan_packages
from satudata.portal.api_usage import api_calls_flush
from satudata.portal.ckan_errors import SearchQueryError, ValidationError
from satudata.portal.ckan_search import package_search_parse
from satudata.portal.models import DatasetUsage
from satudata.portal.search import FacetValue, SearchResult
from satudata.portal.services import dataset_withdraw
from tests.factories import SYSTEM
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


def call(client, action, /, **params):
    response = client.get(f"/api/3/action/{action}", params)
    return response, response.json()


def result(client, action, /, **params):
    response, body = call(client, action, **params)
    assert response.status_code == 200, body
    assert body["success"] is True
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    return body["result"]


def test_status_show_says_it_speaks_ckan(client, db):
    status = result(client, "status_show")
    assert status["ckan_version"].startswith("2.")
    assert status["site_url"].startswith("http://testserver")
    assert result(client, "site_read") is True


def test_package_list_holds_the_public_datasets_only(client, portal_world):
    w = portal_world
    names = result(client, "package_list")
    assert names == sorted([w.open_ds.slug, w.district_ds.slug, w.limited_ds.slug])
    assert result(client, "package_list", limit=1, offset=1) == names[1:2]


def test_package_show_finds_a_dataset_by_name_code_and_id(client, portal_world):
    ds = portal_world.open_ds
    by_name = result(client, "package_show", id=ds.slug)
    assert result(client, "package_show", id=ds.code)["id"] == by_name["id"]
    assert result(client, "package_show", id=by_name["id"])["name"] == ds.slug
    assert by_name["title"] == "Jumlah Penduduk Miskin"
    assert by_name["organization"]["name"] == ds.item.agency.slug
    assert by_name["groups"][0]["name"] == "sosial"
    assert {t["name"] for t in by_name["tags"]} == {"kemiskinan", "sosial"}
    assert by_name["license_id"] == "cc-by"
    # CKAN's timestamps: UTC without an offset.
    assert "+" not in by_name["metadata_modified"] and "T" in by_name["metadata_modified"]
    extras = {e["key"]: e["value"] for e in by_name["extras"]}
    assert extras["temporal_coverage"] == "2023/2025"
    assert extras["accessibility"] == "open"


def test_an_open_package_has_one_resource_per_download_format(client, portal_world):
    ds = portal_world.open_ds
    package = result(client, "package_show", id=ds.slug)
    formats = [r["format"] for r in package["resources"]]
    assert formats[:4] == ["CSV", "XLSX", "JSON", "JSON-stat"]
    csv = package["resources"][0]
    assert csv["url"] == f"http://testserver/dataset/{ds.slug}/data.csv"
    assert csv["package_id"] == package["id"]
    assert package["num_resources"] == len(package["resources"])
    # Ids are stable: the same on every call.
    again = result(client, "package_show", id=ds.slug)
    assert [r["id"] for r in again["resources"]] == [r["id"] for r in package["resources"]]


def test_resource_show_returns_the_resource_and_counts_an_api_call(client, portal_world):
    ds = portal_world.open_ds
    package = result(client, "package_show", id=ds.slug)
    resource = result(client, "resource_show", id=package["resources"][1]["id"])
    assert resource["format"] == "XLSX"
    usage = DatasetUsage.objects.get(dataset=ds)
    assert usage.api_calls == 2  # package_show + resource_show


def test_a_limited_package_has_no_resources_and_links_the_access_request(client, portal_world):
    ds = portal_world.limited_ds
    package = result(client, "package_show", id=ds.slug)
    assert package["resources"] == [] and package["num_resources"] == 0
    assert package["isopen"] is False
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["accessibility"] == "limited"
    assert extras["access_request_url"] == f"http://testserver/dataset/{ds.slug}/request/"
    # Its metadata is public; its values and periods are not.
    assert LIMITED_MARKER in package["title"]
    assert "temporal_coverage" not in extras


def test_a_limited_datasets_resource_ids_are_not_found(client, portal_world):
    stub = portal_world.limited_ds
    response, body = call(client, "resource_show", id=ckan_packages.resource_id(stub, "csv"))
    assert response.status_code == 404
    assert body["error"]["__type"] == "Not Found Error"


@pytest.mark.parametrize("which", ["closed", "embargoed", "withdrawn"])
def test_hidden_datasets_answer_exactly_like_unknown_ones(client, portal_world, which):
    w = portal_world
    unknown_response, unknown = call(client, "package_show", id="no-such-dataset")
    assert unknown_response.status_code == 404
    if which == "closed":
        code = w.closed_item.code
        idents = [code, ckan_packages._uuid("dataset", code)]
    else:
        ds = w.embargoed_ds if which == "embargoed" else w.withdrawn_ds
        idents = [ds.slug, ds.code, ckan_packages.package_id(ds)]
    for ident in idents:
        response, body = call(client, "package_show", id=ident)
        assert response.status_code == 404
        assert body == unknown


def test_package_search_returns_ckans_result_shape(client, portal_world):
    found = result(client, "package_search", q="*:*", rows=2, sort="name asc")
    assert found["count"] == 3
    assert len(found["results"]) == 2
    assert found["sort"] == "name asc"
    assert found["facets"] == {} and found["search_facets"] == {}
    names = [p["name"] for p in found["results"]]
    assert names == sorted(names)


def test_package_search_answers_the_facets_asked_for(client, portal_world, monkeypatch):
    facets = {
        "agency": [FacetValue("dinkes", "Dinas Kesehatan", 3)],
        "format": [FacetValue("csv", "CSV", 2), FacetValue("stat.json", "JSON-stat 2.0", 2)],
    }
    seen = []

    def fake_search(query, now=None):
        seen.append(query)
        return SearchResult(count=0, datasets=[], facets=facets)

    monkeypatch.setattr("satudata.portal.ckan_actions.dataset_search", fake_search)
    found = result(
        client,
        "package_search",
        fq="organization:dinkes res_format:CSV",
        **{"facet.field": json.dumps(["organization", "res_format", "tags"])},
    )
    assert seen[0].filters == {"agency": ["dinkes"], "format": ["csv"]}
    assert found["facets"]["organization"] == {"dinkes": 3}
    assert found["facets"]["res_format"] == {"CSV": 2, "JSON-stat": 2}
    assert found["facets"]["tags"] == {}
    items = found["search_facets"]["organization"]["items"]
    assert items == [{"name": "dinkes", "display_name": "Dinas Kesehatan", "count": 3}]


def test_package_search_reads_post_json_too(client, portal_world):
    response = client.post(
        "/api/3/action/package_search",
        data=json.dumps({"q": "", "rows": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["result"]["count"] == 3


def test_a_post_form_works_like_a_post_json(client, portal_world):
    response = client.post("/api/3/action/package_show", {"id": portal_world.open_ds.slug})
    assert response.status_code == 200
    assert response.json()["result"]["name"] == portal_world.open_ds.slug


@pytest.mark.parametrize(
    "params, filters, text, sort",
    [
        ({}, {}, "", "relevance"),
        ({"q": "*:*"}, {}, "", "relevance"),
        ({"q": "miskin tags:sosial"}, {}, "miskin sosial", "relevance"),
        (
            {"fq": "+organization:dinkes groups:(sosial OR kesehatan) +dataset_type:dataset"},
            {"agency": ["dinkes"], "topic": ["sosial", "kesehatan"]},
            "",
            "relevance",
        ),
        (
            {"fq": 'res_format:"JSON-stat"', "sort": "metadata_modified desc"},
            {"format": ["stat.json"]},
            "",
            "updated",
        ),
        ({"sort": "metadata_created desc"}, {}, "", "newest"),
        ({"sort": "title_string asc"}, {}, "", "name"),
    ],
)
def test_package_search_parameters_map_to_our_search(params, filters, text, sort):
    parsed = package_search_parse(params)
    assert parsed.query.filters == filters
    assert parsed.query.q == text
    assert parsed.query.sort == sort


def test_package_search_caps_rows_like_ckan():
    assert package_search_parse({}).query.rows == 10
    assert package_search_parse({"rows": "5000", "start": "7"}).query.rows == 1000
    assert package_search_parse({"start": "7"}).query.start == 7


@pytest.mark.parametrize(
    "params",
    [{"fq": "-organization:dinkes"}, {"fq": "author:x"}, {"sort": "name desc"}, {"sort": "x asc"}],
)
def test_package_search_refuses_what_it_cannot_honour(params):
    with pytest.raises(SearchQueryError):
        package_search_parse(params)


@pytest.mark.parametrize("params", [{"rows": "many"}, {"start": "-1"}, {"facet.field": "[1,"}])
def test_package_search_refuses_bad_numbers_as_validation_errors(params):
    with pytest.raises(ValidationError):
        package_search_parse(params)


def test_a_search_query_error_has_ckans_type_and_status(client, portal_world):
    response, body = call(client, "package_search", fq="author:x")
    assert response.status_code == 400
    assert body["success"] is False
    assert body["error"]["__type"] == "Search Query Error"


def test_organizations_are_the_agencies_with_public_datasets(client, portal_world, education):
    agency = portal_world.open_ds.item.agency
    assert result(client, "organization_list") == [agency.slug]
    rows = result(client, "organization_list", all_fields="true")
    assert rows[0]["package_count"] == 3 and rows[0]["title"] == agency.name
    org = result(client, "organization_show", id=agency.slug, include_datasets="true")
    assert org["name"] == agency.slug
    assert org["package_count"] == 3
    assert {p["name"] for p in org["packages"]} >= {portal_world.open_ds.slug}
    response, _ = call(client, "organization_show", id=education.slug)
    assert response.status_code == 404


def test_groups_are_the_topics_with_public_datasets(client, portal_world):
    assert result(client, "group_list") == ["sosial"]
    group = result(client, "group_show", id="sosial")
    assert group["title"] == "Sosial" and group["package_count"] == 3
    assert result(client, "group_list", all_fields=True)[0]["is_organization"] is False


def test_tag_list_holds_only_public_datasets_tags(client, portal_world):
    tags = result(client, "tag_list")
    assert {"kemiskinan", "pendidikan", "sosial"} <= set(tags)
    assert EMBARGO_MARKER.lower() not in tags and CLOSED_MARKER.lower() not in tags
    assert result(client, "tag_list", query="kemis") == ["kemiskinan"]


def test_license_list_and_help_show(client, db):
    assert "cc-by" in {lic["id"] for lic in result(client, "license_list")}
    assert "package_search" in result(client, "help_show", name="package_search")
    response, _ = call(client, "help_show", name="nope")
    assert response.status_code == 404


def test_an_unknown_action_is_a_bad_request(client, db):
    response, body = call(client, "package_frobnicate")
    assert response.status_code == 400
    assert body["success"] is False
    assert body["error"] == {
        "__type": "Bad Request",
        "message": "Bad request - Action name not known: package_frobnicate",
    }


@pytest.mark.parametrize("name", ["package_create", "resource_update", "organization_delete"])
def test_write_actions_are_not_authorized(client, db, name):
    response = client.post(f"/api/3/action/{name}", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["__type"] == "Authorization Error"


def test_bad_json_is_a_bad_request(client, db):
    response = client.post(
        "/api/3/action/package_show", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Bad request - JSON Error")


def test_a_missing_id_is_a_validation_error_naming_the_field(client, db):
    response, body = call(client, "package_show")
    assert response.status_code == 409
    assert body["error"] == {"__type": "Validation Error", "id": ["Missing value"]}


def test_no_action_leaks_hidden_datasets_or_limited_values(client, portal_world):
    w = portal_world
    facet = json.dumps(["organization", "groups", "tags", "res_format"])
    calls = [
        ("status_show", {}),
        ("package_list", {}),
        ("current_package_list_with_resources", {"limit": 100}),
        ("package_search", {"rows": 100, "facet.field": facet}),
        ("package_search", {"q": "Data", "rows": 100}),
        ("package_search", {"q": EMBARGO_MARKER}),
        ("package_show", {"id": w.limited_ds.slug}),
        ("package_show", {"id": w.open_ds.slug}),
        ("package_show", {"id": w.embargoed_ds.slug}),
        ("organization_list", {"all_fields": "true"}),
        ("organization_show", {"id": w.open_ds.item.agency.slug, "include_datasets": "true"}),
        ("group_list", {"all_fields": "true"}),
        ("group_show", {"id": "sosial", "include_datasets": "true"}),
        ("tag_list", {"all_fields": "true"}),
        ("license_list", {}),
    ]
    for name, params in calls:
        text = client.get(f"/api/3/action/{name}", params).content.decode()
        for marker in HIDDEN:
            assert marker not in text and marker.lower() not in text, (name, marker)


def test_current_package_list_with_resources_pages(client, portal_world):
    packages = result(client, "current_package_list_with_resources", limit=2)
    assert len(packages) == 2
    rest = result(client, "current_package_list_with_resources", limit=2, offset=2)
    assert len(rest) == 1
    assert {p["name"] for p in packages + rest} == set(result(client, "package_list"))


def test_a_cached_package_never_outlives_a_withdrawal(client, portal_world):
    ds = portal_world.open_ds
    package = result(client, "package_show", id=ds.slug)
    dataset_withdraw(actor=SYSTEM, dataset=ds, reason="Koreksi.")
    for ident in (ds.slug, ds.code, package["id"]):
        response, _ = call(client, "package_show", id=ident)
        assert response.status_code == 404
    response, _ = call(client, "resource_show", id=package["resources"][0]["id"])
    assert response.status_code == 404


def test_a_cached_package_loses_its_resources_when_the_item_turns_limited(client, portal_world):
    ds = portal_world.open_ds
    assert result(client, "package_show", id=ds.slug)["resources"]
    item_update(
        actor=SYSTEM, item=ds.item, accessibility="limited", accessibility_reason="UU 14/2008"
    )
    package = result(client, "package_show", id=ds.slug)
    assert package["resources"] == [] and package["isopen"] is False
    found = result(client, "package_search", q="", rows=100)
    assert all(p["resources"] == [] for p in found["results"] if p["name"] == ds.slug)


def test_an_embargoed_dataset_appears_by_id_once_its_time_has_come(
    client, portal_world, monkeypatch
):
    ds = portal_world.embargoed_ds
    ident = ckan_packages.package_id(ds)
    response, _ = call(client, "package_show", id=ident)
    assert response.status_code == 404
    later = timezone.now() + dt.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    package = result(client, "package_show", id=ident)
    assert package["name"] == ds.slug
    assert {e["key"]: e["value"] for e in package["extras"]}["temporal_coverage"] == "2025"


def test_api_calls_are_summed_in_memory_between_flushes(client, portal_world, settings):
    ds = portal_world.open_ds
    settings.API_USAGE_FLUSH_SECONDS = 0
    result(client, "package_show", id=ds.slug)  # written at once, and starts the interval
    settings.API_USAGE_FLUSH_SECONDS = 3600
    for _ in range(3):
        result(client, "package_show", id=ds.slug)
    assert DatasetUsage.objects.get(dataset=ds).api_calls == 1
    api_calls_flush()
    assert DatasetUsage.objects.get(dataset=ds).api_calls == 4
