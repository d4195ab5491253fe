"""Test helpers for step 6: an approved publication on given channels, a real PNG."""

from __future__ import annotations

import io

from PIL import Image

from satudata.publications.services import (
    draft_save,
    draft_submit,
    publication_approve,
    publication_instruct,
)


def png_bytes(width: int = 24, height: int = 12) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def approved_publication(head, operator, channels=(), title="Angka kematian ibu turun"):
    """A publication instructed, drafted, submitted and approved through the real services."""
    publication = publication_instruct(
        actor=head,
        agency=head.agency,
        assignee=operator,
        topic="Angka kematian ibu 2025",
        channels=list(channels),
    )
    draft_save(
        actor=operator,
        publication=publication,
        title=title,
        body="<p>Angka kematian ibu turun <strong>12%</strong>.</p>",
        caption="AKI di Jember turun 12% pada 2025.",
        hashtags="#Jember #SatuData",
    )
    draft_submit(actor=operator, publication=publication)
    publication_approve(actor=head, publication=publication)
    publication.refresh_from_db()
    return publication
