"""The production setup tests: real servers on loopback (`pytest -m deploy` runs only them)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "deploy: starts the production setup on loopback (nginx, PostgreSQL, Redis, S3); "
        "skipped with a notice where a piece is missing",
    )


def pytest_report_header(config: pytest.Config) -> str:
    # Printed at the top of a run of this folder, so a skipped setup is never a silent one.
    from tests.deploy.stack import missing_pieces

    missing = missing_pieces()
    if missing:
        return f"deploy: SKIPPED, {'; '.join(missing)}"
    return "deploy: nginx, PostgreSQL, Redis and moto's S3 server found"
