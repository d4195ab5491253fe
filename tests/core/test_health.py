"""/healthz: every part a host needs, with its state and timing; 503 when a required one fails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache.backends.base import BaseCache
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from satudata.core.health import HEARTBEAT_KEY, Heartbeat, heartbeat_beat
from satudata.core.jobs import run_ready_jobs
from satudata.publications.tasks import send_post

PARTS = ("database", "cache", "storage", "queue", "worker")


class UnreachableCache(BaseCache):
    """Stands for a Redis server that refuses connections."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        raise ConnectionRefusedError("redis is down")

    def set(self, key, value, timeout=None, version=None):
        raise ConnectionRefusedError("redis is down")

    def delete(self, key, version=None):
        raise ConnectionRefusedError("redis is down")

    def clear(self):  # the test's own clean-up must still run
        return None


class UnreachableStorage(FileSystemStorage):
    """Stands for an S3 endpoint that does not answer."""

    def exists(self, name):
        raise ConnectionError("s3 endpoint unreachable")


def _health(client, status):
    response = client.get("/healthz")
    assert response.status_code == status, response.json()
    assert response["Cache-Control"].startswith("max-age=0")
    return response.json()


def _stale_job(minutes=10):
    """A job queued `minutes` ago that no worker has taken."""
    result = send_post.enqueue(999_999)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=minutes)
    )
    return result


def test_it_reports_every_part_with_its_state_and_timing(client, db):
    body = _health(client, 200)
    assert body["status"] == "ok"
    for part in PARTS:
        assert isinstance(body[part]["ms"], float), part
        assert isinstance(body[part]["required"], bool), part
    for part in ("database", "cache", "storage", "queue"):
        assert (part, body[part]["status"], body[part]["required"]) == (part, "ok", True)
    assert body["database"]["vendor"] in ("sqlite", "postgresql")
    assert body["cache"]["backend"] in ("LocMemCache", "RedisCache")
    assert body["queue"] | {"ms": 0} == {
        "status": "ok",
        "ready": 0,
        "running": 0,
        "failed": 0,
        "oldest_ready_seconds": None,
        "stale": False,
        "required": True,
        "ms": 0,
    }
    # No worker has said anything, and nothing waits for one: reported, not required.
    assert (body["worker"]["status"], body["worker"]["required"]) == ("unknown", False)


def test_head_is_answered_for_load_balancers(client, db):
    assert client.head("/healthz").status_code == 200


def test_an_unreachable_cache_makes_the_host_unhealthy(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.UnreachableCache"}}
    body = _health(client, 503)
    assert body["status"] == "error"
    assert body["cache"]["status"] == "error"
    # The class of the error only: a message could name a host or a password.
    assert body["cache"]["error"] == "ConnectionRefusedError"
    assert "redis is down" not in str(body)
    assert body["database"]["status"] == "ok"


def test_an_unreachable_storage_makes_the_host_unhealthy(client, db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.UnreachableStorage"},
    }
    body = _health(client, 503)
    assert (body["storage"]["status"], body["storage"]["error"]) == ("error", "ConnectionError")


def test_a_local_storage_folder_that_cannot_be_written_is_an_error(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    body = _health(client, 200)
    assert body["storage"]["backend"] == "FileSystemStorage"
    # A folder made read-only (root ignores permissions; a file in the way stops root too).
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    body = _health(client, 503)
    assert (body["storage"]["status"], body["storage"]["error"]) == ("error", "PermissionError")


def test_an_optional_part_is_reported_without_failing_the_host(client, db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.UnreachableStorage"},
    }
    settings.HEALTH_OPTIONAL = ["storage"]
    body = _health(client, 200)
    assert (body["storage"]["status"], body["storage"]["required"]) == ("error", False)


def test_jobs_waiting_too_long_without_a_worker_make_the_host_unhealthy(client, db):
    _stale_job(minutes=10)
    body = _health(client, 503)
    assert body["queue"]["ready"] == 1 and body["queue"]["stale"] is True
    assert body["queue"]["oldest_ready_seconds"] >= 600
    assert (body["worker"]["status"], body["worker"]["required"]) == ("error", True)
    assert body["worker"]["heartbeat_seconds"] is None
    # A worker's heartbeat (in the shared cache) proves it alive: the jobs are on their way.
    heartbeat_beat("worker-on-host-2")
    body = _health(client, 200)
    assert body["worker"]["status"] == "ok" and body["worker"]["heartbeat_seconds"] < 5


def test_a_job_waiting_a_little_needs_no_worker_yet(client, db):
    _stale_job(minutes=1)
    body = _health(client, 200)
    assert body["queue"] | {"ms": 0, "oldest_ready_seconds": 0} == {
        "status": "ok",
        "ready": 1,
        "running": 0,
        "failed": 0,
        "oldest_ready_seconds": 0,
        "stale": False,
        "required": True,
        "ms": 0,
    }
    assert body["worker"]["required"] is False


def test_a_worker_can_be_required_always_or_never(client, db, settings):
    settings.HEALTH_WORKER_REQUIRED = "always"
    body = _health(client, 503)
    assert (body["worker"]["status"], body["worker"]["required"]) == ("error", True)
    heartbeat = Heartbeat("worker-1", interval=60).start()
    try:
        assert _health(client, 200)["worker"]["status"] == "ok"
    finally:
        heartbeat.stop()
    settings.HEALTH_WORKER_REQUIRED = "never"
    from django.core.cache import cache

    cache.delete(HEARTBEAT_KEY)
    _stale_job(minutes=60)
    body = _health(client, 200)
    assert (body["worker"]["status"], body["worker"]["required"]) == ("unknown", False)


def test_a_job_started_recently_proves_a_worker_alive(client, db, settings):
    # The embedded mode's cache is per process: the worker's heartbeat cannot reach the web
    # process, but the jobs it runs are in the shared database.
    settings.HEALTH_WORKER_REQUIRED = "always"
    send_post.enqueue(999_999)  # no such post: the job finds nothing to do and succeeds
    assert run_ready_jobs() == 1
    body = _health(client, 200)
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_job_started_seconds"] < 5
    assert body["worker"]["heartbeat_seconds"] is None


def test_the_heartbeat_thread_beats_at_once_and_stops_promptly(db):
    from django.core.cache import cache

    heartbeat = Heartbeat("worker-xyz", interval=0.01).start()
    assert cache.get(HEARTBEAT_KEY)["worker_id"] == "worker-xyz"
    heartbeat.stop()
    assert not heartbeat._thread.is_alive()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_reads(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_it_answers_plain_http_probes_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/app/").status_code == 301
