"""The one domain error type services raise, mapped to HTTP in one place (core.middleware)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the domain refused the request; the message is for the user (translated)."""

    status = 400

    def __init__(self, message: str, *, errors: list | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class NotAllowed(PermissionDenied):
    """The acting user's role does not allow this action (HTTP 403)."""


class InvalidTransition(DomainError):
    """A workflow step that the state table does not allow from the current state."""

    status = 409
