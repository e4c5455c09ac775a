"""The `duban` console command's manners: bad input gets one line in the user's language, never a traceback.

Django prints argparse's usage and English error, or a traceback for an error raised while the arguments
are read or for any exception a command did not expect. `run()` gives one line instead — the command's
own message (CommandError), argparse's complaint in words, or the exception's first line — and an exit
status that says it failed. `--traceback` (or DUBAN_TRACEBACK=1) still shows the whole traceback.
"""

from __future__ import annotations

import os
import re
import sys

from django.utils.translation import gettext as _

# argparse's messages (English, from its own catalogue) → ours.
ARGPARSE = [
    (re.compile(r"^the following arguments are required: (?P<names>.+)$"),
     lambda m: _("missing: %(names)s") % {"names": m["names"]}),
    (re.compile(r"^unrecognized arguments: (?P<args>.+)$"),
     lambda m: _("not understood: %(args)s") % {"args": m["args"]}),
    (re.compile(r"^argument (?P<name>[^:]+): invalid int value: (?P<value>.+)$"),
     lambda m: _("%(name)s: %(value)s is not a whole number") % m.groupdict()),
    (re.compile(r"^argument (?P<name>[^:]+): invalid float value: (?P<value>.+)$"),
     lambda m: _("%(name)s: %(value)s is not a number") % m.groupdict()),
    (re.compile(r"^argument (?P<name>[^:]+): invalid choice: (?P<value>\S+) \(choose from (?P<choices>.+)\)$"),
     lambda m: _("%(name)s: %(value)s is not one of %(choices)s") % m.groupdict()),
    (re.compile(r"^argument (?P<name>[^:]+): expected one argument$"),
     lambda m: _("%(name)s needs a value") % m.groupdict()),
    (re.compile(r"^argument (?P<name>[^:]+): (?P<problem>.+)$"),
     lambda m: "%(name)s: %(problem)s" % m.groupdict()),
]


def argparse_message(message):
    """argparse's complaint, said in the active language where we know it."""
    for pattern, say in ARGPARSE:
        match = pattern.match(message.strip())
        if match:
            return say(match)
    return message


class BadArguments(Exception):
    pass


def _parser_error(self, message):
    raise BadArguments(argparse_message(message))


def first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def run(argv):
    """Run a management command as `duban` does; the exit status (0 fine, 1 failed, 2 bad arguments)."""
    from django.core.management import CommandError, execute_from_command_line
    from django.core.management.base import CommandParser

    wants_traceback = "--traceback" in argv or os.environ.get("DUBAN_TRACEBACK") == "1"
    command = argv[1] if len(argv) > 1 else ""
    real_command = command and not command.startswith("-") and command not in {"help", "version"}
    original_error = CommandParser.error
    if real_command and not wants_traceback:
        # Right after the command's name, where every command's own parser takes it (before any sub-action).
        argv = [*argv[:2], "--traceback", *argv[2:]]
        CommandParser.error = _parser_error
    prefix = f"duban {command.replace('_', '-')}" if real_command else "duban"
    try:
        execute_from_command_line(argv)
    except BadArguments as error:
        say(f"{prefix}: {error}" + _(" (see: %(help)s)") % {"help": f"{prefix} --help"})
        return 2
    except CommandError as error:
        if wants_traceback:
            raise
        say(f"{prefix}: {error}")
        return getattr(error, "returncode", 1) or 1
    except KeyboardInterrupt:
        say(f"{prefix}: " + _("interrupted"))
        return 130
    except Exception as error:  # noqa: BLE001 — anything else: one line, the traceback on request
        if wants_traceback:
            raise
        say(f"{prefix}: " + _("failed: %(error)s (run again with --traceback for the details)")
            % {"error": first_line(error)})
        return 1
    finally:
        CommandParser.error = original_error
    return 0


def say(line):
    sys.stdout.flush()
    sys.stderr.write(line.rstrip("\n") + "\n")
