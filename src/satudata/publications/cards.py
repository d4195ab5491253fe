"""Drawing a social-media card (PNG) with Pillow: title, key figure, chart, agency and logo.

Pure drawing: the caller (services_cards.py) gathers the content. The chart is the block's
one Vega-Lite spec rendered offline by vl-convert at the card's size. The type is Pillow's
bundled scalable font (nothing to install or download), large enough to read on a phone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from satudata.publications.charts import ID_FORMAT_LOCALE, card_spec
from satudata.publications.choices import CARD_PIXELS, CardSize
from satudata.publications.tables import KeyFigure

INK = (20, 33, 61)
MUTED = (85, 96, 120)
BAND = (11, 61, 110)
BAND_INK = (255, 255, 255)
UP = (22, 120, 60)
DOWN = (180, 40, 40)
PAPER = (255, 255, 255)


@dataclass
class CardContent:
    """What a card says: every card size of a publication shows the same content."""

    title: str
    agency: str
    site: str
    figure: KeyFigure | None = None
    figure_label: str = ""
    spec: dict[str, Any] | None = None
    logo: Image.Image | None = None


@dataclass(frozen=True)
class Layout:
    """Sizes of one card format (pixels)."""

    band: int  # height of the top band (logo and agency)
    margin: int
    title_size: int
    title_lines: int
    figure_size: int
    small: int  # agency, labels, footer
    side_by_side: bool = False  # landscape: text left, chart right


LAYOUTS = {
    CardSize.SQUARE: Layout(
        band=130, margin=56, title_size=58, title_lines=3, figure_size=104, small=30
    ),
    CardSize.PORTRAIT: Layout(
        band=190, margin=64, title_size=72, title_lines=4, figure_size=150, small=36
    ),
    CardSize.LANDSCAPE: Layout(
        band=100,
        margin=44,
        title_size=46,
        title_lines=4,
        figure_size=84,
        small=26,
        side_by_side=True,
    ),
}


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def wrap(text: str, face: Any, width: int, max_lines: int) -> list[str]:
    """Word-wrapped lines that fit `width`; the last one ends with "…" when text is left."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if face.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, **kw: Any) -> int:
    """Draw one line; bold is drawn with a thin stroke of the same colour (the bundled font
    has one weight). Returns the line's height."""
    face = font(size)
    fill = kw.pop("fill", INK)
    bold = kw.pop("bold", False)
    draw.text(
        xy,
        text,
        font=face,
        fill=fill,
        stroke_width=max(1, size // 28) if bold else 0,
        stroke_fill=fill,
    )
    return int(size * 1.22)


def chart_png(spec: dict[str, Any], width: int, height: int) -> Image.Image:
    """The chart rendered offline by vl-convert at (about) the given size."""
    import vl_convert

    data = vl_convert.vegalite_to_png(
        card_spec(spec, width, height), scale=1, format_locale=ID_FORMAT_LOCALE
    )
    image = Image.open(io.BytesIO(data)).convert("RGB")
    if image.width > width or image.height > height:
        image.thumbnail((width, height), Image.Resampling.LANCZOS)
    return image


def _band(card: Image.Image, draw: ImageDraw.ImageDraw, layout: Layout, content: CardContent):
    width = card.width
    draw.rectangle((0, 0, width, layout.band), fill=BAND)
    x = layout.margin
    if content.logo is not None:
        logo = content.logo.copy()
        side = layout.band - 28
        logo.thumbnail((side, side), Image.Resampling.LANCZOS)
        # A white disc behind the logo: most regency crests are drawn for white paper.
        pad = 6
        top = (layout.band - logo.height) // 2
        draw.rounded_rectangle(
            (x - pad, top - pad, x + logo.width + pad, top + logo.height + pad),
            radius=12,
            fill=PAPER,
        )
        card.paste(logo, (x, top), logo if logo.mode == "RGBA" else None)
        x += logo.width + 28
    lines = wrap(content.agency, font(layout.small + 4), width - x - layout.margin, 2)
    y = (layout.band - len(lines) * int((layout.small + 4) * 1.22)) // 2
    for line in lines:
        y += _text(draw, (x, y), line, layout.small + 4, fill=BAND_INK, bold=True)


def _figure(
    draw: ImageDraw.ImageDraw, x: int, y: int, width: int, layout: Layout, content: CardContent
) -> int:
    """The key figure: label, big value with unit, and the change. Returns the new y."""
    figure = content.figure
    if figure is None:
        return y
    if content.figure_label:
        for line in wrap(content.figure_label, font(layout.small), width, 2):
            y += _text(draw, (x, y), line, layout.small, fill=MUTED)
    value = figure.value
    face = font(layout.figure_size)
    _text(draw, (x, y), value, layout.figure_size, bold=True)
    unit_x = x + int(face.getlength(value)) + 16
    unit = f"{figure.unit} · {figure.period}" if figure.unit else figure.period
    unit_lines = wrap(unit, font(layout.small), max(width - (unit_x - x), 120), 1)
    base = y + layout.figure_size - int(layout.small * 1.1)
    if unit_lines and unit_x + font(layout.small).getlength(unit_lines[0]) <= x + width:
        _text(draw, (unit_x, base), unit_lines[0], layout.small, fill=MUTED)
        y += int(layout.figure_size * 1.15)
    else:
        y += int(layout.figure_size * 1.15)
        y += _text(draw, (x, y), unit, layout.small, fill=MUTED)
    if figure.change:
        colour = UP if figure.direction == "up" else DOWN if figure.direction == "down" else MUTED
        words = {"up": _("up"), "down": _("down"), "same": _("unchanged")}[figure.direction]
        change = figure.change + (f" ({figure.change_percent})" if figure.change_percent else "")
        text = _("%(direction)s %(change)s from %(period)s") % {
            "direction": words,
            "change": change if figure.direction != "same" else "",
            "period": figure.previous_period,
        }
        for line in wrap(" ".join(text.split()), font(layout.small), width, 2):
            y += _text(draw, (x, y), line, layout.small, fill=colour, bold=True)
    return y + layout.small // 2


def _footer(draw: ImageDraw.ImageDraw, size: tuple[int, int], layout: Layout, site: str) -> int:
    width, height = size
    y = height - layout.margin - int(layout.small * 1.2)
    draw.line((layout.margin, y - 14, width - layout.margin, y - 14), fill=(210, 216, 226), width=2)
    _text(draw, (layout.margin, y), site, layout.small, fill=MUTED)
    return y - 24


def draw_card(size: str, content: CardContent) -> bytes:
    """The card as PNG bytes, exactly CARD_PIXELS[size]."""
    width, height = CARD_PIXELS[size]
    layout = LAYOUTS[CardSize(size)]
    card = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(card)
    _band(card, draw, layout, content)
    bottom = _footer(draw, (width, height), layout, content.site)
    m = layout.margin
    if layout.side_by_side:
        text_width = 500 if content.spec else width - 2 * m
        y = layout.band + m // 2
        for line in wrap(content.title, font(layout.title_size), text_width, layout.title_lines):
            y += _text(draw, (m, y), line, layout.title_size, bold=True)
        _figure(draw, m, y + 12, text_width, layout, content)
        if content.spec:
            left = m + text_width + 24
            box = (width - left - m, bottom - layout.band - 20)
            chart = chart_png(content.spec, *box)
            card.paste(chart, (left + (box[0] - chart.width) // 2, layout.band + 10))
    else:
        y = layout.band + m // 2
        lines = wrap(content.title, font(layout.title_size), width - 2 * m, layout.title_lines)
        for line in lines:
            y += _text(draw, (m, y), line, layout.title_size, bold=True)
        y = _figure(draw, m, y + 16, width - 2 * m, layout, content)
        if content.spec and bottom - y > 200:
            box = (width - 2 * m, bottom - y - 10)
            chart = chart_png(content.spec, *box)
            card.paste(chart, (m + (box[0] - chart.width) // 2, y))
    out = io.BytesIO()
    card.save(out, format="PNG", compress_level=6)
    return out.getvalue()
