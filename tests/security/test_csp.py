"""Nothing in the templates or our scripts needs what the Content-Security-Policy forbids:
no inline <script> code, no on...= event handler attribute, no javascript: link, no eval.
And every POST form carries its CSRF token; only reviewed views are exempt from CSRF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import satudata

PACKAGE = Path(satudata.__file__).resolve().parent
TEMPLATES = sorted((PACKAGE / "templates").rglob("*.html"))
SCRIPTS = sorted((PACKAGE / "static" / "satudata").glob("*.js"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# An attribute such as onclick= or onchange= inside a tag (not a word like "one=" in text).
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
EVAL = re.compile(r"\beval\s*\(|new\s+Function\s*\(|set(Timeout|Interval)\s*\(\s*[\"']")


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def test_the_scan_sees_the_templates_and_scripts():
    assert len(TEMPLATES) > 50 and len(SCRIPTS) > 5


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_a_template_has_no_inline_script(path):
    for match in SCRIPT_TAG.finditer(path.read_text()):
        attributes = match.group(1)
        assert re.search(r"\bsrc\s*=", attributes) or re.search(
            r"""type\s*=\s*["']application/(ld\+)?json["']""", attributes
        ), f"{_name(path)}: inline <script{attributes}>"


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_a_template_has_no_event_handler_attribute_or_javascript_link(path):
    text = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.DOTALL)  # comments
    assert not EVENT_HANDLER.search(text), f"{_name(path)}: on...= attribute"
    assert not JAVASCRIPT_URL.search(text), f"{_name(path)}: javascript: link"


@pytest.mark.parametrize("path", SCRIPTS, ids=_name)
def test_our_scripts_use_no_eval(path):
    assert not EVAL.search(path.read_text()), f"{_name(path)}: eval or new Function"


def test_the_scan_would_catch_what_it_looks_for():
    assert EVENT_HANDLER.search('<select name="x" onchange="this.form.submit()">')
    assert EVENT_HANDLER.search('<button\n  type="button" onclick="go()">')
    assert not EVENT_HANDLER.search("<p>Someone=one of them</p>")
    assert JAVASCRIPT_URL.search('<a href="javascript:history.back()">')
    assert not SCRIPT_TAG.search("<p>no script</p>")
    assert EVAL.search("var f = new Function('a', 'return a');")


def test_the_charts_are_drawn_with_the_interpreter_not_eval():
    # Vega compiles expressions with new Function unless vega-embed is given ast: true.
    for name in ("portal-chart.js", "dashboard.js", "publications-blocks.js"):
        text = (PACKAGE / "static" / "satudata" / name).read_text()
        assert "vegaEmbed" in text and "ast: true" in text, name


# CSRF: Django's middleware guards every POST; these keep a form or a view from slipping out.
POST_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
# The only views exempted, each reviewed: the CKAN Action API answers read-only actions to
# anonymous callers (a POST there changes nothing, and CORS sends no credentials).
CSRF_EXEMPT_ALLOWED = {"portal/ckan.py"}


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_every_post_form_carries_the_csrf_token(path):
    for match in POST_FORM.finditer(path.read_text()):
        attributes, body = match.groups()
        if re.search(r"""method\s*=\s*["']?post""", attributes, re.IGNORECASE):
            assert "{% csrf_token %}" in body, f"{_name(path)}: <form{attributes}> without token"


def test_only_reviewed_views_are_exempt_from_csrf():
    exempt = {
        _name(path)
        for path in PACKAGE.rglob("*.py")
        if re.search(r"@csrf_exempt\b|csrf_exempt\(", path.read_text())
    }
    assert exempt <= CSRF_EXEMPT_ALLOWED


def test_a_post_without_the_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/app/account/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
