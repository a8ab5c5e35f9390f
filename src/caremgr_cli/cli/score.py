"""`caremgr score [FILE]...`: one result per answers record, in input order, streaming."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Annotated

import typer

from caremgr_cli.errors import ExitCode, Stopped, UserError, printable, say

from .common import AsOfOption, load_catalog, parse_day


class InputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    json = "json"


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


FilesArgument = Annotated[
    list[str] | None,
    typer.Argument(metavar="[FILE]...", help="Answers records; - or none reads stdin.", show_default=False),
]
InputFormatOption = Annotated[
    InputFormat | None,
    typer.Option(
        "--input-format",
        help="jsonl, csv, or a yaml/json list (default: by extension; stdin: csv unless it starts with '{').",
    ),
]


class Delimiter(str, Enum):
    comma = ","
    semicolon = ";"
    tab = "tab"


StrictOption = Annotated[
    bool,
    typer.Option("--strict", help="Refuse CSV columns that are not answers fields, instead of passing them through."),
]
DelimiterOption = Annotated[
    Delimiter | None,
    typer.Option("--delimiter", help="CSV input's delimiter: , ; or tab (default: told from the header line)."),
]
OutputFormatOption = Annotated[OutputFormat, typer.Option("--output-format", help="jsonl or csv.")]
ExcelOption = Annotated[
    bool, typer.Option("--excel", help="Start CSV output with a UTF-8 byte-order mark, as Excel needs to read it.")
]


# A signal that ends the batch ends it between two records: the output keeps whole records only.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _stopping_between_records() -> Iterator[Callable[[bytes], object]]:
    """SIGTERM, SIGHUP and SIGINT stop the batch, but not inside the write of a record: one that
    comes then waits for the record to be written. A second one while the write still waits
    (a reader that stopped reading) ends the process at once, as it would have without us.
    Yields the writer of records to stdout."""
    out = sys.stdout.buffer
    writing = False
    pending: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        if writing:
            pending.append(signum)
            signal.signal(signum, signal.SIG_DFL)  # the next one is not deferred
            return
        raise KeyboardInterrupt if signum == signal.SIGINT else Stopped(signum)

    def write(record: bytes) -> None:
        nonlocal writing
        writing = True
        try:
            # Raw (unbuffered, `python -u`) stdout may take part of a record when a signal
            # interrupts the write: the rest follows, so the output keeps whole records.
            rest = memoryview(record)
            while rest:
                rest = rest[out.write(rest) or 0 :]
        finally:
            writing = False
        if pending:
            stop(pending[0], None)

    # A shell starts background jobs with SIGINT ignored: that choice is kept.
    handled = [s for s in STOP_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN]
    previous = {signum: signal.signal(signum, stop) for signum in handled}
    try:
        yield write
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _tell_kept(source: str, columns: list[str]) -> None:
    """One line, however many or long the names: the first ten, each cut at 40 characters."""
    names = ", ".join(printable(name[:40]) + ("…" if len(name) > 40 else "") for name in columns[:10])
    more = f" and {len(columns) - 10:,} more" if len(columns) > 10 else ""
    count = (
        "1 column that is not an answers field"
        if len(columns) == 1
        else f"{len(columns):,} columns that are not answers fields"
    )
    say(f"caremgr: {printable(source)}: kept {count}, passed through: {names}{more}")


def _stdin_is_a_terminal() -> bool:
    try:
        return bool(sys.stdin) and sys.stdin.isatty()
    except ValueError:  # a closed stdin: the reader reports it
        return False


def score_command(
    ctx: typer.Context,
    files: FilesArgument = None,
    input_format: InputFormatOption = None,
    output_format: OutputFormatOption = OutputFormat.jsonl,
    as_of: AsOfOption = None,
    excel: ExcelOption = False,
    delimiter: DelimiterOption = None,
    strict: StrictOption = False,
) -> None:
    """Score many people: one result per answers record, in input order."""
    from caremgr_cli.answers.records import format_of

    today = parse_day(as_of)
    if excel and output_format is not OutputFormat.csv:
        raise UserError(["caremgr: --excel is for CSV output; add --output-format csv"], ExitCode.USAGE)
    names = files or ["-"]
    formats = {name: format_of(name, input_format.value if input_format else None) for name in names}
    unknown = [name for name, fmt in formats.items() if fmt is None]
    if unknown:
        raise UserError(
            [f"caremgr: cannot tell the format of {name}; use --input-format jsonl|csv|yaml|json" for name in unknown],
            ExitCode.USAGE,
        )

    from caremgr_cli.batch import run_batch
    from caremgr_cli.output.progress import Progress

    catalog = load_catalog(ctx)
    known = {name: fmt for name, fmt in formats.items() if fmt is not None}
    if "-" in names and _stdin_is_a_terminal():
        say("caremgr: reading answers records from the terminal, one JSON document a line;"
            " end with Ctrl-D (or give a file: caremgr score FILE)")  # fmt: skip
    with Progress(names) as progress, _stopping_between_records() as write:
        bad, total = run_batch(
            catalog, known, output_format.value, today, write, progress, bom=excel,
            delimiter=None if delimiter is None else ("\t" if delimiter is Delimiter.tab else delimiter.value),
            strict=strict, tell_kept=_tell_kept,
        )  # fmt: skip
    if bad:
        raise UserError([f"caremgr: {bad:,} of {total:,} records had problems (see their errors in the output)"])
