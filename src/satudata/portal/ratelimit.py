"""Anonymous API use per client (IP) and window, shared by /api/3/ (CKAN) and /api/v1/.

One budget per client across both APIs (settings.API_RATE_LIMIT, "120/m" by default), counted
in the default cache by django-ratelimit. Signed-in users are not limited: they are staff of
the government, and the limit only protects the server from anonymous floods.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from satudata.core.clients import client_ip

# One counter for both APIs: a client cannot double its budget by switching API.
RATE_GROUP = "satudata.api"


def _client(group: str, request: HttpRequest) -> str:
    # The same address as every other limit (core.clients: the proxy's own entry behind it).
    return client_ip(request)


def _rate(group: str, request: HttpRequest) -> str | None:
    # None switches the limit off for this request (django-ratelimit's convention).
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    return getattr(settings, "API_RATE_LIMIT", "120/m") or None


def api_retry_after(request: HttpRequest) -> int | None:
    """Count this request; the seconds to wait when the client is over its limit, else None."""
    usage = get_usage(request, group=RATE_GROUP, key=_client, rate=_rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def with_retry_after(response: HttpResponse, seconds: int) -> HttpResponse:
    """A 429 answer as HTTP says it: status and Retry-After in seconds."""
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def api_rate_limited(
    answer: Callable[[HttpRequest, int], HttpResponse],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: over the limit it answers `answer(request, retry_after)` instead.

    Each API passes its own answer, so the 429 comes in that API's error shape.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            retry_after = api_retry_after(request)
            if retry_after is not None:
                return with_retry_after(answer(request, retry_after), retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
