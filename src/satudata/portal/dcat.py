"""The DCAT catalog of the portal for harvesters (DCAT-AP 3.0.1), built with rdflib.

Every public dataset is in it: open ones with one distribution per download format, limited
ones as metadata only (access rights RESTRICTED, no distribution). Closed, embargoed and
withdrawn datasets are not, since the datasets come from `portal.selectors.public_datasets`.

IRIs are built from SITE_URL (not from the request's Host header): an identifier must not
change with the address a harvester happened to use, and the cached serialization is shared.

Building and serializing a graph of 3,000 datasets takes seconds, so the serialized catalog
is cached under a key that changes whenever what it shows changes: the number of public
datasets, the sum of their versions (bumped by every public change) and the releases that are
out (an embargo ends without any version bump).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.catalog.choices import Accessibility, Periodicity
from satudata.catalog.models import Region
from satudata.portal.choices import DownloadFormat
from satudata.portal.models import Dataset, DatasetRelease
from satudata.portal.selectors import open_datasets, public_datasets
from satudata.schedule.periods import InvalidPeriod, Period

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"

ACCESS_PUBLIC = URIRef(EU + "access-right/PUBLIC")
ACCESS_RESTRICTED = URIRef(EU + "access-right/RESTRICTED")
LANGUAGE = URIRef(EU + "language/IND")
FREQUENCY = {
    Periodicity.ANNUAL: URIRef(EU + "frequency/ANNUAL"),
    Periodicity.SEMESTER: URIRef(EU + "frequency/ANNUAL_2"),
    Periodicity.QUARTERLY: URIRef(EU + "frequency/QUARTERLY"),
    Periodicity.MONTHLY: URIRef(EU + "frequency/MONTHLY"),
}
LICENSES = {"CC-BY-4.0": URIRef(EU + "licence/CC_BY_4_0")}
# (IANA media type, EU file type) of each download. JSON-stat has no type of its own in
# either register: it is JSON.
FORMATS = {
    DownloadFormat.CSV: ("text/csv", "CSV"),
    DownloadFormat.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    DownloadFormat.JSON: ("application/json", "JSON"),
    DownloadFormat.JSONSTAT: ("application/json", "JSON"),
}
LANG = "id"
CACHE_SECONDS = 600


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _url(name: str, **kwargs: Any) -> URIRef:
    return URIRef(_site() + reverse(name, kwargs=kwargs or None))


PREFIXES = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "skos": str(SKOS),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}


class _Addresses:
    """Absolute URLs of the portal's pages, reversed once and filled by string formatting
    (reverse() per dataset and format was a third of the build time for 3,000 datasets)."""

    def __init__(self) -> None:
        site = _site()
        self.detail = site + reverse("dataset-detail", kwargs={"slug": "__s__"})
        self.download = site + reverse("dataset-download", kwargs={"slug": "__s__", "fmt": "__f__"})
        self.agency = site + reverse("portal-agency", kwargs={"slug": "__s__"})
        self.topic = site + reverse("portal-topic", kwargs={"slug": "__s__"})

    def of(self, template: str, slug: str, fmt: str = "") -> URIRef:
        return URIRef(template.replace("__s__", slug).replace("__f__", fmt))


def _text(value: str) -> Literal:
    return Literal(value, lang=LANG)


@lru_cache(maxsize=4096)
def _when(moment: dt.datetime) -> Literal:
    text = moment.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    return Literal(text, datatype=XSD.dateTime)


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def _region_name() -> str:
    code = settings.REGION_CODE
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def walidata_office() -> tuple[str, str]:
    """Name and e-mail of the walidata's office: the contact of last resort."""
    user = (
        User.objects.filter(role=Role.WALIDATA, is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("pk")
        .first()
    )
    agency: Agency | None = user.agency if user else None
    if agency is not None and agency.email:
        return agency.name, agency.email
    name = agency.name if agency is not None else _("Walidata")
    return name, settings.DEFAULT_FROM_EMAIL


class CatalogBuilder:
    """Collects the triples of the catalog, its datasets and the nodes they share.

    A plain list, not an rdflib Graph: the graph's indexes cost half of the build time and
    the writers below need none (a shared node is added once, so no triple repeats).
    """

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.triples: list[tuple[Any, Any, Any]] = []
        self.urls = _Addresses()
        self.catalog = URIRef(_site() + reverse("dcat-ttl").rsplit(".", 1)[0])
        self.themes = URIRef(_url("portal-topic-list"))
        self._agents: set[int] = set()
        self._topics: set[int] = set()
        self._regions: dict[str, URIRef] = {}
        self._contacts: dict[int, BNode | URIRef] = {}
        self._typed: set[URIRef] = set()
        self.office = walidata_office()
        self.region_label = _region_name()

    def add(self, s: Any, p: Any, o: Any) -> None:
        self.triples.append((s, p, o))

    def typed(self, node: URIRef, kind: URIRef) -> URIRef:
        """A linked IRI typed explicitly, once (DCAT-AP checks every object's class)."""
        if node not in self._typed:
            self._typed.add(node)
            self.add(node, RDF.type, kind)
        return node

    # --- shared nodes -------------------------------------------------------------------

    def agency(self, agency: Agency) -> URIRef:
        node = self.urls.of(self.urls.agency, agency.slug)
        if agency.pk not in self._agents:
            self._agents.add(agency.pk)
            self.add(node, RDF.type, FOAF.Agent)
            self.add(node, FOAF.name, _text(agency.name))
            if agency.website:
                self.add(node, FOAF.homepage, self.typed(URIRef(agency.website), FOAF.Document))
        return node

    def contact(self, agency: Agency) -> BNode | URIRef:
        if agency.pk not in self._contacts:
            name, email = (agency.name, agency.email) if agency.email else self.office
            node = URIRef(f"{self.urls.of(self.urls.agency, agency.slug)}#contact")
            self.add(node, RDF.type, VCARD.Kind)
            self.add(node, VCARD.fn, Literal(name))
            self.add(node, VCARD.hasEmail, URIRef(f"mailto:{email}"))
            self._contacts[agency.pk] = node
        return self._contacts[agency.pk]

    def topic(self, topic: Any) -> URIRef:
        node = self.urls.of(self.urls.topic, topic.slug)
        if topic.pk not in self._topics:
            self._topics.add(topic.pk)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.prefLabel, _text(topic.name))
            self.add(node, SKOS.inScheme, self.themes)
        return node

    def region(self, code: str, name: str) -> URIRef:
        if code not in self._regions:
            node = URIRef(f"{self.catalog}#region-{code}")
            self.add(node, RDF.type, DCTERMS.Location)
            self.add(node, SKOS.prefLabel, _text(name))
            self.add(node, DCTERMS.identifier, Literal(code))
            self._regions[code] = node
        return self._regions[code]

    # --- the catalog and its datasets -----------------------------------------------------

    def catalog_node(self, modified: dt.datetime | None) -> None:
        region = self.region_label
        title = _("Sectoral statistics of %(region)s") % {"region": region}
        cat = self.catalog
        self.add(cat, RDF.type, DCAT.Catalog)
        self.add(cat, DCTERMS.title, _text(title))
        self.add(
            cat,
            DCTERMS.description,
            _text(
                _(
                    "Open sectoral statistics of %(region)s published by the walidata, "
                    "with the limited data listed as metadata."
                )
                % {"region": region}
            ),
        )
        publisher = URIRef(f"{_site()}/#publisher")
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(publisher, FOAF.name, _text(_("Government of %(region)s") % {"region": region}))
        self.add(cat, DCTERMS.publisher, publisher)
        self.add(cat, FOAF.homepage, self.typed(URIRef(_site() + "/"), FOAF.Document))
        self.add(cat, DCTERMS.language, self.typed(LANGUAGE, DCTERMS.LinguisticSystem))
        self.add(cat, DCTERMS.license, self.typed(LICENSES["CC-BY-4.0"], DCTERMS.LicenseDocument))
        if modified is not None:
            self.add(cat, DCTERMS.modified, _when(modified))
        self.add(cat, DCAT.themeTaxonomy, self.themes)
        self.add(self.themes, RDF.type, SKOS.ConceptScheme)
        self.add(self.themes, DCTERMS.title, _text(_("Topics")))

    def dataset(
        self, dataset: Dataset, periods: list[str], last_release: dt.datetime | None
    ) -> None:
        item = dataset.item
        node = self.urls.of(self.urls.detail, dataset.slug)
        is_open = item.accessibility == Accessibility.OPEN
        self.add(self.catalog, DCAT.dataset, node)
        self.add(node, RDF.type, DCAT.Dataset)
        self.add(node, DCTERMS.identifier, Literal(dataset.code))
        self.add(node, DCTERMS.title, _text(item.name))
        self.add(node, DCTERMS.description, _text(item.definition or item.name))
        for tag in item.tag_list:
            self.add(node, DCAT.keyword, _text(tag))
        if item.topic_id:
            self.add(node, DCAT.theme, self.topic(item.topic))
        self.add(node, DCTERMS.publisher, self.agency(item.agency))
        self.add(node, DCAT.contactPoint, self.contact(item.agency))
        self.add(node, DCAT.landingPage, self.typed(node, FOAF.Document))
        self.add(node, DCTERMS.language, LANGUAGE)
        self.add(
            node,
            DCTERMS.accrualPeriodicity,
            self.typed(FREQUENCY[item.periodicity], DCTERMS.Frequency),
        )
        self.add(node, DCTERMS.spatial, self.region(settings.REGION_CODE, self.region_label))
        self.add(node, DCTERMS.issued, _when(dataset.listed_at))
        modified = dataset.modified_at
        if modified > self.now:  # an embargoed change: the last public one is the newest release
            modified = max(filter(None, (last_release, dataset.listed_at)))
        self.add(node, DCTERMS.modified, _when(modified))
        rights = ACCESS_PUBLIC if is_open else ACCESS_RESTRICTED
        self.add(node, DCTERMS.accessRights, self.typed(rights, DCTERMS.RightsStatement))
        if not is_open:
            return
        span = _span(periods)
        if span is not None:
            temporal = BNode()
            self.add(node, DCTERMS.temporal, temporal)
            self.add(temporal, RDF.type, DCTERMS.PeriodOfTime)
            self.add(temporal, DCAT.startDate, _date(span[0]))
            self.add(temporal, DCAT.endDate, _date(span[1]))
        license_node = LICENSES.get(dataset.license)
        for fmt, (media, file_type) in FORMATS.items():
            url = self.urls.of(self.urls.download, dataset.slug, fmt.value)
            dist = URIRef(f"{node}#{fmt.value.replace('.', '-')}")
            self.add(node, DCAT.distribution, dist)
            self.add(dist, RDF.type, DCAT.Distribution)
            self.add(dist, DCTERMS.title, _text(f"{item.name} ({fmt.label})"))
            self.add(dist, DCAT.accessURL, url)
            self.add(dist, DCAT.downloadURL, url)
            self.add(dist, DCAT.mediaType, self.typed(URIRef(IANA + media), DCTERMS.MediaType))
            self.add(
                dist,
                DCTERMS.format,
                self.typed(URIRef(EU + "file-type/" + file_type), DCTERMS.MediaTypeOrExtent),
            )
            self.add(dist, DCTERMS.modified, _when(modified))
            if license_node is not None:
                self.add(dist, DCTERMS.license, self.typed(license_node, DCTERMS.LicenseDocument))


def _span(periods: list[str]) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by the released periods."""
    parsed = []
    for key in periods:
        try:
            parsed.append(Period.parse(key))
        except InvalidPeriod:
            continue
    if not parsed:
        return None
    return min(p.start for p in parsed), max(p.end for p in parsed)


def catalog_graph(now: dt.datetime) -> Graph:
    """The whole catalog as an rdflib graph, as of `now`."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in catalog_triples(now):
        graph.add(triple)
    return graph


def catalog_triples(now: dt.datetime) -> list[tuple[Any, Any, Any]]:
    """The whole catalog's triples, as of `now`."""
    datasets = list(public_datasets(now).order_by("slug"))
    periods: dict[int, list[str]] = defaultdict(list)
    last_release: dict[int, dt.datetime] = {}
    # All released periods in one query (not released_periods() per dataset); the datasets
    # are restricted to the open public ones by the selector, so nothing else can appear.
    releases = DatasetRelease.objects.filter(
        dataset__in=open_datasets(now).values("pk"), release_at__lte=now
    ).values_list("dataset_id", "period", "release_at")
    for dataset_id, period, release_at in releases:
        periods[dataset_id].append(period)
        if release_at > last_release.get(dataset_id, release_at - dt.timedelta(seconds=1)):
            last_release[dataset_id] = release_at
    # The literals are tagged Indonesian, whatever language the request asked for.
    with translation.override(LANG):
        builder = CatalogBuilder(now)
        modified = [d.modified_at for d in datasets if d.modified_at <= now]
        modified += list(last_release.values())
        builder.catalog_node(max(modified) if modified else None)
        for dataset in datasets:
            builder.dataset(dataset, sorted(periods[dataset.pk]), last_release.get(dataset.pk))
    return builder.triples


# --- Serializing ------------------------------------------------------------------------------
# rdflib's own Turtle and JSON-LD writers take 5-15 s for a catalog of 3,000 datasets (150,000
# triples): Turtle's pretty printer sorts and nests, JSON-LD compacts. The two writers below
# produce the same triples in plain, standard forms (Turtle grouped by subject with prefixed
# predicates and classes; expanded JSON-LD) in well under a second; rdflib and every harvester
# read them back. The tests parse both and compare them triple for triple.

_LOCAL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


Triples = Iterable[tuple[Any, Any, Any]]


def _group(graph: Triples) -> dict[Any, dict[Any, list[Any]]]:
    """subject -> predicate -> objects, subjects and predicates in a stable order."""
    subjects: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in dict.fromkeys(graph):  # each triple once, as in a graph
        subjects[s][p].append(o)
    return {s: subjects[s] for s in sorted(subjects, key=lambda s: (isinstance(s, BNode), str(s)))}


def turtle_bytes(graph: Triples) -> bytes:
    """The graph as Turtle: one block per subject, prefixed names for the vocabularies."""
    names: dict[Any, str] = {}

    def term(node: Any) -> str:
        if isinstance(node, URIRef):
            if node not in names:
                text = str(node)
                names[node] = node.n3()
                for prefix, namespace in PREFIXES.items():
                    if text.startswith(namespace) and _LOCAL_NAME.match(text[len(namespace) :]):
                        names[node] = f"{prefix}:{text[len(namespace) :]}"
                        break
            return names[node]
        return node.n3()

    out = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()]
    out.append("")
    for subject, predicates in _group(graph).items():
        lines = []
        for predicate in sorted(predicates, key=lambda p: (p != RDF.type, p)):
            ordered = sorted(predicates[predicate], key=lambda o: (type(o).__name__, str(o)))
            objects = ", ".join(term(o) for o in ordered)
            verb = "a" if predicate == RDF.type else term(predicate)
            lines.append(f"{verb} {objects}")
        out.append(f"{term(subject)} " + " ;\n    ".join(lines) + " .\n")
    return "\n".join(out).encode("utf-8")


def jsonld_bytes(graph: Triples) -> bytes:
    """The graph as expanded JSON-LD: a list of nodes with full IRIs, no context to fetch."""

    def ref(node: Any) -> str:
        return f"_:{node}" if isinstance(node, BNode) else str(node)

    def value(node: Any) -> dict[str, str]:
        if not isinstance(node, Literal):
            return {"@id": ref(node)}
        if node.language:
            return {"@value": str(node), "@language": node.language}
        if node.datatype:
            return {"@value": str(node), "@type": str(node.datatype)}
        return {"@value": str(node)}

    nodes = []
    for subject, predicates in _group(graph).items():
        node: dict[str, Any] = {"@id": ref(subject)}
        for predicate, objects in predicates.items():
            if predicate == RDF.type:
                node["@type"] = sorted(str(o) for o in objects)
            else:
                node[str(predicate)] = [value(o) for o in objects]
        nodes.append(node)
    return orjson.dumps(nodes)


SERIALIZERS = {"turtle": turtle_bytes, "json-ld": jsonld_bytes}


def catalog_state(now: dt.datetime) -> str:
    """A short key that changes whenever the public catalog's content changes.

    Versions only grow, so their sum moves with any dataset's change; the open count moves
    with a reclassification, the items' last update with an edit of their metadata, the
    releases out with an embargo ending. An agency's renaming waits for CACHE_SECONDS.
    """
    public = public_datasets(now).aggregate(
        n=Count("pk"),
        open=Count("pk", filter=Q(item__accessibility=Accessibility.OPEN)),
        versions=Sum("version"),
        items=Max("item__updated_at"),
    )
    out = DatasetRelease.objects.filter(
        dataset__in=open_datasets(now).values("pk"), release_at__lte=now
    ).aggregate(n=Count("pk"), last=Max("release_at"))
    raw = ":".join(str(v) for v in (*public.values(), out["n"], out["last"], settings.SITE_URL))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def catalog_bytes(fmt: str, now: dt.datetime) -> tuple[bytes, str]:
    """The serialized catalog ("turtle" or "json-ld") and its state key, cached by state."""
    state = catalog_state(now)
    key = f"portal:dcat:{fmt}:{state}"
    data = cache.get(key)
    if data is None:
        data = SERIALIZERS[fmt](catalog_triples(now))
        cache.set(key, data, CACHE_SECONDS)
    return data, state
