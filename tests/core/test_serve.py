"""`satudata serve` as `make run` starts it: a real gunicorn answering real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite path")
def test_the_server_answers_health_pages_and_static_files(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "satudata"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    health = json.loads(response.read())
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 15 s")
        assert health["database"]["status"] == "ok"
        with urllib.request.urlopen(f"{base}/app/account/login/", timeout=5) as response:
            page = response.read().decode()
        assert 'lang="id"' in page and "Satu Data" in page
        css = page.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css.startswith("/static/satudata/app.") and css.endswith(".css")  # hashed name
        with urllib.request.urlopen(base + css, timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/css")
            assert "max-age" in response.headers.get("Cache-Control", "")
    finally:
        server.terminate()
        server.wait(timeout=10)
