"""Where text for people goes: stdout through rich, with no blanks at the ends of lines, and
plain lines (prompts, messages) wrapped to the terminal with hanging indents."""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

# Blanks before the end of a line, allowing for colour codes between them and the newline:
# rich pads table cells and padded blocks to their width.
_TRAILING_BLANKS = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)(?=\n)")


def trim(text: str) -> str:
    """The text without blanks at the ends of its lines (colour codes kept)."""
    return _TRAILING_BLANKS.sub(r"\1", text)


class TrimmedLines:
    """A text stream that writes whole lines to another without their trailing blanks; what
    follows the last newline waits for the next write or a flush."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        head, newline, self.pending = (self.pending + text).rpartition("\n")
        if newline:
            self.stream.write(trim(head + newline))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"


# A line's hanging indent: its leading blanks and a marker ("1) ", "- ", "! ", "(5 of 14) ",
# "  12. "), so that wrapped lines start under the text, not under the marker.
_MARKER = re.compile(r"^(\s*)(\(\d+ of \d+\) |\([a-z -]+\d*\) |\d+[.)] |[-•!] )?")


def wrap_line(line: str, width: int) -> list[str]:
    """One line wrapped to `width` at spaces only: a word longer than a line (an address) is
    kept whole on its own line rather than broken."""
    if len(line) <= width:
        return [line.rstrip() if line.strip() else ""]
    match = _MARKER.match(line)
    assert match is not None  # every group is optional
    indent, marker = match.group(1), match.group(2) or ""
    hanging = " " * (len(indent) + len(marker))
    if len(hanging) > width // 2:  # a deep indent on a narrow screen leaves no room for words
        hanging = indent[: width // 4]
    wrapped = textwrap.wrap(
        line.strip(),
        width=width,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapped or [""]


def wrap_text(text: str, width: int) -> str:
    """Every line of the text wrapped to `width`; a prompt's closing "> " is kept."""
    ending = " " if text.endswith(" ") else ""
    lines = [piece for line in text.split("\n") for piece in wrap_line(line, width)]
    return "\n".join(lines) + ending


def quiet_console(**options: Any) -> Console:
    """A rich console whose output ends quietly, with exit code 0, when its reader goes away
    (`| head -1` has all it wanted); rich's own choice is to exit with 1."""
    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:
            from caremgr_cli.errors import reader_gone

            reader_gone()
            raise SystemExit(0)

    return QuietConsole(**options)
