"""Numbers typed the Indonesian way: 1.234,5 (dot for thousands, comma for decimals)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_SIGNIFICANT_DIGITS = 15

# Either plain digits with an optional decimal comma, or digits grouped by dots in threes.
_INDONESIAN = re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$")


class InvalidNumber(ValueError):
    """The text is not a number; the message says what to type instead."""


def parse_number(text: str | float | int | Decimal | None) -> Decimal | None:
    """A Decimal from a typed or spreadsheet cell; None for an empty cell.

    Floats come from spreadsheet number cells and are read through their shortest repr, so
    12.5 stays 12.5 and never becomes 12.4999999.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise InvalidNumber(_("Type a number, not yes/no."))
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    elif isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise InvalidNumber(_("Type a number."))
        value = Decimal(repr(text))
    else:
        raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
        if raw == "":
            return None
        if "%" in raw:
            # The msgid is a python-format string ("%%"): format it, or the user sees "%%".
            raise InvalidNumber(
                _("Type the number without the %% sign (e.g. 12,5 for 12,5%%).") % {}
            )
        if not _INDONESIAN.match(raw):
            raise InvalidNumber(
                _(
                    '"%(text)s" is not a number. Type it like 1.234,5 (dot for thousands, '
                    "comma for decimals)."
                )
                % {"text": str(text)[:40]}
            )
        try:
            value = Decimal(raw.replace(".", "").replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern already guards
            raise InvalidNumber(_("Type a number.")) from exc
    value = value.normalize() if value != 0 else Decimal(0)
    digits = len(value.as_tuple().digits)
    if digits > MAX_SIGNIFICANT_DIGITS or value.as_tuple().exponent < -6:
        raise InvalidNumber(
            _("At most 15 significant digits and 6 decimals are kept; round the number.")
        )
    return value


def format_number(value: Decimal | None) -> str:
    """The Indonesian form of a stored value, without trailing zeros (1234.50 -> 1.234,5)."""
    if value is None:
        return ""
    value = value.normalize() if value != 0 else Decimal(0)
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    whole, _dot, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")
