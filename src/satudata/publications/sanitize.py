"""The draft's formatted text, cleaned by nh3: what a browser may render, and nothing that runs.

Everything else (script, style, event-handler attributes, javascript: links) is removed, not
escaped, so the stored text is harmless wherever it is shown (portal page, WordPress, feed).
"""

from __future__ import annotations

import html

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
    """Plain text (title, caption, hashtags): markup removed, stored as the characters typed.

    nh3 escapes what it keeps ("&" becomes "&amp;"); plain text is escaped where it is shown
    (templates, connectors), so it is stored unescaped to keep "AKI & AKB" as typed.
    """
    return html.unescape(nh3.clean(text or "", tags=set())).strip()
