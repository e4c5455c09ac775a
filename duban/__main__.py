"""The `duban` console command: Django's management commands with Duban's settings.

`duban import-plan FILE` and `duban import_plan FILE` are the same command, so
the documented hyphenated names work from a shell. Bad input is answered with
one line, never a traceback (duban/core/cli.py).
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from duban.core.cli import run

    sys.exit(run(argv))


if __name__ == "__main__":
    main()
