"""Exit codes, and the errors a user can cause (as opposed to bugs)."""

from __future__ import annotations

import re
import sys
from enum import IntEnum

# C0/C1 controls (but tab and newline) and the bidi overrides that can disguise text.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from files or users may hold terminal control sequences: show them, never run them."""
    return _UNPRINTABLE.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100
                            else f"\\u{ord(match.group()):04x}", text)  # fmt: skip


class ExitCode(IntEnum):
    OK = 0
    BAD_INPUT = 1
    USAGE = 2
    BUG = 3
    INTERRUPTED = 130


class UserError(Exception):
    """A mistake in what the user gave us: shown as plain lines on stderr, never a traceback."""

    def __init__(self, lines: list[str], code: ExitCode = ExitCode.BAD_INPUT) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.code = code


def report(error: BaseException) -> ExitCode:
    """Tell the user about an error that ended a command, on stderr; returns the exit code.
    A user's mistake is a plain message; anything else is a bug and shows its traceback."""
    from . import __version__

    if isinstance(error, UserError):
        for line in error.lines:
            _say(printable(line).replace("\n", "\\n"))
        return error.code
    if isinstance(error, KeyboardInterrupt):
        _say("cancelled")
        return ExitCode.INTERRUPTED
    import traceback  # only for bugs

    sys.stderr.write("".join(traceback.format_exception(error)))
    _say(f"caremgr {__version__} hit a bug (not your mistake). Please report it with the "
         "command you ran and the traceback above.")  # fmt: skip
    return ExitCode.BUG


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
