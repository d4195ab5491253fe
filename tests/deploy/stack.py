"""The production setup on one machine: nginx, two app servers, one worker, shared services.

Everything runs as separate processes on loopback, configured only by environment variables as
an installation is (docs/admin.md):

- nginx from Debian's package, run as the current user from its own folder with the shipped
  `deploy/nginx/satudata.conf.template` (TLS with a self-signed certificate for `localhost`) and
  an upstream file naming the two app servers;
- two `satudata serve` processes, each with its own DATA_DIR, as two hosts would have: nothing
  may pass between them through a local disk or a process's memory;
- one `satudata worker`;
- PostgreSQL (a database of this run, created and dropped here), Redis (database 9, keys under
  this run's own prefix, deleted afterwards) and moto's S3 server (in this process).

nginx's access log records which app server answered each request, so a test can send a
request to the server it means and check that it got there.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = REPO / "deploy" / "nginx" / "satudata.conf.template"
POSTGRES = os.environ.get("DEPLOY_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 9
BUCKET = "satudata-files"
ADMIN_PASSWORD = "Tahu-Tempe-Jember-2026"
STARTUP_SECONDS = 60
# The developer's own settings must not reach the servers under test.
DROPPED_ENV_PREFIXES = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "MEDIA_ROOT", "SECRET_KEY")
DROPPED_ENV_STARTS = ("S3_", "AWS_", "CACHE_", "API_", "SITE_URL", "ALLOWED_HOSTS", "CSRF_")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def missing_pieces() -> list[str]:
    """What this machine lacks for the production setup (empty when it can run)."""
    missing = []
    if not nginx_binary():
        missing.append("no nginx (apt-get install -y nginx)")
    try:
        import redis

        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2).ping()
    except ImportError:
        missing.append("the redis package is not installed (pip install redis)")
    except Exception as exc:
        missing.append(f"no Redis answers at {REDIS_HOST}:{REDIS_PORT} ({exc.__class__.__name__})")
    try:
        import psycopg

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except Exception as exc:
        missing.append(f"no PostgreSQL answers at {POSTGRES} ({exc.__class__.__name__})")
    try:
        import moto.server  # noqa: F401
    except ImportError:
        missing.append("moto[server] is not installed")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} stopped:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}:\n{log.read_text()[-3000:]}")


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for `localhost`, its own authority, so the client can verify it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "tls.crt", folder / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Stack:
    """The running setup; `url` is nginx's HTTPS address, `app_ports` the two app servers."""

    folder: Path
    url: str = ""
    https_port: int = 0
    app_ports: list[int] = field(default_factory=list)
    database: str = ""
    cache_prefix: str = ""
    s3_endpoint: str = ""
    certificate: Path | None = None
    env: dict[str, str] = field(default_factory=dict, repr=False)
    processes: list[tuple[subprocess.Popen, Path]] = field(default_factory=list, repr=False)
    moto: Any = field(default=None, repr=False)
    access_log: Path | None = None
    _log_offset: int = 0

    # ------------------------------------------------------------------ start and stop

    def start(self) -> None:
        run_id = secrets.token_hex(4)
        self.database = f"satudata_deploy_{run_id}"
        self.cache_prefix = f"deploytest-{run_id}"
        self._start_s3()
        self._create_database()
        self.https_port = free_port()
        self.url = f"https://localhost:{self.https_port}"
        self.env = self._environment()
        # Migrations run once, before any server starts (as in an upgrade: docs/admin.md).
        self.manage("migrate", "--noinput", "-v", "0", timeout=180)
        self.app_ports = [free_port(), free_port()]
        for number, port in enumerate(self.app_ports, start=1):
            data_dir = self.folder / f"host{number}"
            self._spawn(
                f"app{number}",
                ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-worker"],
                {"DATA_DIR": str(data_dir)},
            )
        self._spawn("worker", ["worker", "--interval", "0.2"], {})
        self._start_nginx()
        # While the servers boot.
        self.manage("createadmin", "--username", "admin", "--password", ADMIN_PASSWORD)
        for (process, log), port in zip(self.processes[:2], self.app_ports, strict=True):
            _wait_for_port(port, process, log)
        _wait_for_port(self.https_port, *self.processes[-1])

    def stop(self) -> None:
        for process, _log in reversed(self.processes):
            if process.poll() is None:
                # gunicorn's quick shutdown (SIGINT); its graceful one waits seconds for idle
                # keep-alive connections, which a test has no use for.
                serve = "serve" in process.args
                process.send_signal(signal.SIGINT if serve else signal.SIGTERM)
        for process, _log in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.moto is not None:
            self.moto.stop()
        if self.database:
            self._sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        if self.cache_prefix:
            import redis

            client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
            for key in client.scan_iter(f"{self.cache_prefix}:*"):
                client.delete(key)

    def _environment(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in DROPPED_ENV_PREFIXES and not k.startswith(DROPPED_ENV_STARTS)
        }
        env.update(
            DJANGO_SETTINGS_MODULE="satudata.settings",
            PYTHONUNBUFFERED="1",
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="localhost",
            SITE_URL=self.url,
            CSRF_TRUSTED_ORIGINS=self.url,
            SECURE_COOKIES="true",
            BEHIND_PROXY="true",
            BEHIND_HTTPS_PROXY="true",
            DATABASE_URL=f"{POSTGRES.replace('postgresql://', 'postgres://')}/{self.database}",
            REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
            CACHE_KEY_PREFIX=self.cache_prefix,
            S3_BUCKET=BUCKET,
            S3_ENDPOINT_URL=self.s3_endpoint,
            S3_ACCESS_KEY_ID="deploy-test",
            S3_SECRET_ACCESS_KEY="deploy-test-secret",
            S3_REGION="us-east-1",
            API_RATE_LIMIT="10/h",
            EMBEDDED_WORKER="false",
            # Hashing and compressing every static file takes 20 s per host; plain copies serve.
            STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
            DATA_DIR=str(self.folder / "admin-host"),
            LOG_LEVEL="WARNING",
        )
        return env

    def _start_s3(self) -> None:
        import boto3
        from moto.server import ThreadedMotoServer

        port = free_port()
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.moto.start()
        self.s3_endpoint = f"http://127.0.0.1:{port}"
        self.s3().create_bucket(Bucket=BUCKET)
        assert boto3  # imported here so a machine without it fails in missing_pieces, not here

    def s3(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint,
            aws_access_key_id="deploy-test",
            aws_secret_access_key="deploy-test-secret",
            region_name="us-east-1",
        )

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def _create_database(self) -> None:
        self._sql(f'CREATE DATABASE "{self.database}"')

    def query(self, sql: str, *params: Any) -> list[tuple]:
        """Rows from the installation's database (what the servers wrote)."""
        import psycopg

        with psycopg.connect(f"{POSTGRES}/{self.database}") as connection:
            return connection.execute(sql, params).fetchall()

    def manage(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "satudata", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"satudata {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _spawn(self, name: str, args: list[str], extra_env: dict[str, str]) -> None:
        log = self.folder / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "satudata", *args],
            env={**self.env, **extra_env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            cwd=self.folder,
        )
        self.processes.append((process, log))

    def _start_nginx(self) -> None:
        folder = self.folder / "nginx"
        folder.mkdir()
        self.certificate, key = _self_signed_certificate(folder)
        site = NGINX_TEMPLATE.read_text()
        for name, value in {
            "SERVER_NAME": "localhost",
            "LISTEN_HTTP": f"127.0.0.1:{free_port()}",
            "LISTEN_HTTPS": f"127.0.0.1:{self.https_port}",
            "TLS_CERTIFICATE": str(self.certificate),
            "TLS_CERTIFICATE_KEY": str(key),
            "CLIENT_MAX_BODY_SIZE": "12m",
        }.items():
            site = site.replace("${" + name + "}", value)
        unfilled = [line for line in site.splitlines() if "${" in line.split("#")[0]]
        assert not unfilled, f"the template names variables this test does not fill: {unfilled}"
        (folder / "satudata.conf").write_text(site)
        servers = "".join(f"    server 127.0.0.1:{port};\n" for port in self.app_ports)
        (folder / "satudata-upstream.conf").write_text(
            f"upstream satudata_app {{\n{servers}    keepalive 16;\n}}\n"
        )
        self.access_log = folder / "access.log"
        self.access_log.touch()
        # One worker process: its round robin alone decides, so requests alternate strictly.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        temp = "".join(
            f"    {kind}_temp_path {folder / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\ndaemon off;\n"
            f"error_log {folder / 'error.log'} warn;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    log_format upstream '$status|$upstream_addr|$request';\n"
            f"    access_log {self.access_log} upstream;\n"
            f"{temp}"
            f"    include {folder / 'satudata-upstream.conf'};\n"
            f"    include {folder / 'satudata.conf'};\n"
            "}\n"
        )
        log = folder / "nginx.out"
        process = subprocess.Popen(
            [
                nginx_binary() or "nginx",
                "-p",
                str(folder),
                "-e",
                str(folder / "error.log"),
                "-c",
                str(folder / "nginx.conf"),
            ],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.processes.append((process, folder / "error.log"))

    # ------------------------------------------------------------------ requests

    def client(self) -> Any:
        """A browser-like HTTPS client of the site (cookies, the site as referrer)."""
        import requests

        session = requests.Session()
        # Only this run's certificate is trusted; the shell's CA bundles and proxies play no part.
        session.trust_env = False
        session.verify = str(self.certificate)
        session.headers["Referer"] = f"{self.url}/"
        return session

    def send(self, session: Any, method: str, path: str, **kwargs: Any) -> tuple[Any, int]:
        """Send one request through nginx; the response and the port of the app server."""
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        response = session.request(method, f"{self.url}{path}", **kwargs)
        return response, self._served_by()

    def send_to(self, port: int, session: Any, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request through nginx to the app server on `port` (checked)."""
        # Round robin: after a request answered by the other server, the next goes to `port`.
        probe = self.client()
        _, served = self.send(probe, "GET", "/robots.txt")
        if served == port:
            self.send(probe, "GET", "/robots.txt")
        response, served = self.send(session, method, path, **kwargs)
        assert served == port, f"nginx sent {method} {path} to {served}, not {port}"
        return response

    def _served_by(self) -> int:
        """The app server of the request nginx logged last (waiting for its line)."""
        assert self.access_log is not None
        deadline = time.monotonic() + 5
        while True:
            with self.access_log.open("rb") as log:
                log.seek(self._log_offset)
                line = log.readline()
            if line.endswith(b"\n"):
                self._log_offset += len(line)
                upstream = line.split(b"|")[1].decode()
                # After a retry nginx lists every server it tried; the last one answered.
                return int(upstream.split(",")[-1].strip().rsplit(":", 1)[1])
            if time.monotonic() > deadline:
                raise AssertionError("nginx logged no request")
            time.sleep(0.01)

    def log_of(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")
