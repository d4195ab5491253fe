"""The draft's formatted text, cleaned by nh3: what a browser may render, and nothing that runs.

Everything else (script, style, event-handler attributes, javascript: links) is removed, not
escaped, so the stored text is harmless wherever it is shown (portal page, WordPress, feed).
"""

from __future__ import annotations

import nh3

TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "hr",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def clean_html(text: str) -> str:
    return nh3.clean(
        text or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def clean_text(text: str) -> str:
    """Plain text (caption, hashtags): no markup at all."""
    return nh3.clean(text or "", tags=set()).strip()
