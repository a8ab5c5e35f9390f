"""`caremgr summary RESULTS`: a picture of a cohort from the JSON Lines that `score` wrote, streaming."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from caremgr_cli.errors import ExitCode, UserError, excerpt, one_line, say

from .common import JsonOption, print_json, stdout_console

ResultsArgument = Annotated[
    str, typer.Argument(help="JSON Lines from `caremgr score`; - reads stdin.", show_default=False)
]
ExportOption = Annotated[
    Path | None,
    typer.Option("--export", metavar="FILE", help="Also save the summary as .html, .svg or .txt.", show_default=False),
]

EXPORTS = (".html", ".svg", ".txt")
# Problems shown one by one on stderr; past this many, only their number is said at the end.
SHOWN_PROBLEMS = 100


def summary_command(results: ResultsArgument, export: ExportOption = None, as_json: JsonOption = False) -> None:
    """Summarise a cohort: best fits, entry, eligibility and the most common gaps."""
    if export is not None:
        _check_export(export, EXPORTS)
    document = _count(results)
    if as_json:
        from caremgr_cli.cohort import dumps

        print_json(dumps(document))
    else:
        from caremgr_cli.output.summary import print_summary

        print_summary(stdout_console(), document)
    if export is not None:
        from caremgr_cli.files import display_name
        from caremgr_cli.output.summary import export_summary

        export_summary(document, export)
        say(one_line(f"summary saved to {display_name(export)}"))
    bad, lines = document["bad_lines"], document["lines"]
    if bad:
        counted = "the summary counts the others" if bad < lines else "there was nothing to count"
        raise UserError([f"caremgr: {bad:,} of {lines:,} lines could not be read; {counted}"])


def _check_export(export: Path, allowed: tuple[str, ...]) -> None:
    """Before any reading: a usage error for a kind we cannot write, a plain one for a folder."""
    from caremgr_cli.files import DocumentError, Problem, display_name

    if export.suffix.lower() not in allowed:
        raise UserError(
            [f"caremgr: --export needs a file name ending in {', '.join(allowed[:-1])} or {allowed[-1]}, "
             f"not {excerpt(display_name(export), 60)}"],
            ExitCode.USAGE,
        )  # fmt: skip
    if export.is_dir():
        raise DocumentError([Problem(display_name(export), "is a folder, not a file")])
    if not export.absolute().parent.is_dir():
        raise DocumentError([Problem(display_name(export), "cannot be saved: its folder does not exist")])


def _count(results: str) -> dict[str, Any]:
    """Read the results line by line into counters; each line's problem goes to stderr as it comes."""
    import contextlib

    from caremgr_cli.cohort import Tally, read_lines
    from caremgr_cli.files import DocumentError, Problem, display_name, reading_problem, stdin_bytes

    source = "<stdin>" if results == "-" else display_name(results)
    try:
        handle = stdin_bytes() if results == "-" else Path(results).open("rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise DocumentError([Problem(source, reading_problem(error))]) from None
    tally = Tally()
    with handle if results != "-" else contextlib.nullcontext(handle):  # never close stdin
        try:
            for line in read_lines(handle):
                if line.number == 1 and (line.problem or "").endswith("(column 1)"):
                    raise DocumentError([Problem(source, "is not JSON Lines: summary reads what `caremgr score` writes"
                                                 " as JSON Lines (not its --output-format csv)", 1)])  # fmt: skip
                problem = tally.add_line(line)
                if problem is not None and tally.bad_lines <= SHOWN_PROBLEMS:
                    say(one_line(str(Problem(source, problem, line.number))))
        except IsADirectoryError:  # some systems open a folder and fail on the first read
            raise DocumentError([Problem(source, "is a folder, not a file")]) from None
    if tally.bad_lines > SHOWN_PROBLEMS:
        say(f"caremgr: ... and {tally.bad_lines - SHOWN_PROBLEMS:,} more lines with problems, not shown")
    if tally.lines == 0:
        raise DocumentError([Problem(source, "is empty: there are no results to summarise")])
    return tally.document(source)
