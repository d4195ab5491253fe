"""Dataset downloads and data packages: read back by their own libraries, exact, leak-free."""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import Decimal
from pathlib import Path

import openpyxl
import orjson
import pytest
from django.urls import reverse
from frictionless import Package
from jsonschema import Draft202012Validator

from satudata.portal.models import DatasetUsage
from satudata.portal.selectors import public_observations
from tests.portal.conftest import MARKERS, VALUE_MARKERS

FORMATS = ("csv", "xlsx", "json", "stat.json")
JSONSTAT_SCHEMA = Path("/work/shared/standards/json-stat-2.0/dataset.json")


def download(client, dataset, fmt: str, **headers):
    url = reverse("dataset-download", kwargs={"slug": dataset.slug, "fmt": fmt})
    return client.get(url, **headers)


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def expected_cells(dataset) -> dict[tuple[str, str, str], Decimal]:
    """(period, region, breakdown key) -> value, straight from the selector."""
    return {(o.period, o.region_id, o.breakdown_key): o.value for o in public_observations(dataset)}


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


# --- CSV ------------------------------------------------------------------------------------


def test_the_csv_streams_tidy_rows_with_exact_values(client, portal_world):
    ds = portal_world.district_ds
    response = download(client, ds, "csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{ds.slug}.csv"'
    rows = csv_rows(response)
    assert list(rows[0]) == [
        "period",
        "region_code",
        "region_name",
        "jenis-kelamin",
        "value",
        "unit",
        "status",
        "note",
        "source",
    ]
    got = {
        (r["period"], r["region_code"], f"jenis-kelamin={r['jenis-kelamin']}"): Decimal(r["value"])
        for r in rows
    }
    assert got == expected_cells(ds)
    assert len(rows) == 62
    assert {r["jenis-kelamin"] for r in rows} == {"L", "P"}
    assert {r["unit"] for r in rows} == {"orang"}
    assert all(r["region_name"] for r in rows)
    # Machine format: '.' decimals, no trailing zeros, no thousands separator.
    assert any("." in r["value"] for r in rows)
    assert not any("," in r["value"] or r["value"].endswith("0.") for r in rows)


def test_the_csv_of_a_series_lists_its_periods_in_order(client, portal_world):
    rows = csv_rows(download(client, portal_world.open_ds, "csv"))
    assert [r["period"] for r in rows] == ["2023", "2024", "2025"]
    assert [r["value"] for r in rows] == ["3023", "3024", "3025"]
    assert "jenis-kelamin" not in rows[0]


# --- XLSX -----------------------------------------------------------------------------------


def test_the_xlsx_has_the_values_as_numbers_and_a_metadata_sheet(client, portal_world):
    ds = portal_world.district_ds
    response = download(client, ds, "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{ds.slug}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    assert book.sheetnames == ["data", "metadata"]
    data = list(book["data"].iter_rows(values_only=True))
    header, rows = data[0], data[1:]
    assert header[:4] == ("period", "region_code", "region_name", "jenis-kelamin")
    value_at = header.index("value")
    got = {
        (r[0], r[1], f"jenis-kelamin={r[3]}"): Decimal(repr(r[value_at])).normalize() for r in rows
    }
    assert got == {k: v.normalize() for k, v in expected_cells(ds).items()}
    meta = {row[0]: row[1] for row in book["metadata"].iter_rows(values_only=True)}
    assert ds.item.name in meta.values()
    assert "orang" in meta.values()


# --- JSON and JSON-stat ---------------------------------------------------------------------


def test_the_json_holds_metadata_and_exact_observations(client, portal_world):
    ds = portal_world.district_ds
    response = download(client, ds, "json")
    assert response.status_code == 200
    raw = body(response)
    orjson.loads(raw)  # valid JSON for a strict parser too
    doc = json.loads(raw, parse_float=Decimal)
    assert doc["dataset"]["title"] == ds.item.name
    assert doc["dataset"]["unit"] == "orang"
    assert doc["dataset"]["periods"] == ["2025"]
    got = {
        (o["period"], o["region_code"], f"jenis-kelamin={o['jenis-kelamin']}"): Decimal(o["value"])
        for o in doc["observations"]
    }
    assert got == expected_cells(ds)


def test_the_json_of_a_dataset_without_values_is_still_valid(client, portal_world, monkeypatch):
    monkeypatch.setattr("satudata.portal.exports_table.released_periods", lambda ds, now: [])
    doc = orjson.loads(body(download(client, portal_world.open_ds, "json")))
    assert doc["observations"] == []


def test_the_jsonstat_is_valid_and_places_every_value_in_its_cell(client, portal_world):
    ds = portal_world.district_ds
    response = download(client, ds, "stat.json")
    assert response.status_code == 200
    doc = json.loads(body(response), parse_float=Decimal)
    schema = json.loads(JSONSTAT_SCHEMA.read_text())
    errors = list(Draft202012Validator(schema).iter_errors(doc))
    assert errors == []
    assert doc["class"] == "dataset" and doc["version"] == "2.0"
    assert doc["role"]["time"] == ["period"] and doc["role"]["geo"] == ["region"]
    assert len(doc["value"]) == math.prod(doc["size"])
    assert doc["id"] == ["indicator", "period", "region", "jenis-kelamin"]
    unit = doc["dimension"]["indicator"]["category"]["unit"]
    assert unit == {ds.slug: {"label": "orang"}}
    # Decode every cell back from its position and compare with the selector.
    dims = [doc["dimension"][d]["category"]["index"] for d in doc["id"]]
    got = {}
    for at, value in enumerate(doc["value"]):
        if value is None:
            continue
        coords, rest = [], at
        for size in reversed(doc["size"]):
            coords.append(rest % size)
            rest //= size
        coords.reverse()
        names = [dims[n][c] for n, c in enumerate(coords)]
        got[(names[1], names[2], f"jenis-kelamin={names[3]}")] = Decimal(value)
    assert got == expected_cells(ds)


def test_the_jsonstat_leaves_missing_cells_null(client, portal_world):
    doc = orjson.loads(body(download(client, portal_world.open_ds, "stat.json")))
    assert doc["size"] == [1, 3, 1]
    assert doc["value"] == [3023, 3024, 3025]
    assert doc["dimension"]["region"]["category"]["label"]["35.09"]


# --- The 404 rules, conditional requests, counts --------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_open_public_datasets_have_files(client, portal_world, fmt):
    w = portal_world
    for ds in (w.limited_ds, w.embargoed_ds, w.withdrawn_ds):
        assert download(client, ds, fmt).status_code == 404
    url = reverse("dataset-download", kwargs={"slug": "no-such-dataset", "fmt": fmt})
    assert client.get(url).status_code == 404
    for ds in (w.limited_ds, w.embargoed_ds, w.withdrawn_ds):
        url = reverse("dataset-datapackage", kwargs={"slug": ds.slug})
        assert client.get(url).status_code == 404


def test_a_closed_item_has_no_files_at_any_slug(client, portal_world):
    from django.utils.text import slugify

    slug = slugify(portal_world.closed_item.name)
    for fmt in FORMATS:
        url = reverse("dataset-download", kwargs={"slug": slug, "fmt": fmt})
        assert client.get(url).status_code == 404


def test_an_unknown_format_is_a_404(client, portal_world):
    url = f"/dataset/{portal_world.open_ds.slug}/data.xml"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_marker_appears_in_any_file(client, portal_world, fmt):
    for ds in (portal_world.open_ds, portal_world.district_ds):
        text = body(download(client, ds, fmt)).decode("utf-8", "replace")
        for marker in (*MARKERS, *VALUE_MARKERS):
            assert marker not in text


def test_a_current_copy_gets_a_304_and_a_changed_dataset_a_new_etag(client, portal_world):
    ds = portal_world.open_ds
    first = download(client, ds, "csv")
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = download(client, ds, "csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    ds.version += 1
    ds.save(update_fields=["version"])
    changed = download(client, ds, "csv", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_each_download_is_counted(client, portal_world):
    ds = portal_world.open_ds

    def downloads() -> int:
        return sum(DatasetUsage.objects.filter(dataset=ds).values_list("downloads", flat=True))

    before = downloads()
    for fmt in FORMATS:
        body(download(client, ds, fmt))
    assert downloads() == before + 4
    client.head(reverse("dataset-download", kwargs={"slug": ds.slug, "fmt": "csv"}))
    assert downloads() == before + 4


# --- Data package ---------------------------------------------------------------------------


def test_the_datapackage_describes_the_csv_and_frictionless_validates_both(
    client, portal_world, tmp_path
):
    ds = portal_world.district_ds
    response = client.get(reverse("dataset-datapackage", kwargs={"slug": ds.slug}))
    assert response.status_code == 200
    descriptor = orjson.loads(response.content)
    resource = descriptor["resources"][0]
    csv_url = reverse("dataset-download", kwargs={"slug": ds.slug, "fmt": "csv"})
    assert resource["path"] == f"http://testserver{csv_url}"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"][0]["title"] == ds.item.agency.name
    csv_bytes = body(download(client, ds, "csv"))
    header = csv_bytes.split(b"\r\n", 1)[0].decode().split(",")
    assert [f["name"] for f in resource["schema"]["fields"]] == header
    # Validate the descriptor with the CSV beside it (the served one points to the live URL).
    (tmp_path / "data.csv").write_bytes(csv_bytes)
    resource["path"] = "data.csv"
    (tmp_path / "datapackage.json").write_bytes(orjson.dumps(descriptor))
    package = Package(str(tmp_path / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["type", "note"])
    rows = package.get_resource(ds.slug).read_rows()
    assert len(rows) == 62
    assert {(r["period"], r["region_code"]) for r in rows} == {
        (p, code) for p, code, _key in expected_cells(ds)
    }
    assert sorted(r["value"] for r in rows) == sorted(expected_cells(ds).values())


def test_a_broken_csv_fails_frictionless_validation(client, portal_world, tmp_path):
    """The validation above can fail: a text in the value column is an error."""
    ds = portal_world.open_ds
    descriptor = orjson.loads(
        client.get(reverse("dataset-datapackage", kwargs={"slug": ds.slug})).content
    )
    text = body(download(client, ds, "csv")).decode().replace("3024", "tiga ribu")
    (tmp_path / "data.csv").write_text(text)
    descriptor["resources"][0]["path"] = "data.csv"
    (tmp_path / "datapackage.json").write_bytes(orjson.dumps(descriptor))
    assert not Package(str(tmp_path / "datapackage.json")).validate().valid


# --- Built files kept in the storage --------------------------------------------------------


def test_built_files_are_reused_until_the_dataset_changes(client, portal_world, monkeypatch):
    from satudata.portal import views_files

    ds = portal_world.district_ds
    builds = []
    real = views_files.xlsx_file

    def counting(table, meta):
        builds.append(table.dataset.version)
        return real(table, meta)

    monkeypatch.setattr(views_files, "xlsx_file", counting)
    first = body(download(client, ds, "xlsx"))
    second = body(download(client, ds, "xlsx"))
    assert builds == [ds.version]
    assert first == second
    ds.version += 1
    ds.save(update_fields=["version"])
    body(download(client, ds, "xlsx"))
    assert builds == [ds.version - 1, ds.version]


def test_a_workbook_too_long_for_a_sheet_says_it_is_incomplete(client, portal_world, monkeypatch):
    monkeypatch.setattr("satudata.portal.exports_xlsx.MAX_ROWS", 10)
    book = openpyxl.load_workbook(
        io.BytesIO(body(download(client, portal_world.district_ds, "xlsx"))), read_only=True
    )
    assert len(list(book["data"].iter_rows(values_only=True))) == 11
    labels = [row[0] for row in book["metadata"].iter_rows(values_only=True)]
    assert "Incomplete" in labels or "Tidak lengkap" in labels


def test_files_name_the_site_by_site_url(client, portal_world, settings):
    settings.SITE_URL = "https://data.example.go.id"
    doc = orjson.loads(body(download(client, portal_world.open_ds, "stat.json")))
    assert doc["href"].startswith("https://data.example.go.id/dataset/")


def test_frictionless_validates_the_served_package_against_the_live_csv(
    transactional_db, live_server, portal_world, settings
):
    """The descriptor as served, with the CSV read by frictionless from the running server."""
    import urllib.request

    ds = portal_world.district_ds
    settings.ALLOWED_HOSTS = ["*"]
    url = live_server.url + reverse("dataset-datapackage", kwargs={"slug": ds.slug})
    with urllib.request.urlopen(url) as response:
        descriptor = orjson.loads(response.read())
    assert descriptor["resources"][0]["path"].startswith(live_server.url + "/dataset/")
    report = Package(descriptor).validate()
    assert report.valid, report.flatten(["type", "note"])
    assert report.tasks[0].stats["rows"] == 62


def test_a_breakdown_named_like_a_fixed_column_gets_its_own_column(client, portal_world):
    from satudata.catalog.services import breakdown_ensure
    from satudata.portal.services import datasets_publish
    from tests.factories import SYSTEM, DataItemFactory
    from tests.portal.conftest import fill

    source = breakdown_ensure(actor=SYSTEM, name="Sumber", slug="source", categories=["A", "B"])
    item = DataItemFactory(
        decree=portal_world.open_ds.item.decree,
        agency=portal_world.open_ds.item.agency,
        periodicity="annual",
        level="regency",
        breakdowns=[source],
    )
    fill(item, "2025")
    ds = datasets_publish(actor=SYSTEM, items=[item]).datasets[0]
    rows = csv_rows(download(client, ds, "csv"))
    assert list(rows[0])[3] == "breakdown_source"
    assert sorted(r["breakdown_source"] for r in rows) == ["A", "B"]
    descriptor = orjson.loads(
        client.get(reverse("dataset-datapackage", kwargs={"slug": ds.slug})).content
    )
    names = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert names == list(rows[0])


def test_values_of_an_item_without_the_breakdown_are_its_total(client, portal_world, tmp_path):
    """An older decree's item had no sex breakdown: its values are the total category."""
    from satudata.catalog.models import DataListDecree
    from tests.factories import DataItemFactory
    from tests.portal.conftest import fill

    ds = portal_world.district_ds
    newest = ds.item
    older_decree = DataListDecree.objects.create(
        number="OLDER/2024", title="Daftar Data 2024", decree_date="2024-01-10", year=2024
    )
    older = DataItemFactory(
        decree=older_decree,
        code=newest.code,
        agency=newest.agency,
        periodicity="annual",
        level="district",
    )
    fill(older, "2024")
    ds.releases.create(period="2024", year=2024, release_at=ds.listed_at)
    doc = json.loads(body(download(client, ds, "stat.json")), parse_float=Decimal)
    assert Draft202012Validator(json.loads(JSONSTAT_SCHEMA.read_text())).is_valid(doc)
    sexes = doc["dimension"]["jenis-kelamin"]["category"]["index"]
    assert sexes == ["L", "P", "_T"]
    filled = [v for v in doc["value"] if v is not None]
    assert len(filled) == len(expected_cells(ds)) == 62 + 31
    # The CSV leaves the breakdown empty there, and its package still validates.
    rows = csv_rows(download(client, ds, "csv"))
    assert sum(1 for r in rows if r["jenis-kelamin"] == "") == 31
    descriptor = orjson.loads(
        client.get(reverse("dataset-datapackage", kwargs={"slug": ds.slug})).content
    )
    (tmp_path / "data.csv").write_bytes(body(download(client, ds, "csv")))
    descriptor["resources"][0]["path"] = "data.csv"
    (tmp_path / "datapackage.json").write_bytes(orjson.dumps(descriptor))
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])
