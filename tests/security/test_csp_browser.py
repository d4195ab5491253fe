"""The Content-Security-Policy in Chromium: the charts of the dataset page and the dashboard are
drawn by the vendored Vega (its expression interpreter, no eval) without one policy violation,
while injected inline script, event handlers and eval are blocked. Skips without Chromium."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.browser import browser_page
from tests.portal.conftest import jember, portal_world, sex, social  # noqa: F401 (fixtures)
from tests.reports.dashboard_world import build_world

pytestmark = pytest.mark.browser

# Collects every violation the page reports, from before its first script runs.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.effectiveDirective + " " + (e.blockedURI || "inline"));
});
"""

ATTACK = """() => {
  window.pwned = [];
  const box = document.createElement("div");
  box.innerHTML = '<img src="/static/none.png" onerror="window.pwned.push(1)">';
  document.body.appendChild(box);
  const script = document.createElement("script");
  script.textContent = "window.pwned.push(2)";
  document.body.appendChild(script);
  // Later, outside DevTools' evaluation (which may eval whatever the page's policy says).
  setTimeout(function () {
    try { eval("window.pwned.push(3)"); window.evaluated = "ran"; }
    catch (e) { window.evaluated = e.name; }
  }, 0);
}"""


def _open(live_server, monkeypatch, user=None):
    cache.clear()
    context = browser_page(live_server.url, monkeypatch, user=user, language="id")
    page = context.__enter__()
    page.add_init_script(LISTEN)
    return context, page


def _until(page, expression: str, timeout_ms: int = 20_000) -> None:
    """Wait until `expression` is true in the page.

    Not page.wait_for_function: Playwright polls its predicate with eval inside the page, which
    this very policy forbids (it fails with EvalError whenever the first check is false).
    """
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")


def _assert_charts_drawn_cleanly(page, selector: str, count: int) -> None:
    _until(page, f"document.querySelectorAll('{selector}.drawn svg').length === {count}")
    assert page.locator(f"{selector}[data-error]").count() == 0
    assert page.evaluate("window.cspViolations") == []


def test_the_dataset_page_charts_draw_under_the_policy_and_injection_is_blocked(
    live_server,
    monkeypatch,
    portal_world,  # noqa: F811 (the imported fixture)
    transactional_db,
):
    context, page = _open(live_server, monkeypatch)
    try:
        url = reverse("dataset-detail", args=[portal_world.district_ds.slug])
        response = page.goto(live_server.url + url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        _assert_charts_drawn_cleanly(page, ".chart-box", 2)
        page.evaluate(ATTACK)
        _until(page, "window.evaluated && window.cspViolations.length >= 3", 5_000)
        assert page.evaluate("window.evaluated") == "EvalError"
        assert page.evaluate("window.pwned") == []
        violations = " ".join(page.evaluate("window.cspViolations"))
        assert "script-src-attr" in violations and "script-src-elem" in violations
        assert "eval" in violations
    finally:
        context.__exit__(None, None, None)


def test_the_dashboard_charts_draw_under_the_policy(
    live_server, monkeypatch, walidata, decree, health, education, transactional_db
):
    world = build_world(decree=decree, health=health, education=education)
    context, page = _open(live_server, monkeypatch, user=walidata)
    try:
        page.goto(f"{live_server.url}/app/dashboard/?year={world.year}")
        _assert_charts_drawn_cleanly(page, ".dash-chart .chart-box", 3)
        # The language switch works without its old inline onchange= handler.
        with page.expect_navigation():
            page.select_option("#lang", "en")
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.__exit__(None, None, None)
