"""The one HTTP client of the connectors: standard library, JSON, 20-second timeouts.

No new runtime dependency: urllib.request does what the four networks need (JSON bodies,
form bodies, raw uploads, Basic and Bearer headers).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.utils.translation import gettext as _

from satudata.publications.connectors.base import ConnectorError

TIMEOUT_SECONDS = 20
USER_AGENT = "SatuData-Publisher/1.0"


class HttpFailure(Exception):
    """The network answered with an error status; `data` is its JSON body (or None)."""

    def __init__(self, status: int, data: Any, text: str) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.data = data
        self.text = text


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def call(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Any:
    """Send one request and return the parsed JSON answer.

    Raises HttpFailure on a 4xx/5xx answer (the connector reads the network's message from
    it) and ConnectorError when the network cannot be reached.
    """
    all_headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
    data: bytes | None = body
    if json_body is not None:
        data = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json; charset=utf-8"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    if query:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return _parse(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        raise HttpFailure(error.code, _parse(raw), raw[:300].decode(errors="replace")) from None
    except TimeoutError:
        # The request may have arrived: say so, so nobody retries blindly into a duplicate.
        raise ConnectorError(
            _(
                "The channel did not answer within %(seconds)s seconds. Check on the channel "
                "whether the post appeared before retrying; if it did, record its link by hand."
            )
            % {"seconds": TIMEOUT_SECONDS},
            unsure=True,
        ) from None
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ConnectorError(
            _("The channel could not be reached: %(reason)s") % {"reason": reason}
        ) from None


def failure_message(failure: HttpFailure, message: str | None) -> ConnectorError:
    """A ConnectorError carrying the network's own message and the HTTP status."""
    text = message or failure.text.strip() or _("no message")
    return ConnectorError(f"HTTP {failure.status}: {text}", status=failure.status)
