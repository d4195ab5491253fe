"""Built download files kept in the default storage, keyed by what the public sees.

An XLSX or JSON-stat file of a large dataset takes seconds to a minute to build and is the
same for every visitor until the dataset changes: it is built once per state of the dataset
(its version and the periods out of embargo, the same key as its ETag) and served from the
storage afterwards. A new state's file replaces the older ones of the dataset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

FOLDER = "portal/downloads"


def cached_file(dataset_pk: int, state: str, ext: str, build: Callable[[], IO[bytes]]) -> IO[bytes]:
    """The file of this dataset state from the storage, built (and stored) when missing."""
    folder = f"{FOLDER}/{dataset_pk}/{ext.replace('.', '-')}"
    name = f"{folder}/{state}.{ext}"
    if not default_storage.exists(name):
        with build() as built:
            name = default_storage.save(name, File(built))
        _forget_older(folder, keep=name)
    return default_storage.open(name, "rb")


def _forget_older(folder: str, keep: str) -> None:
    """Delete the dataset's files of earlier states (a file being served stays readable)."""
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        path = f"{folder}/{file}"
        if path != keep:
            default_storage.delete(path)
