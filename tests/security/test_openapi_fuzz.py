"""The public APIs under generated input: no 500, and answers that keep their promise.

- The native API (/api/v1): schemathesis reads the schema the API serves and sends it cases
  made from it (valid and invalid); every answer must be no server error and match the
  schema (status code, content type, body).
- The CKAN Action API has no OpenAPI schema: hypothesis posts random JSON objects (and query
  strings) to every action; every answer is CKAN's envelope, never a 500.

The number of cases is kept small (seconds, not minutes); the world is one published open
dataset with values, so that valid slugs reach real rows.
"""

from __future__ import annotations

import json

import orjson
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from satudata.catalog.services import regions_load
from satudata.portal.api import api_v1
from satudata.portal.ckan_actions import ACTIONS
from satudata.portal.services import datasets_publish
from tests.factories import SYSTEM, AgencyFactory, DataItemFactory, TopicFactory
from tests.portal.conftest import fill

FAST = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def _requests_keep_the_test_connection():
    # Calls straight into the WSGI app (schemathesis) fire request_finished, whose handler
    # closes a connection found inside a transaction: the test's own. Django's test client
    # detaches it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published(db, settings, _requests_keep_the_test_connection):
    # The rate limit is tested elsewhere; here every generated case must reach the view.
    settings.API_RATE_LIMIT = ""
    regions_load(actor=SYSTEM, root="35.09")
    agency = AgencyFactory(code="1.02.01", name="Dinas Kesehatan", short_name="Dinkes")
    topic = TopicFactory(name="Sosial", slug="sosial")
    item = DataItemFactory(agency=agency, topic=topic, level="regency", name="Penduduk Miskin")
    fill(item, "2025")
    return datasets_publish(actor=SYSTEM, items=[item]).datasets[0]


# The operations as the API declares them (read from the API object: no request needed).
OPERATIONS = [
    (method.upper(), path)
    for path, item in api_v1.get_openapi_schema(path_prefix="/api/v1/")["paths"].items()
    for method in item
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_native_api_answers_as_its_schema_says(method, path, published):
    # The schema as served, and the cases sent to the app in-process (WSGI).
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operation = schema[path][method]

    @FAST
    @given(case=operation.as_strategy())
    def call(case):
        # Default checks: no server error; status code, content type, headers and body as
        # the schema documents them.
        case.call_and_validate()

    call()


def test_the_schema_is_served_and_names_every_operation(published):
    served = Client().get("/api/v1/openapi.json").json()
    operations = {(method, path) for path, item in served["paths"].items() for method in item}
    assert ("get", "/api/v1/datasets") in operations
    assert ("get", "/api/v1/datasets/{slug}/observations") in operations


# --- the CKAN Action API -----------------------------------------------------------------

# CKAN's parameter names (so that cases reach the actions' own checks) and anything else.
PARAMETER = st.sampled_from(
    ["id", "q", "fq", "rows", "start", "limit", "offset", "sort", "all_fields", "name",
     "include_datasets", "facet.field", "organizations", "groups", "resource_id"]
) | st.text(max_size=12)  # fmt: skip
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
ACTION_NAMES = [*sorted(ACTIONS), "package_create", "user_delete", "no_such_action", "a" * 300]


def _check_envelope(response, name: str) -> None:
    assert response.status_code < 500, f"{name}: {response.status_code}"
    body = orjson.loads(response.content)
    assert set(body) >= {"help", "success"}, body
    if body["success"]:
        assert response.status_code == 200 and "result" in body
    else:
        assert response.status_code in (400, 403, 404, 409, 429), response.status_code
        error = body["error"]
        # CKAN's validation error names the fields wrong instead of one message.
        assert "__type" in error and len(error) >= 2, body
        if error["__type"] != "Validation Error":
            assert error["message"], body


@pytest.mark.parametrize("name", ACTION_NAMES, ids=lambda n: n[:30])
def test_ckan_actions_answer_random_json_with_their_envelope(name, published):
    client = Client()

    @FAST
    @given(st.dictionaries(PARAMETER, JSON_VALUE, max_size=5))
    def post(data):
        response = client.post(
            f"/api/3/action/{name}", json.dumps(data), content_type="application/json"
        )
        _check_envelope(response, name)

    post()


@FAST
@given(
    name=st.sampled_from(ACTION_NAMES),
    query=st.dictionaries(PARAMETER, st.text(max_size=30), max_size=4),
)
def test_ckan_actions_answer_random_query_strings_with_their_envelope(published, name, query):
    _check_envelope(Client().get(f"/api/3/action/{name}", query), name)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe", b"{" * 5000, b'{"id": "\\u0000"}'],
)
def test_ckan_actions_answer_broken_bodies_with_their_envelope(body, published):
    response = Client().post("/api/3/action/package_show", body, content_type="application/json")
    _check_envelope(response, "package_show")
    assert response.status_code == 400 or orjson.loads(response.content)["success"] is False
