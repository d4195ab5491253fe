from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_healthz_answers_json_with_the_database_status(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] in ("sqlite", "postgresql")


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def _satudata(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")
    }
    return subprocess.run(
        [sys.executable, "-m", "satudata", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({}, "satudata.E002"),
        ({"SECRET_KEY": "k" * 60}, "satudata.E003"),
        ({"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "*"}, "satudata.E003"),
        ({"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "data.go.id", "DEBUG": "true"}, "satudata.E001"),
    ],
)
def test_check_refuses_insecure_production_settings(tmp_path, env, refusal):
    result = _satudata("check", DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert refusal in result.stderr + result.stdout


def test_check_passes_with_production_settings(tmp_path):
    result = _satudata(
        "check", DATA_DIR=str(tmp_path), SECRET_KEY="k" * 60, ALLOWED_HOSTS="data.jemberkab.go.id"
    )
    assert result.returncode == 0, result.stderr


def test_without_arguments_the_cli_lists_its_commands(tmp_path):
    result = _satudata(DATA_DIR=str(tmp_path))
    assert result.returncode == 0
    assert "serve" in result.stdout and "createadmin" in result.stdout
