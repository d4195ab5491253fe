"""The errors of the CKAN Action API, each with CKAN's `__type`, HTTP status and message form.

ckanapi (and other CKAN clients) turn the `__type` back into an exception class, so these
must be spelled exactly as CKAN's ApiController spells them.
"""

from __future__ import annotations

from typing import Any


class ActionError(Exception):
    """An action failed; `error_dict()` is the envelope's `error` member."""

    status = 400
    type_name = "Bad Request"
    prefix = "Bad request - "

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error_dict(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": f"{self.prefix}{self.message}"}


class BadRequest(ActionError):
    """Unknown action, unreadable JSON body."""


class NotFound(ActionError):
    status = 404
    type_name = "Not Found Error"
    prefix = "Not found: "


class NotAuthorized(ActionError):
    status = 403
    type_name = "Authorization Error"
    prefix = "Access denied: "


class SearchQueryError(ActionError):
    status = 400
    type_name = "Search Query Error"
    prefix = "Search Query is invalid: "


class ValidationError(ActionError):
    """Field messages, as CKAN gives them: {"__type": ..., "<field>": ["<message>"]}."""

    status = 409
    type_name = "Validation Error"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items()))
        self.fields = fields

    def error_dict(self) -> dict[str, Any]:
        return {"__type": self.type_name, **self.fields}


class RateLimited(ActionError):
    """Not a CKAN error type (CKAN has no rate limit); clients see a plain 429."""

    status = 429
    type_name = "Rate Limit Error"
    prefix = "Too many requests: "
