"""The report as a print-ready A4 PDF, compiled by typst from the document (document.py).

Typst reads the whole document as one JSON string (`sys.inputs.doc`), with the charts as SVG
text and the logo wrapped in a small SVG (a data URL): nothing is written to disk and the
template reads no file but itself.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

from satudata.reports.charts import to_svg

TEMPLATE = Path(__file__).resolve().parent / "typst" / "report.typ"
LOGO_HEIGHT = 200  # pixels of the wrapper's coordinate system; the PDF scales it


def logo_svg(name: str) -> str:
    """The stored logo as an SVG wrapping it (typst reads images only from files or bytes,
    and sys.inputs carries text); "" when there is none or it cannot be read."""
    if not name:
        return ""
    from PIL import Image

    try:
        with default_storage.open(name, "rb") as handle:
            raw = handle.read()
        with Image.open(io.BytesIO(raw)) as image:
            width, height = image.size
            mime = Image.MIME.get(image.format or "", "image/png")
    except (OSError, ValueError):
        # A logo removed from storage must not stop the report; it prints without one.
        return ""
    w = round(LOGO_HEIGHT * width / height) if height else LOGO_HEIGHT
    uri = f"data:{mime};base64,{base64.b64encode(raw).decode()}"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{w}" height="{LOGO_HEIGHT}" viewBox="0 0 {w} {LOGO_HEIGHT}">'
        f'<image width="{w}" height="{LOGO_HEIGHT}" xlink:href="{uri}"/></svg>'
    )


def render_pdf(document: dict[str, Any], *, svgs: dict[str, str] | None = None) -> bytes:
    """The PDF bytes of a document; `svgs` are the charts already drawn (else drawn here)."""
    import typst

    if svgs is None:
        svgs = {key: to_svg(spec) for key, spec in document["charts"].items()}
    payload = {**document, "svgs": svgs, "logo_svg": logo_svg(document["letterhead"]["logo"])}
    payload.pop("charts", None)
    return typst.compile(
        str(TEMPLATE),
        sys_inputs={"doc": json.dumps(payload, ensure_ascii=False)},
        # A fixed creation time: the same figures give the same bytes (the checksum is stable).
        timestamp=0,
        # The fonts typst carries are enough (Libertinus, New Computer Modern); scanning the
        # system's fonts costs memory and makes the output depend on the machine.
        ignore_system_fonts=True,
    )
