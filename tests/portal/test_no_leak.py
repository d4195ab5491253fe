"""No leak, proven: every public URL the portal has, crawled, shows no limited value and
nothing at all of closed, withdrawn or embargoed data.

The world (tests/portal/conftest.py) carries unique markers in the names, descriptions, tags
and values of what must stay hidden. The crawl starts from every entry point a person or a
harvester uses (pages, search, feeds, sitemap, DCAT, data packages, downloads, the CKAN and v1
APIs, error pages), asks for the hidden items directly by every name they could be guessed
by, follows every link on the site, and checks every answer, with and without query strings.
Limited datasets' metadata is public (their title carries LIMITED_MARKER), their values are not.
An embargoed release's title may be announced in the advance release calendar; nothing else.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from django.test import Client
from django.utils.text import slugify

from tests.portal.conftest import (
    CLOSED_MARKER,
    EMBARGO_MARKER,
    VALUE_MARKERS,
    WITHDRAWN_MARKER,
)

# Never anywhere, in any case.
ALWAYS_HIDDEN = (CLOSED_MARKER, WITHDRAWN_MARKER)
# Pages that may announce an upcoming release by its title (advance release calendar).
ANNOUNCING = ("/", "/release-calendar/")
# Links not to follow: the workspace, the admin, the language switch, static files.
SKIP = ("/app/", "/admin/", "/i18n/", "/static/", "/media/", "/access/")
MAX_PAGES = 600
SEARCHES = ("zqxclosedmarker", "zqxwithdrawnmarker", "zqxembargomarker", "tertutup", "data")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


def _links(body: str) -> list[str]:
    parser = _Links()
    parser.feed(body)
    return parser.links


def _without_echo(body: str, *echoes: str) -> str:
    """The answer without what the client itself sent (a path or query echoed back by a page's
    language form or a search box): repeating a client's own words leaks nothing."""
    for echo in echoes:
        if echo:
            for form in {echo, escape(echo), quote(echo, safe="/"), escape(quote(echo, safe="/"))}:
                body = body.replace(form, "")
    return body


def _check(url: str, body: str, *, echoed: str = "") -> None:
    text = _without_echo(body, url, echoed)
    lowered = text.lower()
    for marker in ALWAYS_HIDDEN:
        assert marker.lower() not in lowered, f"{marker} leaked at {url}"
    if urlsplit(url).path not in ANNOUNCING:
        assert EMBARGO_MARKER.lower() not in lowered, f"embargoed title leaked at {url}"
    for value in VALUE_MARKERS:
        assert value not in text, f"a hidden value ({value}) leaked at {url}"


def _hidden_names(world) -> list[str]:
    """Every way a hidden dataset could be asked for: slug, code, id, name as a slug."""
    names = []
    for ds in (world.embargoed_ds, world.withdrawn_ds):
        names += [ds.slug, ds.code, str(ds.pk)]
    closed = world.closed_item
    names += [slugify(closed.name), slugify(f"{closed.name} {closed.agency.short_name}")]
    names += [closed.code, str(closed.pk)]
    return names


def _entry_points(world) -> list[str]:
    urls = [
        "/",
        "/dataset/",
        "/organization/",
        "/group/",
        "/release-calendar/",
        "/sitemap.xml",
        "/robots.txt",
        "/feeds/datasets.atom",
        "/catalog.jsonld",
        "/catalog.ttl",
        "/api/v1/openapi.json",
        "/this-page-does-not-exist-zqxclosedmarker/",
    ]
    for action in (
        "status_show",
        "site_read",
        "package_list",
        "current_package_list_with_resources",
        "package_search",
        "organization_list",
        "group_list",
        "tag_list",
        "license_list",
    ):
        urls.append(f"/api/3/action/{action}")
    urls.append("/api/3/action/package_search?" + urlencode({"rows": 1000}))
    urls.append("/api/3/action/organization_list?all_fields=true")
    urls.append("/api/3/action/current_package_list_with_resources?limit=1000")
    slugs = [world.open_ds.slug, world.district_ds.slug, world.limited_ds.slug]
    for name in slugs + _hidden_names(world):
        urls += [
            f"/dataset/{name}/",
            f"/dataset/{name}/data.csv",
            f"/dataset/{name}/data.xlsx",
            f"/dataset/{name}/data.json",
            f"/dataset/{name}/data.stat.json",
            f"/dataset/{name}/datapackage.json",
            f"/dataset/{name}/request/",
            f"/api/3/action/package_show?id={name}",
            f"/api/3/action/resource_show?id={name}",
            f"/api/v1/datasets/{name}",
            f"/api/v1/datasets/{name}/observations",
        ]
    agency = world.open_ds.item.agency
    urls += [
        f"/organization/{agency.slug}/",
        f"/api/3/action/organization_show?id={agency.slug}&include_datasets=true",
        f"/group/{world.open_ds.item.topic.slug}/",
        f"/api/3/action/group_show?id={world.open_ds.item.topic.slug}&include_datasets=true",
        "/api/v1/datasets",
        "/api/v1/datasets?limit=1000",
    ]
    return urls


@pytest.fixture
def crawled(portal_world):
    """Every public answer: {url: body}."""
    client = Client()
    seen: dict[str, str] = {}
    queue = _entry_points(portal_world)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            seen[url] = ""
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        seen[url] = text
        if "html" in response.get("Content-Type", "") or url.endswith(".xml"):
            for link in _links(text) + re.findall(r"<loc>([^<]+)</loc>", text):
                parts = urlsplit(urljoin("http://testserver" + url, link))
                if parts.netloc not in ("testserver", "") or parts.path.startswith(SKIP):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if target not in seen:
                    queue.append(target)
    return seen


def test_no_hidden_marker_in_any_public_answer(crawled):
    assert len(crawled) > 100  # the crawl really went through the site
    for url, body in crawled.items():
        _check(url, body)


def test_searches_for_hidden_words_find_nothing_hidden(portal_world):
    client = Client()
    for q in SEARCHES:
        for url in (
            "/dataset/?" + urlencode({"q": q}),
            "/api/3/action/package_search?" + urlencode({"q": q}),
            "/api/v1/datasets?" + urlencode({"q": q}),
        ):
            response = client.get(url)
            _check(url, response.content.decode(), echoed=q)


def _normal(body: str) -> str:
    """A 404 body without its per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_hidden_datasets_answer_exactly_like_unknown_ones(portal_world):
    client = Client()
    unknown = {
        "page": client.get("/dataset/no-such-dataset/"),
        "csv": client.get("/dataset/no-such-dataset/data.csv"),
        "ckan": client.get("/api/3/action/package_show?id=no-such-dataset"),
    }
    for name in _hidden_names(portal_world):
        for kind, path in (
            ("page", f"/dataset/{name}/"),
            ("csv", f"/dataset/{name}/data.csv"),
            ("ckan", f"/api/3/action/package_show?id={name}"),
        ):
            response = client.get(path)
            assert response.status_code == unknown[kind].status_code == 404, path
            body = _normal(response.content.decode().replace(name, "no-such-dataset"))
            assert body == _normal(unknown[kind].content.decode()), path


def test_limited_values_never_leave_by_any_download(portal_world):
    client = Client()
    slug = portal_world.limited_ds.slug
    for fmt in ("csv", "xlsx", "json", "stat.json"):
        assert client.get(f"/dataset/{slug}/data.{fmt}").status_code == 404
    assert client.get(f"/dataset/{slug}/datapackage.json").status_code == 404
    page = client.get(f"/dataset/{slug}/")
    assert page.status_code == 200  # its metadata is public, with the request form
    _check(f"/dataset/{slug}/", page.content.decode())
