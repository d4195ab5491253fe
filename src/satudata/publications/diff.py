"""What changed between two versions of a draft: title, body text, caption, hashtags, blocks.

Word-level for text (difflib over words, spaces and punctuation), line-level for the tables
and charts. The result is plain text in segments; the template escapes it (_diff.html), so
a draft's markup can never reach the page through the diff.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SAME, INS, DEL = "same", "ins", "del"

FIELDS = (
    ("title", gettext_lazy("Title")),
    ("body", gettext_lazy("Body")),
    ("caption", gettext_lazy("Social media caption")),
    ("hashtags", gettext_lazy("Hashtags")),
    ("blocks", gettext_lazy("Tables and charts")),
)

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_BREAK_AFTER = re.compile(r"</(p|h[1-6]|li|tr|blockquote|caption|table)>|<br\s*/?>|<hr\s*/?>", re.I)
_CELL_GAP = re.compile(r"</t[dh]>\s*(?=<t[dh][\s>])", re.I)
_ITEM_START = re.compile(r"<li(\s[^>]*)?>", re.I)


@dataclass
class FieldDiff:
    """One field's change: segments of (kind, text), kind being same, ins or del."""

    name: str
    label: str
    segments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(kind != SAME for kind, _text in self.segments)


def body_text(body: str) -> str:
    """The draft's sanitized HTML as the reader sees it: text with its paragraph breaks."""
    text = _ITEM_START.sub("• ", body or "")
    text = _CELL_GAP.sub(" | ", text)
    text = _BREAK_AFTER.sub("\n", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def text_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level difference of two plain texts, adjacent runs of one kind merged."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _push(segments, SAME, "".join(a[i1:i2]))
            continue
        if i2 > i1:
            _push(segments, DEL, "".join(a[i1:i2]))
        if j2 > j1:
            _push(segments, INS, "".join(b[j1:j2]))
    return segments


def line_segments(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """Line-level difference (one segment per line): for the list of tables and charts."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments += [(SAME, line) for line in old[i1:i2]]
            continue
        segments += [(DEL, line) for line in old[i1:i2]]
        segments += [(INS, line) for line in new[j1:j2]]
    return segments


def _push(segments: list[tuple[str, str]], kind: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] == kind:
        segments[-1] = (kind, segments[-1][1] + text)
    else:
        segments.append((kind, text))


def block_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """Each table or chart as one line a reviewer can read: kind, data item, period, title."""
    from satudata.catalog.models import DataItem

    ids = {b.get("item") for b in blocks or [] if isinstance(b, dict)}
    names = {
        pk: f"{code} {name}"
        for pk, code, name in DataItem.objects.filter(pk__in=[i for i in ids if i]).values_list(
            "pk", "code", "name"
        )
    }
    lines = []
    for block in blocks or []:
        kind = _("Chart") if block.get("kind") == "chart" else _("Table")
        if block.get("chart"):
            kind = f"{kind} ({block['chart']})"
        parts = [kind, names.get(block.get("item"), str(block.get("item", "")))]
        parts += [str(block[key]) for key in ("period", "breakdown", "title") if block.get(key)]
        lines.append(" · ".join(parts))
    return lines


def version_diff(old: Any, new: Any) -> list[FieldDiff]:
    """Field by field, what changed from `old` to `new` (versions or the draft; old may be None).

    Without an old version (the first submission) everything shows as added.
    """
    diffs = []
    for name, label in FIELDS:
        if name == "blocks":
            segments = line_segments(
                block_lines(getattr(old, "blocks", []) if old else []),
                block_lines(new.blocks),
            )
        elif name == "body":
            segments = text_segments(body_text(old.body) if old else "", body_text(new.body))
        else:
            segments = text_segments(getattr(old, name, "") if old else "", getattr(new, name))
        diffs.append(FieldDiff(name=name, label=str(label), segments=segments))
    return diffs
