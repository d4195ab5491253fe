"""CKAN-compatible Action API at /api/3/action/<name>: the thin dispatcher.

Reads the parameters (GET query, POST JSON body or form), calls the read action of that name
(portal.ckan_actions), and answers in CKAN's envelope:
`{"help": ".../help_show?name=<name>", "success": true, "result": ...}`, or on failure
`{"help": ..., "success": false, "error": {"__type": ..., "message": ...}}` with CKAN's status
codes, so CKAN clients (ckanapi, harvesters) map them back to their exceptions.
Only reads exist here: CKAN's write actions answer 403 Authorization Error.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import orjson
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from satudata.portal.ckan_actions import ACTIONS, ActionCall
from satudata.portal.ckan_errors import ActionError, BadRequest, NotAuthorized, RateLimited
from satudata.portal.ratelimit import api_rate_limited

# CKAN's write (and account) actions: known names, so they get CKAN's 403, not a 400.
_WRITE_ACTION = re.compile(
    r"_(create|update|patch|delete|purge|revise|reorder|follow|unfollow)$"
    r"|^(follow|unfollow|bulk|member|user|api_token|config_option|package_owner_org|dashboard)_"
)


def _help_url(request: HttpRequest, name: str) -> str:
    url = request.build_absolute_uri(reverse("ckan-action", args=["help_show"]))
    return f"{url}?name={quote(name, safe='')}"


def _answer(request: HttpRequest, name: str, body: dict[str, Any], status: int) -> HttpResponse:
    envelope = {"help": _help_url(request, name), **body}
    return HttpResponse(
        orjson.dumps(envelope), status=status, content_type="application/json;charset=utf-8"
    )


def _error(request: HttpRequest, name: str, error: ActionError) -> HttpResponse:
    return _answer(request, name, {"success": False, "error": error.error_dict()}, error.status)


def _parameters(request: HttpRequest) -> dict[str, Any]:
    """The action's parameters; a repeated query parameter becomes a list."""
    if request.method != "POST":
        return {k: (v if len(v) > 1 else v[0]) for k, v in request.GET.lists()}
    if request.content_type == "application/json" or (
        request.body and request.content_type not in _FORM_TYPES
    ):
        if not request.body.strip():
            return {}
        try:
            data = orjson.loads(request.body)
        except orjson.JSONDecodeError as exc:
            raise BadRequest(f"JSON Error: {exc}") from None
        if not isinstance(data, dict):
            raise BadRequest("JSON Error: the body must be a JSON object")
        return data
    return {k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()}


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _without_nul(value: Any) -> Any:
    """The parameters as read; a NUL character anywhere is refused (PostgreSQL cannot
    compare text holding one: it would be a server error, not an answer)."""
    if isinstance(value, str) and "\x00" in value:
        raise BadRequest("Parameters must not contain NUL characters")
    if isinstance(value, dict):
        for key, item in value.items():
            _without_nul(key)
            _without_nul(item)
    elif isinstance(value, list):
        for item in value:
            _without_nul(item)
    return value


def _rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    name = (request.resolver_match.kwargs.get("name", "") if request.resolver_match else "") or ""
    error = RateLimited(f"try again in {retry_after} seconds")
    return _error(request, name, error)


@csrf_exempt  # read-only actions, no cookie-authorised change: nothing to forge
@require_http_methods(["GET", "HEAD", "POST"])
@api_rate_limited(_rate_limited)
def action(request: HttpRequest, name: str) -> HttpResponse:
    """Run the CKAN action `name` and wrap its result or error in CKAN's envelope."""
    fn = ACTIONS.get(name)
    if fn is None:
        if _WRITE_ACTION.search(name):
            error: ActionError = NotAuthorized(f"this portal is read-only ({name})")
        else:
            error = BadRequest(f"Action name not known: {name}")
        return _error(request, name, error)
    try:
        data = _without_nul(_parameters(request))
        call = ActionCall(request=request, now=timezone.now(), data=data)
        result = fn(call)
    except ActionError as error:
        return _error(request, name, error)
    return _answer(request, name, {"success": True, "result": result}, 200)
