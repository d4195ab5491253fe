"""Who acts in a service call: a signed-in user, or the system itself (CLI, scheduled jobs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from satudata.core.errors import NotAllowed


@dataclass(frozen=True)
class SystemActor:
    """A trusted actor without an account: the command line on the server, a scheduled job.

    Whoever can run commands on the server already owns the database; the audit log still
    names them (e.g. "cli:root").
    """

    name: str

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


def require(actor: Any, allowed: Callable[[Any], bool] | bool) -> None:
    """Raise NotAllowed unless the actor is the system or the rule allows them."""
    if isinstance(actor, SystemActor):
        return
    ok = allowed(actor) if callable(allowed) else allowed
    if not ok:
        raise NotAllowed("not allowed for this role")
