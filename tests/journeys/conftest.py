"""The journeys' harness: the production server on the demo data, driven by a real Chromium.

One demo database is made per test session (a temporary DATA_DIR with its SQLite file,
`satudata migrate` + `satudata demo`, about 20 s), and `satudata serve` runs on it on a free
loopback port with its embedded background worker, exactly as an installation does. Tests talk
to it only through the browser (and, for what only arrives by e-mail, through the server's
captured output), never through the test database: they share the one server, so each journey
makes its own writes and reads nothing another journey wrote.

Where Chromium or Playwright is missing, every journey is skipped with a notice printed in the
run's output. SATUDATA_SHOTS=docs/guide/img makes the journeys save the guide's screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from satudata.demo.users import DEMO_PASSWORD

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# axe-core is vendored beside the chart libraries and served like any static file.
AXE_URL = "/static/satudata/vendor/axe.min.js"
PHONE = {"width": 360, "height": 740}
OFFICE = {"width": 1366, "height": 768}
# Environment of the test run that must not leak into the server: it runs on its own SQLite
# file, its own local cache and console e-mail, whatever the developer's shell points at.
SERVER_ENV_DROPPED = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "MEDIA_ROOT", "SECRET_KEY")
SERVER_START_SECONDS = 90


def _missing_browser() -> str | None:
    """Why the journeys cannot run here, or None when they can."""
    if not CHROMIUM or not Path(CHROMIUM).exists():
        return "no Chromium installed (apt install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    return None


def journeys_skip_reason() -> str | None:
    """Why the journeys are skipped in this run, or None when they run."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        # The journeys' server always runs the embedded default (its own SQLite file, whatever
        # the run points at): the SQLite pass has run them, the PostgreSQL pass skips them.
        return "they run in the SQLite pass (the journeys' server is the embedded default)"
    return _missing_browser()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """The production server under test: its address, data folder and captured output."""

    url: str
    data_dir: Path
    log: Path
    env: dict[str, str] = field(repr=False)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, pattern: str, *, after: int = 0, timeout: float = 10) -> re.Match:
        """The first match of `pattern` in what the server wrote after offset `after`."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.compile(pattern).search(self.output(), after)
            if match:
                return match
            if time.monotonic() > deadline:
                raise AssertionError(f"the server never wrote {pattern!r}")
            time.sleep(0.1)

    def manage(self, *args: str) -> str:
        """Run a `satudata` command on the server's database and return its output."""
        done = subprocess.run(
            [sys.executable, "-m", "satudata", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout


def _server_env(data_dir: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV_DROPPED}
    env.update(
        DATA_DIR=str(data_dir),
        SITE_URL=url,
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="satudata.settings",
        DEBUG="false",
    )
    return env


@pytest.fixture(scope="session")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    missing = journeys_skip_reason()
    if missing:
        # Said in the run's output, not only in the skip list: a skipped browser is never a
        # silent one.
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if capture is not None and reporter is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(f"\nNOTICE: browser journeys skipped: {missing}", yellow=True)
        pytest.skip(f"browser journeys skipped: {missing}")
    reuse = os.environ.get("SATUDATA_JOURNEYS_SERVER")
    if reuse:
        # While writing a journey: a server already running on the demo (URL and DATA_DIR,
        # its output in DATA_DIR/server.log), so each try skips the half minute of setup.
        url, folder = reuse.split(",", 1)
        data_dir = Path(folder)
        yield Server(url, data_dir, data_dir / "server.log", _server_env(data_dir, url))
        return
    data_dir = tmp_path_factory.mktemp("journeys-data")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _server_env(data_dir, url)
    _prepare(env)
    log = data_dir / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "satudata",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                # Collected beside the demo's loading by _prepare.
                "--no-collectstatic",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own process group: the web workers and the embedded background worker
            # stop with it, and nothing else is touched.
            start_new_session=True,
        )
    try:
        _wait_until_up(url, process, log)
        yield Server(url=url, data_dir=data_dir, log=log, env=env)
    finally:
        _stop(process)


def _prepare(env: dict[str, str]) -> None:
    """Migrate, then load the demo while the static files are collected (two cores, ~20 s)."""

    def satudata(*args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "satudata", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def finish(process: subprocess.Popen) -> None:
        output, _ = process.communicate(timeout=300)
        if process.returncode:
            raise RuntimeError(f"{process.args} failed:\n{output[-3000:]}")

    finish(satudata("migrate", "-v0"))
    collect = satudata("collectstatic", "--noinput", "-v0")
    demo = satudata("demo")
    finish(demo)
    finish(collect)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"satudata serve exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"satudata serve did not answer in time:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    # Per module, not per session: Playwright's sync API keeps an event loop running in this
    # thread while it is open, and every later test of this worker would then be refused its
    # database calls as "async" (SynchronousOnlyOperation).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _sync_playwright_beside_the_orm(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API runs an event loop in this thread; Django would then refuse any
    # synchronous call the fixtures of tests/conftest.py make.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def new_page(browser: Any, server: Server, *, viewport: dict[str, int], language: str = "") -> Any:
    """A page in a fresh browser context (no cookies), optionally in a chosen language."""
    context = browser.new_context(
        viewport=viewport, base_url=server.url, accept_downloads=True, locale="id-ID"
    )
    context.set_default_timeout(15_000)
    if language:
        context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    return context.new_page()


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Any]:
    """A visitor's phone, 360 pixels wide, in the default language (Indonesian)."""
    page = new_page(browser, server, viewport=PHONE)
    yield page
    page.context.close()


@pytest.fixture
def office(browser: Any, server: Server) -> Iterator[Any]:
    """An office PC at 1366x768, in English (so tests can read the interface's words)."""
    page = new_page(browser, server, viewport=OFFICE, language="en")
    yield page
    page.context.close()


def log_in(page: Any, username: str) -> None:
    """Sign in through the login page as a demo account."""
    page.goto("/app/account/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "login" not in page.url, f"{username} could not log in"


# ---------------------------------------------------------------- checks


def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # From the server's own static files: the pages' Content Security Policy (script-src
        # 'self') refuses the inline copy that add_script_tag(path=...) would make.
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    assert result == [], f"axe on {page.url}:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} -> {v['nodes']}" for v in result
    )


def assert_no_horizontal_scroll(page: Any) -> None:
    """The page is no wider than the screen (wide tables scroll inside their own box)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide on a {widths[1]} px screen"


def shot(page: Any, name: str, *, full_page: bool = False) -> None:
    """Save a screenshot for the user's guide when SATUDATA_SHOTS names its folder."""
    folder = os.environ.get("SATUDATA_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = str(Path(folder) / f"{name}.png")
    language = page.locator("html").get_attribute("lang")
    if language == "id":
        page.screenshot(path=path, full_page=full_page)
        return
    # The guide is in Indonesian: show the screen as its readers see it, then go back to the
    # language the test reads (pages shot are ones a reload shows again unchanged).
    parts = urlsplit(page.url)
    origin = f"{parts.scheme}://{parts.netloc}/"  # the root: the cookie's path is then "/"
    page.context.add_cookies([{"name": "django_language", "value": "id", "url": origin}])
    page.reload()
    page.screenshot(path=path, full_page=full_page)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": origin}])
    page.reload()


# ---------------------------------------------------------------- the keyboard alone

# Whether the focused element matches, and whether a ring marks it: an outline or a box shadow
# (WCAG 2.4.7). Null while the focus is on the page itself.
FOCUS = """([selector, text]) => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                 || (s.boxShadow && s.boxShadow !== 'none');
    const hit = el.matches(selector) && (!text || el.textContent.trim() === text);
    return {ring: Boolean(ring), hit: hit, what: el.outerHTML.slice(0, 120)};
}"""


def is_focused(page: Any, selector: str, text: str = "") -> bool:
    """Whether the focus is on an element matching `selector` (and reading `text`)."""
    focus = page.evaluate(FOCUS, [selector, text])
    return bool(focus and focus["hit"])


def focus_ring(page: Any) -> bool:
    """Whether the focused element shows a focus ring."""
    focus = page.evaluate(FOCUS, ["*", ""])
    return bool(focus and focus["ring"])


def tab_to(
    page: Any, selector: str, text: str = "", *, back: bool = False, stops: int = 150
) -> None:
    """Press Tab (Shift+Tab with `back`) until the focus is on `selector` (reading `text`
    exactly), as a keyboard user would; every control on the way shows its focus ring."""
    for _stop in range(stops):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focus = page.evaluate(FOCUS, [selector, text])
        if focus is None:
            continue
        assert focus["ring"], f"no visible focus on {focus['what']} at {page.url}"
        if focus["hit"]:
            return
    raise AssertionError(f"Tab never reached {selector} {text!r} on {page.url}")
