"""Compile the .po catalogs to .mo with polib, so no gettext install is needed to build them."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "satudata" / "locale"

for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(LOCALE)}: {po.percent_translated()}% translated")
