"""Who the client is, for rate limits: its IP address, also behind our reverse proxy."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind the proxy (BEHIND_PROXY): the last X-Forwarded-For entry.

    The last one is what our proxy appended (the address it saw); earlier entries come from the
    client and can be forged to dodge a rate limit.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
