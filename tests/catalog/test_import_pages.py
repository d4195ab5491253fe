"""The upload page, the template download and the `import-data-list` command."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from satudata.audit.models import AuditEntry
from satudata.catalog.imports_template import template_csv, template_xlsx
from satudata.catalog.models import DataItem, DataListDecree
from tests.catalog.test_import_service import row
from tests.factories import DataItemFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _upload(data: bytes, name: str = "daftar.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize("persona", ["operator", "head", "supervisor", "other_operator"])
def test_only_walidata_and_admin_may_open_the_import_page(request, login, decree, persona):
    client = login(request.getfixturevalue(persona))
    url = reverse("decree-import", args=[decree.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": _upload(b"x")}).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, decree):
    response = client.get(reverse("decree-import", args=[decree.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_unknown_decree_is_404(login, walidata):
    assert login(walidata).get(reverse("decree-import", args=[999999])).status_code == 404


def test_walidata_uploads_a_filled_template_and_sees_the_summary(login, walidata, decree, health):
    DataItemFactory(decree=decree, agency=health, code="OLD")
    client = login(walidata)
    data = template_xlsx(rows=[row("A1"), row("A2")])
    response = client.post(
        reverse("decree-import", args=[decree.pk]), {"file": _upload(data, "daftar.xlsx")}
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.created, summary.absent) == (2, 1)
    assert "Import done" in response.content.decode()
    assert DataItem.objects.filter(decree=decree).count() == 3


def test_the_page_offers_the_form_and_the_templates(login, admin_user, decree):
    page = login(admin_user).get(reverse("decree-import", args=[decree.pk])).content.decode()
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert reverse("data-list-template", args=["xlsx"]) in page
    assert reverse("data-list-template", args=["csv"]) in page


def test_an_upload_with_errors_lists_them_in_a_table_and_saves_nothing(
    login, walidata, decree, health
):
    data = template_csv(rows=[row("A1"), row("A2", {"Periodisitas": "kadang-kadang"})])
    response = login(walidata).post(
        reverse("decree-import", args=[decree.pk]), {"file": _upload(data)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert [(p.row, p.column) for p in response.context["problems"]] == [(3, "Periodisitas")]
    assert "<td>Periodisitas</td>" in page
    assert "&quot;kadang-kadang&quot; is not an accepted value" in page
    assert "Nothing was imported" in page
    assert not DataItem.objects.exists()


def test_a_dry_run_upload_reports_and_saves_nothing(login, walidata, decree, health):
    data = template_csv(rows=[row("A1")])
    response = login(walidata).post(
        reverse("decree-import", args=[decree.pk]), {"file": _upload(data), "dry_run": "on"}
    )
    assert response.context["summary"].created == 1
    assert not DataItem.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(login, walidata, decree, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = login(walidata).post(
        reverse("decree-import", args=[decree.pk]), {"file": _upload(b"x" * 101)}
    )
    assert "larger than" in response.context["form"].errors["file"][0]
    assert not DataItem.objects.exists()


def test_a_wrong_file_type_is_refused_with_a_message(login, walidata, decree):
    response = login(walidata).post(
        reverse("decree-import", args=[decree.pk]),
        {"file": _upload(b"%PDF-1.4\x00\x00", "sk.pdf")},
    )
    assert "not a spreadsheet" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_any_signed_in_user_downloads_the_empty_template(login, operator, fmt):
    response = login(operator).get(reverse("data-list-template", args=[fmt]))
    assert response.status_code == 200
    assert f'filename="daftar-data-template.{fmt}"' in response["Content-Disposition"]
    assert response.content.startswith(b"PK" if fmt == "xlsx" else b"\xef\xbb\xbfKode,")


def test_an_unknown_template_format_is_404(login, operator):
    assert login(operator).get(reverse("data-list-template", args=["pdf"])).status_code == 404


def test_walidata_downloads_the_current_list_and_it_imports_back_unchanged(
    login, walidata, decree, health
):
    client = login(walidata)
    data = template_xlsx(rows=[row("A1", {"Topik": "Kesehatan", "Indikator Komposit": "Ya"})])
    client.post(reverse("decree-import", args=[decree.pk]), {"file": _upload(data, "a.xlsx")})
    url = reverse("data-list-template", args=["xlsx"]) + f"?decree={decree.pk}"
    current = client.get(url).content
    sheet = openpyxl.load_workbook(io.BytesIO(current))["Daftar Data"]
    assert sheet["A2"].value == "A1"
    audit_rows = AuditEntry.objects.count()
    response = client.post(
        reverse("decree-import", args=[decree.pk]), {"file": _upload(current, "b.xlsx")}
    )
    assert response.context["summary"].unchanged == 1
    assert AuditEntry.objects.count() == audit_rows


def test_a_producer_may_not_download_a_filled_list(login, operator, decree):
    url = reverse("data-list-template", args=["xlsx"]) + f"?decree={decree.pk}"
    assert login(operator).get(url).status_code == 403


def test_the_command_imports_a_file_into_a_decree(tmp_path, decree, health):
    path = tmp_path / "daftar.csv"
    path.write_bytes(template_csv(rows=[row("A1"), row("A2")]))
    out = io.StringIO()
    call_command("import_data_list", str(path), "--decree", decree.number, stdout=out)
    assert DataItem.objects.filter(decree=decree).count() == 2
    assert "2 added" in out.getvalue()
    entry = AuditEntry.objects.get(action="data_list_import")
    assert entry.actor_label.startswith("cli:")


def test_the_command_creates_the_decree_when_asked(tmp_path, health):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(template_xlsx(rows=[row("A1")]))
    call_command(
        "import_data_list", str(path), "--decree", "188/1/2027", "--create", "--year", "2027",
        "--date", "2027-01-10", "--title", "Daftar Data 2027", stdout=io.StringIO(),
    )  # fmt: skip
    decree = DataListDecree.objects.get(number="188/1/2027")
    assert decree.year == 2027 and decree.items.count() == 1


def test_the_command_prints_every_error_and_fails_saving_nothing(tmp_path, health):
    path = tmp_path / "daftar.csv"
    path.write_bytes(template_csv(rows=[row("A1", {"Kode Produsen Data": "9.99"}), row("A1")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 errors"):
        call_command(
            "import_data_list", str(path), "--decree", "188/2/2027", "--create", "--year",
            "2027", "--date", "2027-01-10", "--title", "T", stderr=err,
        )  # fmt: skip
    assert 'Row 2, column "Kode Produsen Data"' in err.getvalue()
    assert 'Row 3, column "Kode"' in err.getvalue()
    # The decree made by --create went with the refused import.
    assert not DataListDecree.objects.filter(number="188/2/2027").exists()


def test_the_command_refuses_an_unknown_decree(tmp_path, db):
    path = tmp_path / "daftar.csv"
    path.write_bytes(template_csv(rows=[row("A1")]))
    with pytest.raises(CommandError, match="--create"):
        call_command("import_data_list", str(path), "--decree", "nope")
