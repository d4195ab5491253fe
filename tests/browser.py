"""One way to open Debian's Chromium on the test server: as anonymous or signed in, in a language.

Every browser test's fixture goes through `browser_page`. Where no Chromium is installed (or
Playwright is missing) the test is skipped with a notice saying so; Playwright's own browser
download cannot work on these machines.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}


@contextmanager
def browser_page(
    server_url: str,
    monkeypatch: Any,
    *,
    user: Any = None,
    language: str = "en",
    viewport: dict[str, int] = PHONE,
) -> Iterator[Any]:
    """A Playwright page on `server_url`; `page.requested` lists every URL the page asked for."""
    if not CHROMIUM:
        pytest.skip("no Chromium installed (apt-get install chromium): browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test body
    # are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server_url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server_url})
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport=viewport)
            context.add_cookies(cookies)
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.requested = requested
            yield page
        finally:
            browser.close()


def wait_until(page: Any, expression: str, timeout_ms: int = 15_000) -> None:
    """Poll a JavaScript expression until it is true.

    Playwright's `wait_for_function` compiles its check with eval inside the page, which the
    Content-Security-Policy forbids; `evaluate` does not, so the check is polled from here.
    """
    waited = 0
    while not page.evaluate(expression):
        if waited >= timeout_ms:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(100)
        waited += 100
