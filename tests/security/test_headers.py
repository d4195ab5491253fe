"""Security headers on every kind of answer: a public page, an API answer, a workspace page,
a 404 and a 500 (which shows no traceback and no SQL outside DEBUG)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import include, path

from satudata.conf.security import CSP_DIRECTIVES


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def _assert_hardened(response) -> None:
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_public_page_carries_the_security_headers(client, db):
    response = client.get("/")
    assert response.status_code == 200
    _assert_hardened(response)


def test_an_api_answer_carries_them_and_keeps_its_open_cors(client, db):
    response = client.get("/api/v1/datasets", HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
    _assert_hardened(response)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_workspace_page_carries_them(login, walidata):
    response = login(walidata).get("/app/")
    assert response.status_code == 200
    _assert_hardened(response)


def test_a_404_carries_them(client, db):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    _assert_hardened(response)


def test_every_source_of_the_policy_is_this_site():
    # No CDN and no other host: the only values are 'self', 'none' and data: images.
    sources = {source for values in CSP_DIRECTIVES.values() for source in values}
    assert sources <= {"'self'", "'none'", "'unsafe-inline'", "data:"}
    assert "'unsafe-inline'" not in CSP_DIRECTIVES["script-src"]
    assert "'unsafe-eval'" not in CSP_DIRECTIVES["script-src"]


def test_hsts_is_sent_over_tls_only(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    assert "Strict-Transport-Security" not in client.get("/")
    over_tls = client.get("/", secure=True)
    assert over_tls["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_embedded_http_default_sends_no_hsts_and_no_secure_cookies(settings):
    # The test settings are the embedded default: no SECURE_COOKIES in the environment.
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SESSION_COOKIE_SECURE is False and settings.CSRF_COOKIE_SECURE is False
    assert settings.SESSION_COOKIE_HTTPONLY is True


def _raises(request):
    raise RuntimeError("secret-detail-of-the-failure")


def _bad_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM no_such_table_at_all")


urlpatterns = [
    path("boom/", _raises),
    path("boom-sql/", _bad_sql),
    path("", include("satudata.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/boom/", "/boom-sql/"])
def test_a_server_error_shows_no_traceback_and_no_sql(db, url, settings):
    assert settings.DEBUG is False
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    page = response.content.decode()
    for leak in ("Traceback", "secret-detail", "secret_column", "no_such_table", "SELECT", ".py"):
        assert leak not in page
    assert "Server error" in page
    _assert_hardened(response)
