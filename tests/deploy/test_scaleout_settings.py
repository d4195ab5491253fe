"""conf/scaleout.py: Redis sessions and S3 storage come only from their variables."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from satudata.conf import scaleout

S3_VARIABLES = {
    "S3_BUCKET": "satudata-files",
    "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
    "S3_REGION": "us-east-1",
}


def _settings() -> dict[str, Any]:
    """The part of settings.py's namespace this module changes, as the embedded default has it."""
    return {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    }


@pytest.fixture
def clean_env(monkeypatch):
    for name in [*S3_VARIABLES, "REDIS_URL", "S3_ADDRESSING_STYLE", "S3_DEFAULT_ACL", "S3_PREFIX"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_variables_the_embedded_default_stays(clean_env):
    s = _settings()
    scaleout.apply(s)
    assert s == _settings()
    assert "SESSION_ENGINE" not in s


def test_with_redis_sessions_are_read_through_the_cache_and_kept_in_the_database(clean_env):
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    s = _settings()
    s["CACHES"]["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
    scaleout.apply(s)
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert s["CACHES"]["default"]["KEY_PREFIX"] == "satudata"
    assert s["CACHES"]["default"]["OPTIONS"]["socket_timeout"] == 2.0


def test_with_a_bucket_every_file_goes_to_s3_privately(clean_env):
    for name, value in S3_VARIABLES.items():
        clean_env.setenv(name, value)
    s = _settings()
    scaleout.apply(s)
    default = s["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "satudata-files"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["addressing_style"] == "path"  # a self-hosted endpoint
    # Static files stay with each host (WhiteNoise).
    assert s["STORAGES"]["staticfiles"] == _settings()["STORAGES"]["staticfiles"]


def test_on_amazon_the_addressing_is_left_to_boto3_and_acls_can_be_switched_off(clean_env):
    clean_env.setenv("S3_BUCKET", "satudata-files")
    clean_env.setenv("S3_DEFAULT_ACL", "")
    options = scaleout.s3_storage(scaleout.environ.Env())["OPTIONS"]
    assert options["addressing_style"] is None
    assert options["endpoint_url"] is None
    assert options["default_acl"] is None
    assert options["access_key"] is None  # boto3 finds the instance's own credentials


def test_the_s3_storage_keeps_files_private_names_apart_and_urls_signed(clean_env):
    from moto import mock_aws
    from storages.backends.s3 import S3Storage

    for name, value in S3_VARIABLES.items():
        clean_env.setenv(name, value)
    clean_env.delenv("S3_ENDPOINT_URL")
    options = scaleout.s3_storage(scaleout.environ.Env())["OPTIONS"]
    with mock_aws():
        storage = S3Storage(**options)
        storage.connection.meta.client.create_bucket(Bucket="satudata-files")
        first = storage.save("letterhead/logo.png", ContentFile(b"first"))
        second = storage.save("letterhead/logo.png", ContentFile(b"second"))
        assert first != second  # the second upload did not overwrite the first
        assert storage.open(first).read() == b"first"
        grants = storage.bucket.Object(first).Acl().grants
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
        url = storage.url(first)
        assert "X-Amz-Signature=" in url
        assert "X-Amz-Expires=300" in url
