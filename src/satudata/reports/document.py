"""The report as a document: sections of text, figure pairs, tables and charts.

Built once from the frozen figures (`Report.data`) and the narrative, then laid out by the PDF
(typst) and DOCX renderers, so both print the same words in the same order. Every string is
final text in the installation's language; numbers are formatted here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from satudata.reports.charts import report_charts
from satudata.reports.tables import (
    Table,
    agency_pairs,
    day_text,
    moment_text,
    period_label,
    report_tables,
)


def cell_text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    return str(value)


def _text(text: str) -> dict[str, Any]:
    return {"kind": "text", "text": text}


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {"kind": "pairs", "rows": [[label, cell_text(value)] for label, value in pairs]}


def _table(table: Table, empty: str) -> dict[str, Any]:
    if not table.rows:
        return _text(empty)
    return {
        "kind": "table",
        "key": table.key,
        "title": table.title,
        "columns": table.columns,
        "rows": [[cell_text(v) for v in row] for row in table.rows],
        "numeric": sorted(table.numeric),
    }


def _chart(key: str, charts: dict[str, Any]) -> list[dict[str, Any]]:
    chart = charts.get(key)
    return [] if chart is None else [{"kind": "chart", "key": key, "title": chart.title}]


def _dataset_groups(data: dict[str, Any]) -> dict[str, Any] | None:
    """The open datasets released, as one paragraph per agency: thousands of names print on a
    few pages (a table cell per name would cost typst hundreds of megabytes at scale; the
    XLSX keeps the one-row-per-dataset table)."""
    groups = [
        {
            "title": agency["name"],
            "text": "; ".join(
                f"{d['code']} {d['title']} ({', '.join(d['periods'])})"
                for d in agency["dataset_list"]
            ),
        }
        for agency in data["agencies"]
        if agency["dataset_list"]
    ]
    if not groups:
        return None
    return {"kind": "groups", "title": _("Open datasets released on the portal"), "groups": groups}


def paragraphs(text: str) -> list[str]:
    """Narrative text split into paragraphs at blank lines."""
    parts = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p]


def build_document(
    data: dict[str, Any], narrative: str, *, language: str | None = None
) -> dict[str, Any]:
    """The document (plain dicts, JSON-ready) and the chart specs by key."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _build(data, narrative)


def _build(data: dict[str, Any], narrative: str) -> dict[str, Any]:
    head = data["letterhead"]
    label = period_label(data["period"])
    tables = {t.key: t for t in report_tables(data)}
    charts = {c.key: c for c in report_charts(data)}
    nothing = _("Nothing was recorded for this in the period.")
    sop = data.get("sop")
    decree = data.get("decree")
    title = _("Dissemination Report of Sectoral Statistical Data")

    intro = [
        _text(
            _(
                "This report records the dissemination of sectoral statistical data by "
                "%(government)s for %(period)s (%(start)s to %(end)s), as the recapitulation "
                "that the SOP's step 7 asks of walidata."
            )
            % {
                "government": head["government"].title(),
                "period": label,
                "start": day_text(data["start"]),
                "end": day_text(data["end"]),
            }
        )
    ]
    if sop:
        intro.append(
            _pairs(
                [
                    (_("SOP"), sop["name"]),
                    (_("SOP number"), sop["number"]),
                    (_("Revision"), sop["revision"]),
                    (_("Ratified on"), day_text(sop["ratified_on"])),
                ]
            )
        )
    if decree:
        intro.append(
            _text(
                _("The data list is that of decree %(number)s, %(title)s.")
                % {"number": decree["number"], "title": decree["title"]}
            )
        )
    intro.append(
        _text(
            _("The figures were gathered from the records of the Satu Data system on %(when)s.")
            % {"when": moment_text(data["generated_at"])}
        )
    )
    if data.get("ongoing"):
        intro.append(
            _text(
                _("The period has not ended yet: the figures count what happened up to %(day)s.")
                % {"day": day_text(data["generated_at"])}
            )
        )

    summary: list[dict[str, Any]] = []
    if data.get("empty"):
        summary.append(
            _text(
                _(
                    "No data was recorded for this period: no item-period was scheduled, and "
                    "nothing was released on the portal, published, used or requested."
                )
            )
        )
    summary.append(_pairs([(row[0], row[1]) for row in tables["summary"].rows]))
    summary += _chart("classes", charts)

    sections: list[dict[str, Any]] = [
        {"title": _("Introduction"), "blocks": intro},
        {"title": _("Summary"), "blocks": summary},
    ]
    notes = paragraphs(narrative)
    if notes:
        sections.append({"title": _("Walidata's notes"), "blocks": [_text(p) for p in notes]})
    sections += [
        {
            "title": _("Data list and fill state (steps 1 and 2)"),
            "blocks": [
                _table(tables["items"], nothing),
                _table(tables["fill"], nothing),
                *_chart("fill", charts),
                _table(tables["fill_class"], nothing),
            ],
        },
        {
            "title": _("Datasets on the portal (step 3)"),
            "blocks": [
                _text(
                    _("%(n)s datasets had a period released on the portal in this period.")
                    % {"n": cell_text(data["summary"]["datasets"])}
                ),
                _dataset_groups(data) or _text(_("No open dataset was released in this period.")),
            ],
        },
        {
            "title": _("Publications (steps 4 to 6)"),
            "blocks": [
                _table(tables["publications"], _("No publication was published in this period.")),
                *_chart("posts", charts),
                _table(tables["links"], _("No post was made in this period.")),
            ],
        },
        {
            "title": _("Service standard compliance"),
            "blocks": [
                _table(tables["steps"], nothing),
                *_chart("steps", charts),
                _table(tables["steps_agency"], _("No producer step ran in this period.")),
            ],
        },
        {
            "title": _("Portal use"),
            "blocks": [
                _table(tables["usage"], _("The portal recorded no use in this period.")),
                *_chart("usage", charts),
                _table(tables["usage_month"], nothing),
                _table(tables["top"], nothing),
            ],
        },
        {
            "title": _("Access to limited data"),
            "blocks": [
                _pairs(
                    [
                        (_("Received"), data["summary"]["access"]["received"]),
                        (_("Approved"), data["summary"]["access"]["approved"]),
                        (_("Refused"), data["summary"]["access"]["refused"]),
                        (_("Awaiting a decision"), data["summary"]["access"]["pending"]),
                        (_("Expired"), data["summary"]["access"]["expired"]),
                        (_("Median days to decide"), data["summary"]["access"]["median_days"]),
                    ]
                ),
                _table(tables["access"], _("No request for limited data came in this period.")),
            ],
        },
    ]
    per_agency = []
    for agency in data["agencies"]:
        blocks: list[dict[str, Any]] = [_pairs(agency_pairs(agency))]
        if agency["top_datasets"]:
            blocks.append(
                {
                    "kind": "list",
                    "title": _("Most used datasets"),
                    "items": [
                        _("%(title)s: %(views)s views, %(downloads)s downloads")
                        % {
                            "title": d["title"],
                            "views": cell_text(d["views"]),
                            "downloads": cell_text(d["downloads"]),
                        }
                        for d in agency["top_datasets"]
                    ],
                }
            )
        per_agency.append({"title": agency["name"], "blocks": blocks})
    sections.append(
        {
            "title": _("Figures per agency"),
            "blocks": [] if per_agency else [_text(nothing)],
            "subsections": per_agency,
        }
    )
    sections.append(
        {
            "title": _("Closing"),
            "blocks": [
                _text(
                    _(
                        "This report is made from the records of the system and is to be used "
                        "as appropriate."
                    )
                )
            ],
        }
    )
    contact = " · ".join(
        part
        for part in (
            head["address"],
            head["phone"] and _("Tel. %(phone)s") % {"phone": head["phone"]},
            head["email"],
            head["website"],
        )
        if part
    )
    city = head["city"] or ""
    signed_day = day_text(data["generated_at"])
    return {
        "title": title,
        "period": label,
        "letterhead": {
            "government": head["government"],
            "office": head["office"],
            "contact": contact,
            "logo": head["logo"],
        },
        "cover_note": _("Step 7 of the SOP: recapitulation and dissemination report"),
        "contents": _("Contents"),
        "footer": f"{title} · {label}",
        "page": _("Page"),
        "sections": sections,
        "signature": {
            "place_date": f"{city}, {signed_day}" if city else signed_day,
            "position": head["head_position"]
            or _("Head of %(office)s")
            % {"office": head["office"].title().replace(" Dan ", " dan ")},
            "name": head["head_name"],
            "rank": head["head_rank"],
            "nip": _("NIP %(nip)s") % {"nip": head["head_nip"]} if head["head_nip"] else "",
        },
        "charts": {key: chart.spec for key, chart in charts.items()},
        "chart_titles": {key: chart.title for key, chart in charts.items()},
        "language": translation.get_language(),
    }
