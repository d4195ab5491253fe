"""Built download files: built once per dataset state, older states forgotten only when old."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage

from satudata.portal.exports_cache import FOLDER, FORGET_AFTER, _forget_older, cached_file

OLD, NEW = "a" * 20, "b" * 20


def _builder(content: bytes, builds: list[bytes]):
    def build():
        builds.append(content)
        return io.BytesIO(content)

    return build


def _files() -> list[str]:
    return sorted(default_storage.listdir(f"{FOLDER}/7/xlsx")[1])


def test_a_state_is_built_once_and_then_read_from_the_storage():
    builds: list[bytes] = []
    for _ in range(3):
        with cached_file(7, OLD, "xlsx", _builder(b"old", builds)) as file:
            assert file.read() == b"old"
    assert builds == [b"old"]


def test_a_new_state_leaves_the_older_file_readable_until_it_is_old():
    builds: list[bytes] = []
    found = cached_file(7, OLD, "xlsx", _builder(b"old", builds))  # a download just starting
    with cached_file(7, NEW, "xlsx", _builder(b"new", builds)) as file:
        assert file.read() == b"new"
    # The request that found the old state's file can still send it, whatever the storage.
    with found:
        assert found.read() == b"old"
    assert _files() == [f"{OLD}.xlsx", f"{NEW}.xlsx"]

    later = default_storage.get_modified_time(f"{FOLDER}/7/xlsx/{OLD}.xlsx") + FORGET_AFTER * 2
    assert _forget_older(f"{FOLDER}/7/xlsx", state=NEW, now=later) == 1
    assert _files() == [f"{NEW}.xlsx"]
    assert _forget_older(f"{FOLDER}/7/xlsx", state=NEW, now=later) == 0


def test_a_racing_builders_copy_of_the_same_state_is_kept_with_it():
    builds: list[bytes] = []
    cached_file(7, NEW, "xlsx", _builder(b"new", builds)).close()
    # A second builder that found no file a moment earlier saves its copy beside it.
    spare = default_storage.save(f"{FOLDER}/7/xlsx/{NEW}.xlsx", io.BytesIO(b"new"))
    later = default_storage.get_modified_time(spare) + FORGET_AFTER * 2
    assert _forget_older(f"{FOLDER}/7/xlsx", state=NEW, now=later) == 0
    assert len(_files()) == 2
