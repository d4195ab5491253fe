from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from satudata.accounts.models import User
from satudata.audit.models import AuditEntry
from satudata.catalog.models import Region


def test_createadmin_creates_an_administrator_and_resets_him_later(db):
    call_command("createadmin", username="root", password="sandi-admin-2026-kuat")
    admin = User.objects.get(username="root")
    assert admin.role == "admin" and admin.check_password("sandi-admin-2026-kuat")
    call_command("createadmin", username="root", password="sandi-lain-2026-kuat")
    admin.refresh_from_db()
    assert admin.check_password("sandi-lain-2026-kuat")
    assert AuditEntry.objects.filter(action="user_set_password", target_id=str(admin.pk)).exists()


def test_createadmin_without_a_password_and_no_terminal_refuses(db, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("os.isatty", lambda fd: False)
    with pytest.raises(CommandError):
        call_command("createadmin", username="root", password=None)
    assert not User.objects.exists()


def test_load_regions_loads_another_regency_from_a_csv(db, tmp_path):
    path = tmp_path / "wilayah.csv"
    path.write_text("code,name\n35,JAWA TIMUR\n35.10,Kabupaten Banyuwangi\n35.10.01,Pesanggaran\n")
    call_command("load_regions", root="35.10", file=path)
    assert Region.objects.get(code="35.10").name == "Kabupaten Banyuwangi"


def test_load_regions_without_a_file_uses_the_shipped_list(db):
    call_command("load_regions", root="35.10")
    assert Region.objects.filter(parent_id="35.10").count() == 25  # Banyuwangi's kecamatan


def test_load_regions_names_an_unknown_code(db):
    with pytest.raises(CommandError, match=r"99\.99"):
        call_command("load_regions", root="99.99")


def test_an_oversized_upload_is_refused_before_it_is_read(login, walidata, decree, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    client = login(walidata)
    body = b"x" * (200 * 1024)
    response = client.post(
        f"/app/decrees/{decree.pk}/import/",
        data=body,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()
