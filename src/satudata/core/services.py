"""Small helpers shared by every app's services."""

from __future__ import annotations

from typing import Any

from django.db import models


def assign(obj: models.Model, fields: dict[str, Any]) -> list[str]:
    """Set the given attributes; return the names of those whose value changed."""
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
