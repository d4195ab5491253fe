"""API calls per dataset, counted in memory and written to DatasetUsage every few seconds.

Counting one call is one UPDATE; under concurrent load on SQLite every such write takes the
database's single write lock, and the waiters sleep in SQLite's busy handler (1 ms, 2 ms, ...
up to 100 ms), which is what made the API's p99 latency. Counts are summed per process and
written at most once per API_USAGE_FLUSH_SECONDS, and at exit. A crash loses at most those
seconds of counts: they are statistics, not records.

The interval is 0 (write every call) unless the setting or the environment variable says
otherwise: pending counts must not outlive a test's database, and production sets it (5 s).
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError

from satudata.portal.models import Dataset
from satudata.portal.usage import usage_add

_pending: Counter[int] = Counter()
_lock = threading.Lock()
_last_flush = 0.0


def _interval() -> float:
    configured = getattr(settings, "API_USAGE_FLUSH_SECONDS", None)
    if configured is None:
        configured = os.environ.get("API_USAGE_FLUSH_SECONDS", 0)
    return float(configured)


def api_call_count(dataset: Dataset) -> None:
    """Count one API call of the dataset (written with the next flush)."""
    global _last_flush
    with _lock:
        _pending[dataset.pk] += 1
        due = time.monotonic() - _last_flush >= _interval()
        if not due:
            return
        counts = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    _write(counts)


def api_calls_flush() -> None:
    """Write every pending count now (at exit, and for tests)."""
    global _last_flush
    with _lock:
        counts = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    _write(counts)


def _write(counts: dict[int, int]) -> None:
    for pk, n in counts.items():
        try:
            usage_add(Dataset(pk=pk), api_calls=n)
        except DatabaseError:  # a dataset deleted meanwhile, a database gone at exit: drop it
            continue


atexit.register(api_calls_flush)
