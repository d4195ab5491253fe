"""The `satudata` command: Django's management commands under one product name.

    satudata serve | migrate | demo | createadmin | check | import-data-list FILE | ...

`check` runs Django's deploy checks plus ours and fails on any error, so it refuses
insecure production settings. Any other name is passed to Django's management.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "import-data-list": "import_data_list",
    "load-regions": "load_regions",
    "load-sop": "load_sop",
    "expire-access-grants": "expire_access_grants",
    "search-reindex": "search_reindex",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satudata.settings")
    from django.core.management import execute_from_command_line

    args = argv[1:]
    if not args:
        args = ["help"]
    name = ALIASES.get(args[0], args[0])
    if name == "check":
        # Warnings of Django's deploy check are advice; our own E-level checks refuse.
        rest = args[1:]
        args = ["check", "--deploy", "--fail-level", "ERROR", *rest]
    else:
        args = [name, *args[1:]]
    execute_from_command_line(["satudata", *args])


if __name__ == "__main__":
    main()
