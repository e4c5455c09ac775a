#!/usr/bin/env python
"""Translations without gettext tools: `extract`, `compile`, `check`, `apply FILE...`.

  extract   update duban/locale/zh_Hans/LC_MESSAGES/django.po from the code
  apply F   fill untranslated entries from "msgid<TAB>中文" files, then extract
  compile   write django.mo (committed, so installing needs no gettext)
  check     list untranslated messages; exit 1 if any
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from duban.core import translations  # noqa: E402


def main(argv):
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        print("added %d, obsolete %d" % translations.extract())
    elif command == "apply":
        print("added %d, obsolete %d" % translations.extract(translations.read_pairs(*argv[2:])))
    elif command == "compile":
        translations.compile_mo()
        print(f"wrote {translations.MO_PATH}")
    elif command == "check":
        missing = translations.untranslated()
        for msgid, where in missing:
            print(f"{where.split()[0]}: {msgid!r}")
        print(f"{len(missing)} untranslated")
        return 1 if missing else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
