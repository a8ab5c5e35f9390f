"""`caremgr quiz`: the questionnaire (or an answers file), then which role fits and why."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from caremgr_cli.errors import ExitCode, UserError, one_line, printable, say

from .common import AsOfOption, JsonOption, load_catalog, parse_day, print_json, stdout_console

AnswersOption = Annotated[
    str | None,
    typer.Option("--answers", metavar="FILE", help="Answers document (YAML or JSON; - for stdin): no prompts."),
]
AskMissingOption = Annotated[bool, typer.Option("--ask-missing", help="With --answers: ask what the file lacks.")]
SaveOption = Annotated[
    Path | None, typer.Option("--save", metavar="FILE", help="Save the answers (reusable with --answers).")
]
PlainOption = Annotated[bool, typer.Option("--plain", help="No colour or bars (also ACCESSIBLE=1).")]


def quiz_command(
    ctx: typer.Context,
    answers_file: AnswersOption = None,
    ask_missing: AskMissingOption = False,
    as_of: AsOfOption = None,
    save: SaveOption = None,
    plain: PlainOption = False,
    as_json: JsonOption = False,
) -> None:
    """Answer a short questionnaire and learn which role fits, why, and what stands in the way."""
    import os

    today = parse_day(as_of)
    _check_options(answers_file, ask_missing, save)
    interactive = answers_file is None or ask_missing
    if interactive and sys.stderr is None:
        raise UserError(["caremgr: quiz asks its questions on stderr, which is closed"], ExitCode.USAGE)
    if interactive and not terminal_attached():
        raise UserError(
            [
                "caremgr: quiz asks its questions in a terminal, and there is none here.",
                "Give answers instead: caremgr quiz --answers FILE (YAML or JSON; - reads stdin); "
                "`caremgr schema answers` describes the file.",
            ],
            ExitCode.USAGE,
        )
    catalog = load_catalog(ctx)
    from caremgr_cli.answers.documents import load_answers, validate_answers
    from caremgr_cli.answers.model import answers_model
    from caremgr_cli.answers.questionnaire import run_questionnaire
    from caremgr_cli.engine.score import compile_catalog

    model = answers_model(catalog)
    document: dict[str, Any] = {}
    if answers_file is not None:
        document, answers = load_answers(answers_file, model, catalog)
    if interactive:
        try:
            document = run_questionnaire(catalog, model, _ask, _say, document, only_missing=ask_missing)
        except EOFError:
            raise UserError(["caremgr: input ended before the questionnaire was finished"]) from None
        answers = validate_answers(document, model, catalog)
    if save is not None:
        _save(save, answers.model_dump(mode="json", exclude_defaults=True))
    result = compile_catalog(catalog).score(answers, today)
    if as_json:
        from caremgr_cli.output.json import result_json

        print_json(result_json(result))
        return
    from caremgr_cli.output.text import print_result

    plain = plain or os.environ.get("ACCESSIBLE", "") not in ("", "0")
    print_result(stdout_console(plain), catalog, result, plain=plain)


def _check_options(answers_file: str | None, ask_missing: bool, save: Path | None) -> None:
    if ask_missing and answers_file is None:
        raise UserError(["caremgr: --ask-missing needs --answers FILE"], ExitCode.USAGE)
    if ask_missing and answers_file == "-":
        raise UserError(["caremgr: --ask-missing cannot read answers from stdin; give a file"], ExitCode.USAGE)
    if save is not None and str(save) == "-":
        # stdout holds the results: answers mixed into them would break both.
        raise UserError(["caremgr: --save needs a file name; '-' (stdout) is where the results go"], ExitCode.USAGE)


def _save(path: Path, answers: dict[str, Any]) -> None:
    import yaml

    from caremgr_cli.files import display_name, write_atomic

    write_atomic(path, yaml.safe_dump(answers, sort_keys=False))
    say(one_line(f"answers saved to {display_name(path)}"))  # a file name may hold a newline


def terminal_attached() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(prompt: str) -> str:
    sys.stderr.write(printable(prompt))
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        raise EOFError
    return line.rstrip("\n")


def _say(text: str) -> None:
    say(printable(text))
