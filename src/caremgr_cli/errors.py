"""Exit codes, and the errors a user can cause (as opposed to bugs)."""

from __future__ import annotations

from enum import IntEnum


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
