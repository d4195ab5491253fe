"""Settings part: observability (applied at the end of settings.py)."""

from __future__ import annotations

from typing import Any


def apply(s: dict[str, Any]) -> None:
    """Change the settings namespace `s` for this concern."""
