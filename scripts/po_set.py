"""Fill Indonesian translations from a JSON file {msgid: msgstr} and list what is left."""

import json
import sys

import polib

p = str(
    __import__("pathlib").Path(__file__).resolve().parent.parent
    / "src/satudata/locale/id/LC_MESSAGES/django.po"
)
po = polib.pofile(p)
tr = json.load(open(sys.argv[1])) if len(sys.argv) > 1 else {}
for e in po:
    if e.msgid in tr:
        e.msgstr = tr[e.msgid]
    if "fuzzy" in e.flags and e.msgid in tr:
        e.flags.remove("fuzzy")
        e.previous_msgid = None
po.save()
left = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
print("left:", json.dumps(left, ensure_ascii=False))
