"""The report as a DOCX for editing (python-docx), from the same document as the PDF."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.storage import default_storage

from satudata.reports.charts import to_png


def _table(doc: Any, columns: list[str], rows: list[list[str]], numeric: list[int]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    # Word repeats a row marked as header on every page a table runs over.
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _block(doc: Any, block: dict[str, Any], pngs: dict[str, bytes]) -> None:
    from docx.shared import Cm

    kind = block["kind"]
    if kind == "text":
        doc.add_paragraph(block["text"])
    elif kind == "pairs":
        _table(doc, ["", ""], block["rows"], [1])
    elif kind == "table":
        doc.add_paragraph().add_run(block["title"]).bold = True
        _table(doc, block["columns"], block["rows"], block["numeric"])
    elif kind == "chart" and block["key"] in pngs:
        doc.add_picture(io.BytesIO(pngs[block["key"]]), width=Cm(16))
        doc.add_paragraph().add_run(block["title"]).italic = True
    elif kind == "groups":
        doc.add_paragraph().add_run(block["title"]).bold = True
        for group in block["groups"]:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{group['title']}: ").bold = True
            paragraph.add_run(group["text"])
    elif kind == "list":
        doc.add_paragraph().add_run(block["title"]).bold = True
        for item in block["items"]:
            doc.add_paragraph(item, style="List Bullet")
    elif kind == "links":
        doc.add_paragraph().add_run(block["title"]).bold = True
        for item in block["items"]:
            doc.add_paragraph(
                f"{item['text']}: {item['url']}" if item["url"] else item["text"],
                style="List Bullet",
            )


def render_docx(document: dict[str, Any], *, pngs: dict[str, bytes] | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if pngs is None:
        pngs = {key: to_png(spec) for key, spec in document["charts"].items()}
    doc = docx.Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = f"{document['title']} · {document['period']}"

    head = document["letterhead"]
    logo = head["logo"]
    if logo:
        try:
            with default_storage.open(logo, "rb") as handle:
                doc.add_picture(io.BytesIO(handle.read()), height=Cm(2.2))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        except Exception:
            pass
    for text, size in ((head["government"], 13), (head["office"], 15), (head["contact"], 9)):
        if text:
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = size > 10
            run.font.size = Pt(size)
    title = doc.add_heading(document["title"], level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = doc.add_paragraph(document["period"])
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_page_break()

    for number, sec in enumerate(document["sections"], start=1):
        doc.add_heading(f"{number}. {sec['title']}", level=1)
        for block in sec["blocks"]:
            _block(doc, block, pngs)
        for sub_number, sub in enumerate(sec.get("subsections", []), start=1):
            doc.add_heading(f"{number}.{sub_number} {sub['title']}", level=2)
            for block in sub["blocks"]:
                _block(doc, block, pngs)

    sig = document["signature"]
    doc.add_paragraph()
    for text, bold in (
        (sig["place_date"], False),
        (sig["position"], False),
        ("", False),
        ("", False),
        (sig["name"], True),
        (sig["rank"], False),
        (sig["nip"], False),
    ):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(text).bold = bold
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
