"""Limits of access requests, in one place."""

from __future__ import annotations

# A grant lasts at most this long: long enough for a study, short enough that a leaked
# link stops working.
MAX_GRANT_DAYS = 90
DEFAULT_GRANT_DAYS = 30
# Submissions of the public form per client address (django-ratelimit rate); override with
# the setting ACCESS_REQUEST_RATE.
DEFAULT_SUBMIT_RATE = "5/h"
# The supporting letter: a signed letter is a PDF or a scan (image).
LETTER_MAGIC: dict[bytes, str] = {
    b"%PDF": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
LETTER_EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
# Reviewers page through requests this many at a time.
REQUESTS_PER_PAGE = 50
# An XLSX is written whole before it is sent (about 10,000 values a second here): above
# this many values only the CSV, which streams, is offered, so no request outlives the
# server's 60-second worker timeout.
XLSX_MAX_VALUES = 200_000
