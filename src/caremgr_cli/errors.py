"""Exit codes, and the errors a user can cause (as opposed to bugs)."""

from __future__ import annotations

import errno
import os
import re
import sys
from enum import IntEnum

# C0/C1 controls (but tab and newline), line and paragraph separators, and the characters
# that can disguise text: bidi marks and overrides, zero-width characters, the byte-order
# mark, tag characters, and lone surrogates (not text at all).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff\U000e0000-\U000e007f]"
)


def printable(text: str) -> str:
    """Text from files or users may hold terminal control sequences: show them, never run them."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


def one_line(text: str) -> str:
    """Printable, and on one line: a message must not be split or faked by a newline in data."""
    return printable(text).replace("\n", "\\n")


def excerpt(text: str, limit: int = 40) -> str:
    """A short, quoted, escaped excerpt of user input for a message: never the whole of a flood."""
    shown = printable(text[:limit]).replace("\n", "\\n")
    more = f"... ({len(text):,} characters)" if len(text) > limit else ""
    return f"'{shown}'{more}"


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


# What writing to stdout can fail with, beside a reader that went away (EPIPE): no space, a
# quota, a file too large, an I/O error, a descriptor that is not open for writing.
OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}


def output_failed(error: OSError) -> UserError:
    """The output could not be written: say so once, and drop what is still buffered, so that
    Python's flush at exit does not fail again with a message of its own."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115, PTH123 - open until exit, on purpose
    return UserError([f"caremgr: cannot write the output: {error.strerror or error}"])


def reader_gone() -> None:
    """The reader of stdout went away (`| head -1`): it has what it wanted. What is still
    buffered goes nowhere, so that no later flush (Python's at exit included) fails again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class Stopped(Exception):
    """A signal asked the program to stop (SIGTERM, SIGHUP): it ends as the shell expects."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def report(error: BaseException) -> int:
    """Tell the user about an error that ended a command, on stderr; returns the exit code.
    A user's mistake is a plain message; anything else is a bug and shows its traceback."""
    from . import __version__

    if isinstance(error, UserError):
        for line in error.lines:
            say(one_line(line))
        return error.code
    if isinstance(error, KeyboardInterrupt):
        say("cancelled")
        return ExitCode.INTERRUPTED
    if isinstance(error, Stopped):
        import signal

        say(f"caremgr: stopped by {signal.Signals(error.signum).name}")
        return 128 + error.signum
    import traceback  # only for bugs

    say("".join(traceback.format_exception(error)).rstrip("\n"))
    say(f"caremgr {__version__} hit a bug (not your mistake). Please report it with the "
         "command you ran and the traceback above.")  # fmt: skip
    return ExitCode.BUG


def say(line: str) -> None:
    if sys.stderr is None:  # started with stderr closed (`2>&-`): the exit code still tells
        return
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except OSError:  # stderr full or gone: nothing more can be said
        pass
