"""The DCAT catalog: parsed by rdflib, valid per DCAT-AP 3.0.1 (pyshacl), no hidden dataset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from satudata.portal.dcat import ACCESS_PUBLIC, ACCESS_RESTRICTED, VCARD, catalog_graph
from tests.portal.conftest import (
    CLOSED_MARKER,
    EMBARGO_MARKER,
    LIMITED_MARKER,
    VALUE_MARKERS,
    WITHDRAWN_MARKER,
)

SHAPES = Path("/work/shared/standards/dcat-ap-3.0.1")
SITE = "http://catalog.example.go.id"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    cache.clear()


def dataset_iri(ds) -> URIRef:
    return URIRef(SITE + reverse("dataset-detail", kwargs={"slug": ds.slug}))


def fetch(client, name: str, fmt: str) -> Graph:
    response = client.get(reverse(name))
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content, format=fmt)
    return graph


@pytest.fixture
def turtle(client, portal_world) -> Graph:
    return fetch(client, "dcat-ttl", "turtle")


def test_the_catalog_lists_every_public_dataset_and_no_other(turtle, portal_world):
    w = portal_world
    listed = set(turtle.objects(None, ns.DCAT.dataset))
    assert listed == {dataset_iri(w.open_ds), dataset_iri(w.district_ds), dataset_iri(w.limited_ds)}
    assert set(turtle.subjects(ns.RDF.type, ns.DCAT.Dataset)) == listed


def test_open_datasets_have_a_distribution_per_format_and_limited_none(turtle, portal_world):
    w = portal_world
    open_iri, limited_iri = dataset_iri(w.district_ds), dataset_iri(w.limited_ds)
    assert turtle.value(open_iri, ns.DCTERMS.accessRights) == ACCESS_PUBLIC
    assert turtle.value(limited_iri, ns.DCTERMS.accessRights) == ACCESS_RESTRICTED
    assert list(turtle.objects(limited_iri, ns.DCAT.distribution)) == []
    distributions = list(turtle.objects(open_iri, ns.DCAT.distribution))
    downloads = {str(turtle.value(d, ns.DCAT.downloadURL)) for d in distributions}
    assert downloads == {
        SITE + reverse("dataset-download", kwargs={"slug": w.district_ds.slug, "fmt": f})
        for f in ("csv", "xlsx", "json", "stat.json")
    }
    media = {turtle.value(d, ns.DCAT.mediaType) for d in distributions}
    assert URIRef("http://www.iana.org/assignments/media-types/text/csv") in media


def test_a_dataset_carries_its_metadata(turtle, portal_world):
    ds = portal_world.open_ds
    node = dataset_iri(ds)
    assert turtle.value(node, ns.DCTERMS.identifier) == Literal(ds.code)
    assert turtle.value(node, ns.DCTERMS.title) == Literal(ds.item.name, lang="id")
    assert Literal("kemiskinan", lang="id") in set(turtle.objects(node, ns.DCAT.keyword))
    assert turtle.value(node, ns.DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    )
    temporal = turtle.value(node, ns.DCTERMS.temporal)
    assert turtle.value(temporal, ns.DCAT.startDate) == Literal("2023-01-01", datatype=ns.XSD.date)
    assert turtle.value(temporal, ns.DCAT.endDate) == Literal("2025-12-31", datatype=ns.XSD.date)
    publisher = turtle.value(node, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in turtle
    assert str(turtle.value(publisher, ns.FOAF.name)) == ds.item.agency.name
    contact = turtle.value(node, ns.DCAT.contactPoint)
    assert (contact, ns.RDF.type, VCARD.Kind) in turtle
    assert str(turtle.value(contact, VCARD.hasEmail)).startswith("mailto:")
    assert turtle.value(node, ns.DCTERMS.spatial) is not None


def test_the_catalog_conforms_to_dcat_ap(turtle):
    conforms, results, text = validate(
        turtle,
        shacl_graph=str(SHAPES / "shapes-core-range.ttl"),
        shacl_graph_format="turtle",
        inference="none",
    )
    assert conforms, text
    # The recommended-property shapes: warnings may remain, never a violation.
    _conforms, results, text = validate(
        turtle,
        shacl_graph=str(SHAPES / "shapes-core-range-recommended.ttl"),
        shacl_graph_format="turtle",
        inference="none",
    )
    violations = list(results.subjects(ns.SH.resultSeverity, ns.SH.Violation))
    assert violations == [], text


def test_the_validation_catches_a_publisher_without_a_name(turtle):
    """The check above can fail: DCAT-AP demands foaf:name of every agent."""
    for agent in set(turtle.subjects(ns.RDF.type, ns.FOAF.Agent)):
        turtle.remove((agent, ns.FOAF.name, None))
    conforms, _results, _text = validate(
        turtle, shacl_graph=str(SHAPES / "shapes-core-range.ttl"), inference="none"
    )
    assert not conforms


def test_the_turtle_and_jsonld_carry_exactly_the_graph_built(client, turtle, portal_world):
    built = catalog_graph(timezone.now())
    jsonld = fetch(client, "dcat-jsonld", "json-ld")
    assert len(turtle) == len(built) > 100
    assert isomorphic(turtle, built)
    assert isomorphic(jsonld, built)


@pytest.mark.parametrize("name", ["dcat-ttl", "dcat-jsonld"])
def test_no_marker_appears_in_the_catalog(client, portal_world, name):
    text = client.get(reverse(name)).content.decode()
    for marker in (CLOSED_MARKER, EMBARGO_MARKER, WITHDRAWN_MARKER, *VALUE_MARKERS):
        assert marker not in text
    # A limited dataset is listed by its metadata (its title carries LIMITED_MARKER), never
    # with its values.
    assert LIMITED_MARKER in text


def test_an_embargoed_dataset_joins_the_catalog_at_its_release_time(portal_world):
    release = portal_world.embargoed_ds.releases.get()
    node = dataset_iri(portal_world.embargoed_ds)
    before = catalog_graph(release.release_at - dt.timedelta(seconds=1))
    after = catalog_graph(release.release_at)
    assert (None, ns.DCAT.dataset, node) not in before
    assert (None, ns.DCAT.dataset, node) in after


def test_the_cached_catalog_changes_when_a_dataset_changes(client, portal_world):
    first = client.get(reverse("dcat-ttl"))
    assert client.get(reverse("dcat-ttl"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    ds = portal_world.open_ds
    ds.item.name = "Jumlah Penduduk Miskin (revisi)"
    ds.item.save(update_fields=["name"])
    ds.version += 1
    ds.modified_at = timezone.now()
    ds.save(update_fields=["version", "modified_at"])
    second = client.get(reverse("dcat-ttl"))
    assert second["ETag"] != first["ETag"]
    assert "Jumlah Penduduk Miskin (revisi)" in second.content.decode()
