"""Reads behind tables, charts, cards and channel previews of a publication.

- `render_blocks(blocks)`: what `_block.html` shows for each stored block (the detail page,
  the public page, the preview and the editor all include that one template);
- `block_options(agency_id)`: the editor's picker: the agency's open items with their periods;
- `channel_previews(publication)`: each target channel's text, card and limits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from satudata.catalog.choices import Accessibility, PresentationLevel
from satudata.catalog.models import DataItem
from satudata.portal.models import DatasetRelease
from satudata.portal.pages_common import period_label
from satudata.publications.charts import block_spec
from satudata.publications.choices import CardSize, ChannelKind
from satudata.publications.models import Card, Publication
from satudata.publications.tables import (
    block_table,
    item_cells,
    key_figure,
    open_item,
    usable_periods,
)
from satudata.schedule.models import FillState

# The networks' own limits (2026): Instagram's caption and hashtags, X's weighted length.
INSTAGRAM_CAPTION_MAX = 2200
INSTAGRAM_HASHTAGS_MAX = 30
X_TEXT_MAX = 280
X_LINK_LENGTH = 23  # every link is shortened to t.co and counts as 23 characters
FACEBOOK_TEXT_MAX = 63206


def render_blocks(blocks: Any, *, agency_id: int | None = None) -> list[dict[str, Any]]:
    """Each stored block with what `_block.html` shows: its table or chart, or why not.

    `agency_id` (the publication's agency) also refuses items of another agency; an item no
    longer open is never read, whatever was stored.
    """
    rendered = []
    for number, block in enumerate(blocks if isinstance(blocks, list) else [], start=1):
        if not isinstance(block, dict):
            continue
        out: dict[str, Any] = {**block, "number": number, "table": None, "spec": None}
        item = open_item(block.get("item"), agency_id)
        if item is None:
            out["heading"] = block.get("title") or _("Table or chart %(n)s") % {"n": number}
            out["unavailable"] = _("Not shown: its data item is not open data of this agency.")
            rendered.append(out)
            continue
        out["data_item"] = item
        out["heading"] = block.get("title") or item.name
        out["source"] = item.agency.name
        if block.get("kind") == "table":
            periods = usable_periods(item)
            period = block.get("period") or (periods[-1] if periods else "")
            if period not in periods:
                out["unavailable"] = _(
                    "Not shown: the period %(period)s is neither filled nor released."
                ) % {"period": period_label(period) if period else "–"}
            else:
                out["table"] = block_table(item, period, block.get("breakdown", ""))
        else:
            chart = block_spec(item, block)
            out["spec"] = chart.spec
            out["unavailable"] = chart.reason
            if chart.spec:
                out["chart_rows"] = _chart_rows(chart.spec)
        rendered.append(out)
    return rendered


def _chart_rows(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The chart's values as text rows: the chart's accessible alternative on the page."""
    return [
        (row.get("period") or row.get("region", ""), row.get("cell", ""), row["text"])
        for row in spec["data"]["values"]
    ]


def first_chart(publication: Publication) -> dict[str, Any] | None:
    """The first block with a chart that can be drawn (the cards show it), or None."""
    for block in render_blocks(publication.blocks, agency_id=publication.agency_id):
        if block.get("spec"):
            return block
    return None


def publication_key_figure(publication: Publication) -> tuple[Any, str]:
    """The cards' key figure and the heading of the block it comes from: the first chart's,
    else the first block's that has one; (None, "") when no block has values."""
    blocks = render_blocks(publication.blocks, agency_id=publication.agency_id)
    charts_first = sorted(blocks, key=lambda b: 0 if b.get("spec") else 1)
    for block in charts_first:
        item = block.get("data_item")
        if item is None or block.get("unavailable"):
            continue
        # A block's period is its last one (the table's, the bars', the line's end).
        figure = key_figure(item, block.get("breakdown", ""), block.get("period", ""))
        if figure is not None:
            return figure, block["heading"]
    return None, ""


def block_options(agency_id: int, now: Any = None) -> dict[str, Any]:
    """The agency's open items that have a filled or released period, for the editor's picker.

    Newest decree's item per code; each with its periods (newest first), breakdown cells and
    the chart types that make sense. Four queries whatever the number of items.
    """
    items = (
        DataItem.objects.filter(agency_id=agency_id, accessibility=Accessibility.OPEN)
        .select_related("decree")
        .prefetch_related("breakdowns")
        .order_by("code", "-decree__year", "-decree__decree_date", "-pk")
    )
    newest: dict[str, DataItem] = {}
    for item in items:
        newest.setdefault(item.code, item)
    periods: dict[str, set[str]] = {code: set() for code in newest}
    filled = FillState.objects.filter(
        item__agency_id=agency_id,
        item__accessibility=Accessibility.OPEN,
        required_cells__gt=0,
        filled_cells__gte=F("required_cells"),
    ).values_list("item__code", "period")
    moment = now or timezone.now()
    releases = DatasetRelease.objects.filter(dataset__code__in=list(newest))
    released = releases.filter(release_at__lte=moment).values_list("dataset__code", "period")
    # Periods under embargo on the portal are not offered before their release time.
    embargoed = set(releases.filter(release_at__gt=moment).values_list("dataset__code", "period"))
    for code, period in [*filled, *released]:
        if code in periods and (code, period) not in embargoed:
            periods[code].add(period)
    options, without = [], 0
    for code, item in sorted(newest.items(), key=lambda pair: pair[1].name.lower()):
        if not periods[code]:
            without += 1
            continue
        cells = item_cells(item)
        breakdowns = [{"key": "", "label": _("All categories")}] if cells[0].key else []
        breakdowns += [{"key": c.key, "label": c.label} for c in cells if c.key]
        charts = [{"key": "line", "label": _("Line: the regency over time")}]
        if item.level == PresentationLevel.REGENCY:
            charts.append({"key": "bar", "label": _("Bars: the regency by period")})
        else:
            charts.append({"key": "bar", "label": _("Bars: by district for one period")})
        options.append(
            {
                "id": item.pk,
                "code": item.code,
                "name": item.name,
                "unit": item.unit,
                "level": item.get_level_display(),
                "periods": [
                    {"key": p, "label": period_label(p)}
                    for p in sorted(periods[code], reverse=True)
                ],
                "breakdowns": breakdowns,
                "charts": charts,
            }
        )
    return {"items": options, "items_without_values": without}


def publication_cards(publication: Publication) -> dict[str, Card]:
    """The publication's cards by size."""
    return {card.size: card for card in publication.cards.all()}


# --- Channel previews -------------------------------------------------------------------

_URL = re.compile(r"https?://\S+")
_HASHTAG = re.compile(r"#\w+", re.UNICODE)


def hashtag_list(text: str) -> list[str]:
    """The hashtags typed in the hashtags field, each with its "#" (commas or spaces apart)."""
    words = [w.strip() for w in re.split(r"[\s,;]+", text or "") if w.strip()]
    tags = []
    for word in words:
        tag = "#" + word.lstrip("#")
        if len(tag) > 1 and tag not in tags:
            tags.append(tag)
    return tags


def all_hashtags(caption: str, hashtags: str) -> list[str]:
    """Every distinct hashtag of a post: those in the caption and those in the hashtags field."""
    seen: list[str] = []
    for tag in [*_HASHTAG.findall(caption or ""), *hashtag_list(hashtags)]:
        if tag.lower() not in {s.lower() for s in seen}:
            seen.append(tag)
    return seen


def _weight(char: str) -> int:
    # X's rule (twitter-text 3): Latin and common punctuation count 1, everything else 2.
    code = ord(char)
    light = code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247
    return 1 if light else 2


def x_length(text: str) -> int:
    """The length X counts: every link 23, CJK and emoji 2, the rest 1."""
    text = unicodedata.normalize("NFC", text)
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    return len(links) * X_LINK_LENGTH + sum(_weight(c) for c in rest)


def public_link(publication: Publication) -> str:
    """The publication's public address (fixed at approval; a placeholder before)."""
    base = settings.SITE_URL.rstrip("/")
    if not publication.slug:
        return f"{base}/publikasi/…"
    try:
        path = reverse("publications_public:detail", kwargs={"slug": publication.slug})
    except NoReverseMatch:
        path = f"/publikasi/{publication.slug}/"
    return base + path


def _lead(publication: Publication) -> str:
    return (publication.caption or publication.title or strip_tags(publication.body)).strip()


def social_text(publication: Publication, *, link: bool = True) -> str:
    """The text of a social post: caption (or title), the hashtags not in it, the link."""
    lead = _lead(publication)
    present = {t.lower() for t in _HASHTAG.findall(lead)}
    extra = [t for t in hashtag_list(publication.hashtags) if t.lower() not in present]
    parts = [lead]
    if extra:
        parts.append(" ".join(extra))
    if link:
        parts.append(public_link(publication))
    return "\n\n".join(p for p in parts if p)


@dataclass
class Limit:
    """One limit of a channel as the preview shows it."""

    label: str
    used: int
    maximum: int

    @property
    def over(self) -> bool:
        return self.used > self.maximum


@dataclass
class ChannelPreview:
    """How one channel will show the publication: text, card, limits and warnings."""

    kind: str
    name: str
    template: str
    text: str = ""
    card: Card | None = None
    card_size: str = ""
    limits: list[Limit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    targeted: bool = True

    @property
    def ok(self) -> bool:
        return not self.warnings


def _card_warning(preview: ChannelPreview, publication: Publication) -> None:
    if preview.card is None:
        preview.warnings.append(_("No card yet: generate the cards."))
    elif preview.card.revision != publication.revision:
        preview.warnings.append(_("The card is older than the draft: generate the cards again."))


def channel_preview(
    publication: Publication, kind: str, name: str, cards: dict[str, Card]
) -> ChannelPreview:
    """The preview of one kind of channel."""
    preview = ChannelPreview(kind=kind, name=name, template=f"publications/_preview_{kind}.html")
    if kind == ChannelKind.FACEBOOK:
        preview.text = social_text(publication)
        preview.card, preview.card_size = cards.get(CardSize.LANDSCAPE), CardSize.LANDSCAPE
        preview.limits.append(Limit(_("Characters"), len(preview.text), FACEBOOK_TEXT_MAX))
        _card_warning(preview, publication)
    elif kind == ChannelKind.INSTAGRAM:
        # Links in an Instagram caption are not clickable: the caption goes without one.
        preview.text = social_text(publication, link=False)
        preview.card, preview.card_size = cards.get(CardSize.SQUARE), CardSize.SQUARE
        tags = all_hashtags(preview.text, "")
        preview.limits += [
            Limit(_("Characters"), len(preview.text), INSTAGRAM_CAPTION_MAX),
            Limit(_("Hashtags"), len(tags), INSTAGRAM_HASHTAGS_MAX),
        ]
        _card_warning(preview, publication)
        if preview.card is None and not publication.blocks:
            preview.warnings.append(_("Instagram needs an image: add a chart or a table."))
    elif kind == ChannelKind.X:
        preview.text = social_text(publication)
        preview.limits.append(
            Limit(_("Characters (a link counts as 23)"), x_length(preview.text), X_TEXT_MAX)
        )
        preview.card, preview.card_size = cards.get(CardSize.LANDSCAPE), CardSize.LANDSCAPE
    elif kind == ChannelKind.WORDPRESS:
        preview.card, preview.card_size = cards.get(CardSize.LANDSCAPE), CardSize.LANDSCAPE
        if not publication.title.strip():
            preview.warnings.append(_("The post needs a title."))
    elif kind == ChannelKind.PORTAL:
        if not publication.title.strip():
            preview.warnings.append(_("The post needs a title."))
    else:
        preview.template = "publications/_preview_manual.html"
        preview.text = social_text(publication)
    for limit in preview.limits:
        if limit.over:
            preview.warnings.append(
                _("%(label)s: %(used)s of at most %(max)s. Shorten the text.")
                % {"label": limit.label, "used": limit.used, "max": limit.maximum}
            )
    return preview


PREVIEW_ORDER = (
    ChannelKind.PORTAL,
    ChannelKind.WORDPRESS,
    ChannelKind.FACEBOOK,
    ChannelKind.INSTAGRAM,
    ChannelKind.X,
    ChannelKind.MANUAL,
)


def channel_previews(publication: Publication) -> list[ChannelPreview]:
    """The target channels first, then the other kinds (to see how they would look)."""
    cards = publication_cards(publication)
    order = {kind: n for n, kind in enumerate(PREVIEW_ORDER)}
    channels = sorted(publication.channels.all(), key=lambda c: (order.get(c.kind, 99), c.name))
    previews = [channel_preview(publication, c.kind, c.name, cards) for c in channels]
    targeted = {c.kind for c in channels}
    for kind in PREVIEW_ORDER:
        if kind not in targeted and kind != ChannelKind.MANUAL:
            other = channel_preview(publication, kind, str(ChannelKind(kind).label), cards)
            other.targeted = False
            previews.append(other)
    return previews
