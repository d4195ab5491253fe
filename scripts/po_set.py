"""Fill Indonesian translations from a JSON file {msgid: msgstr} and list what is left.

python scripts/po_set.py [translations.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/satudata/locale/id/LC_MESSAGES/django.po"

po = polib.pofile(str(PO))
translations = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else {}
for entry in po:
    if entry.msgid in translations:
        if entry.msgid_plural:
            # Indonesian has one plural form (nplurals=1): the one text serves every count.
            entry.msgstr_plural = {0: translations[entry.msgid]}
        else:
            entry.msgstr = translations[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            # A lone "#| msgid_plural" without "#| msgid" is a syntax error for msgmerge.
            entry.previous_msgid_plural = None
po.save()
left = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
print("left:", json.dumps(left, ensure_ascii=False))
