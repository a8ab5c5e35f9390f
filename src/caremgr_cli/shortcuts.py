"""The hot command line of scripts, `caremgr quiz --answers FILE --json`, run without typer.

Importing typer costs about 40 ms, a third more on this command's run. The shortcut takes only
the plainest spellings of this one command line and hands anything else (help, other
options, repeats, values that look like options) to typer. It runs the same code as the
typer command after parsing; tests/test_shortcuts.py holds the two paths to the same
output, messages and exit codes over a table of command lines.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ExitCode, UserError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

_VALUED = {"--answers", "--as-of"}


@dataclass(frozen=True)
class QuizArgs:
    answers: str
    as_of: str | None
    roles: Path | None


def parse_quiz_json(args: list[str], environ: Mapping[str, str]) -> QuizArgs | None:
    """`[--roles R] quiz --answers F --json [--as-of D]` in any order, or None for typer."""
    roles: str | None = None
    if args[:1] == ["--roles"] and len(args) > 1:
        roles, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--roles="):
        roles, args = args[0].removeprefix("--roles="), args[1:]
    if args[:1] != ["quiz"]:
        return None
    values: dict[str, str] = {}
    flags = 0
    rest = iter(args[1:])
    for word in rest:
        name, equals, value = word.partition("=")
        if word == "--json":
            flags += 1
            continue
        if name not in _VALUED or name in values:
            return None
        values[name] = value if equals else next(rest, "")
    if roles is None:
        roles = environ.get("CAREMGR_ROLES")
    plain = [roles, *values.values()]
    if flags != 1 or "--answers" not in values or any(v is not None and not _plain(v) for v in plain):
        return None
    return QuizArgs(values["--answers"], values.get("--as-of"), Path(roles) if roles is not None else None)


def _plain(value: str) -> bool:
    """A value typer would take as it is: not empty, and not something that looks like an option."""
    return value == "-" or (value != "" and not value.startswith("-"))


def quiz_json(args: QuizArgs) -> None:
    from .cache import load_catalog
    from .documents import result_json
    from .loading import load_answers
    from .scoring import score_answers

    today = parse_day(args.as_of)
    catalog = load_catalog(args.roles)
    _, answers = load_answers(args.answers, catalog)
    sys.stdout.write(result_json(score_answers(answers, catalog, today)) + "\n")


def parse_day(value: str | None) -> date:
    from datetime import date

    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError([f"caremgr: --as-of must be a date as YYYY-MM-DD, not '{value}'"], ExitCode.USAGE) from None


def run(args: list[str]) -> bool:
    """Run the command line if it is one the shortcut takes; False hands it to typer."""
    from .errors import report

    parsed = parse_quiz_json(args, os.environ)
    if parsed is None:
        return False
    try:
        quiz_json(parsed)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): end quietly with 1, as typer does.
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - open until exit: the last flush must not fail
        sys.exit(ExitCode.BAD_INPUT)
    except (Exception, KeyboardInterrupt) as error:  # report() tells user mistakes from bugs
        sys.exit(report(error))
    leave()
    return True


def leave() -> None:
    """End the process now that all it says is out. Tearing down the interpreter (pydantic's
    thousands of objects and modules) would take about 15 ms, a tenth of the command, and has
    nothing left to do: no file is open for writing and nothing waits at exit."""
    sys.stderr.flush()
    os._exit(ExitCode.OK)
