"""Built download files kept in the default storage, keyed by what the public sees.

An XLSX or JSON-stat file of a large dataset takes seconds to a minute to build and is the
same for every visitor until the dataset changes: it is built once per state of the dataset
(its version and the periods out of embargo, the same key as its ETag) and served from the
storage afterwards.

Files of earlier states are deleted only once they are older than FORGET_AFTER: on object
storage (S3) a file is read by a request after it was found, on another host maybe, and a file
deleted in between would break that download half-way; on a disk an open file would survive,
but two builders of the same state racing would delete each other's copy.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "portal/downloads"
# Far longer than finding a file and starting to send it takes, on any host.
FORGET_AFTER = dt.timedelta(minutes=15)

logger = logging.getLogger(__name__)


def cached_file(dataset_pk: int, state: str, ext: str, build: Callable[[], IO[bytes]]) -> IO[bytes]:
    """The file of this dataset state from the storage, built (and stored) when missing."""
    folder = f"{FOLDER}/{dataset_pk}/{ext.replace('.', '-')}"
    name = f"{folder}/{state}.{ext}"
    if not default_storage.exists(name):
        with build() as built:
            # Two builders at once: S3 overwrites with the same bytes; a disk storage keeps
            # both under two names, and the spare one is forgotten with the older states.
            name = default_storage.save(name, File(built))
        _forget_older(folder, state=state)
    return default_storage.open(name, "rb")


def _forget_older(folder: str, *, state: str, now: dt.datetime | None = None) -> int:
    """Delete the files of other states that are older than FORGET_AFTER; how many."""
    now = now or timezone.now()
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    forgotten = 0
    for file in files:
        if file.startswith(state):  # this state's file, or a racing builder's copy of it
            continue
        path = f"{folder}/{file}"
        try:
            if now - default_storage.get_modified_time(path) < FORGET_AFTER:
                continue
            default_storage.delete(path)
        except Exception:  # another request deleted it first (each storage raises its own)
            logger.debug("download file %s already gone", path)
            continue
        forgotten += 1
    return forgotten
