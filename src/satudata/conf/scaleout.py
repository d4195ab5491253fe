"""Settings part: scale-out (applied at the end of settings.py).

Many hosts run `satudata serve` and `satudata worker` against one PostgreSQL, one Redis and one
S3-compatible object store. Nothing a request or a job needs may live on one host's disk or in
one process's memory, so:

- REDIS_URL set: the cache (rate limits, buffered counters) is Redis (settings.py chooses it)
  and sessions are read through it, written to the database too (`cached_db`): a user signed in
  through one host is signed in on every host, and a Redis restart logs nobody out.
- S3_BUCKET set: every stored file (uploads, generated downloads, cards, reports) goes to the
  bucket through django-storages. Objects are private: the views stream them to users who may
  read them, and any URL the storage makes is signed and short-lived, so no file can be read by
  guessing its address.

With neither variable the embedded default stays as it is: local memory cache, sessions in the
database, files in MEDIA_ROOT.
"""

from __future__ import annotations

from typing import Any

import environ

S3_STORAGE = "storages.backends.s3.S3Storage"
S3_MEMORY_BYTES = 2_621_440


def apply(s: dict[str, Any]) -> None:
    """Redis sessions and S3 storage when their variables are set (see the module's text)."""
    env = environ.Env()
    if "REDIS_URL" in env:
        _redis(s, env)
    if env.str("S3_BUCKET", default=""):
        s["STORAGES"] = {**s["STORAGES"], "default": s3_storage(env)}


def _redis(s: dict[str, Any], env: environ.Env) -> None:
    cache = s["CACHES"]["default"]
    # One Redis may serve several installations (or a test beside production): keys are
    # prefixed with the installation's name.
    cache["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="satudata")
    # A Redis that stops answering must fail a request in seconds, not hold a web thread.
    cache["OPTIONS"] = {
        "socket_connect_timeout": env.float("REDIS_TIMEOUT", default=2.0),
        "socket_timeout": env.float("REDIS_TIMEOUT", default=2.0),
    }
    s["SESSION_ENGINE"] = "django.contrib.sessions.backends.cached_db"


def s3_storage(env: environ.Env) -> dict[str, Any]:
    """The STORAGES entry for the S3-compatible bucket named by the S3_* variables."""
    endpoint = env.str("S3_ENDPOINT_URL", default="") or None
    # MinIO, Ceph, Garage and other self-hosted servers answer path-style addresses
    # (https://host/bucket/key); Amazon prefers virtual-hosted ones (https://bucket.host/key).
    addressing = env.str("S3_ADDRESSING_STYLE", default="path" if endpoint else "") or None
    # "private" on every object; set S3_DEFAULT_ACL= (empty) for buckets whose ACLs are
    # disabled (Amazon's "bucket owner enforced"), which are private by themselves.
    acl = env.str("S3_DEFAULT_ACL", default="private") or None
    options: dict[str, Any] = {
        "bucket_name": env.str("S3_BUCKET"),
        "endpoint_url": endpoint,
        "region_name": env.str("S3_REGION", default="") or None,
        # Without keys boto3 finds credentials itself (instance role, AWS_* variables).
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("S3_PREFIX", default=""),
        "addressing_style": addressing,
        "signature_version": "s3v4",
        "default_acl": acl,
        "querystring_auth": True,
        "querystring_expire": env.int("S3_URL_EXPIRE_SECONDS", default=300),
        # Two uploads of "logo.png" must not overwrite each other: like the local folder, a
        # taken name gets a suffix.
        "file_overwrite": False,
        # A file being served is copied from the bucket first: in memory up to this size, in a
        # temporary file beyond it (0 would hold a whole 50 MB export in memory).
        "max_memory_size": S3_MEMORY_BYTES,
    }
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}
