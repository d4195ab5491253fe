"""The client address for rate limits: REMOTE_ADDR, or the proxy's own X-Forwarded-For entry."""

from __future__ import annotations

from django.test import RequestFactory

from satudata.core.clients import client_ip


def test_without_a_proxy_the_socket_address_counts(settings):
    settings.BEHIND_PROXY = False
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.5")
    assert client_ip(request) == "10.0.0.5"


def test_behind_the_proxy_the_last_forwarded_address_counts(settings):
    settings.BEHIND_PROXY = True
    forged = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"
    missing = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")
    assert client_ip(missing) == "10.0.0.5"
