"""Unexpected errors: 503 with Retry-After while the database is gone, 500 otherwise; no detail."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.urls("tests.core.urls_broken"), pytest.mark.django_db]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_page_while_the_database_is_gone_says_so_and_that_nothing_was_saved(client):
    response = client.get("/broken/db/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Tidak ada yang tersimpan" in text and "Nothing from this request was saved" in text
    assert "server closed" not in text


def test_the_apis_answer_json_with_a_reason(client):
    v1 = client.get("/api/v1/broken/db/")
    assert v1.status_code == 503 and "Nothing from this request was saved" in v1.json()["error"]
    ckan = client.get("/api/3/action/broken_db")
    assert ckan.status_code == 503
    body = ckan.json()
    assert body["success"] is False and body["error"]["__type"] == "Service Unavailable"


def test_a_bug_is_a_plain_500_that_shows_nothing_of_it(client):
    response = client.get("/broken/bug/")
    assert response.status_code == 500 and "Retry-After" not in response
    text = response.content.decode()
    assert "Server error" in text and "SELECT" not in text and "ValueError" not in text
