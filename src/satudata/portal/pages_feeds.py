"""Machine-read pages: sitemap.xml, robots.txt and the Atom feed of new and updated datasets.

The sitemap is written by hand (django.contrib.sitemaps is not an installed app) with
ElementTree, so every name is escaped and the output is well-formed XML.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency
from satudata.catalog.models import Topic
from satudata.portal.pages_common import absolute, counts_by, last_update
from satudata.portal.selectors import public_datasets
from satudata.publications.selectors_public import published_publications

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_ENTRIES = 50
# Paths no crawler should walk: the workspace, the admin, access-request forms and links.
ROBOTS_DISALLOW = ("/app/", "/admin/", "/access/", "/dataset/*/request/")


def sitemap_xml(request: HttpRequest, now: dt.datetime) -> bytes:
    """Home, the lists, every public dataset (with lastmod), its agencies and topics, and every
    published publication."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)

    def add(path: str, lastmod: dt.datetime | None = None) -> None:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute(request, path)
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = lastmod.astimezone(dt.UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )

    for name in ("portal-home", "dataset-search", "portal-agency-list", "portal-topic-list"):
        add(reverse(name))
    add(reverse("portal-release-calendar"))
    datasets = public_datasets(now).only("slug", "modified_at", "item__agency_id").order_by("slug")
    for slug, modified in datasets.values_list("slug", "modified_at"):
        add(reverse("dataset-detail", args=[slug]), min(modified, now))
    agencies = counts_by(public_datasets(now), "item__agency_id")
    for slug in (
        Agency.objects.filter(pk__in=list(agencies)).order_by("slug").values_list("slug", flat=True)
    ):
        add(reverse("portal-agency", args=[slug]))
    topics = counts_by(public_datasets(now), "item__topic_id")
    for slug in (
        Topic.objects.filter(pk__in=[t for t in topics if t])
        .order_by("slug")
        .values_list("slug", flat=True)
    ):
        add(reverse("portal-topic", args=[slug]))
    # Published publications only (their selector cannot return drafts or approved ones).
    add(reverse("publications_public:list"))
    publications = published_publications().values_list("slug", "published_at")
    for slug, published in publications:
        add(reverse("publications_public:detail", args=[slug]), min(published, now))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="utf-8")


def robots_txt(request: HttpRequest) -> str:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {absolute(request, reverse('sitemap'))}", ""]
    return "\n".join(lines)


def atom_feed(request: HttpRequest, now: dt.datetime, portal_name: str) -> Atom1Feed:
    """The newest listed or updated public datasets (a change is public once it happened)."""
    feed = Atom1Feed(
        title=_("New and updated datasets") + f" · {portal_name}",
        link=absolute(request, reverse("portal-home")),
        description=_("Datasets published or updated on the portal."),
        feed_url=absolute(request, reverse("dataset-feed")),
        language=request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "id",
    )
    datasets = public_datasets(now).order_by("-modified_at", "-listed_at")[:FEED_ENTRIES]
    for ds in datasets:
        url = absolute(request, reverse("dataset-detail", args=[ds.slug]))
        agency = ds.item.agency
        feed.add_item(
            title=ds.item.name,
            link=url,
            description=ds.item.definition or ds.item.name,
            unique_id=url,
            pubdate=ds.listed_at,
            updateddate=last_update(ds, now),
            author_name=agency.name,
            categories=[ds.item.topic.name] if ds.item.topic else [],
        )
    return feed
