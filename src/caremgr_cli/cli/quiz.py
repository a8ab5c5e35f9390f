"""`caremgr quiz`: the questionnaire (or an answers file), then which role fits and why."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from caremgr_cli.errors import ExitCode, UserError, one_line, printable, say

from .common import AsOfOption, JsonOption, load_catalog, parse_day, print_json, stdout_console

if TYPE_CHECKING:
    from caremgr_cli.answers.model import Answers
    from caremgr_cli.answers.questionnaire import Matters
    from caremgr_cli.catalog.models import Catalog
    from caremgr_cli.engine.results import Result

AnswersOption = Annotated[
    str | None,
    typer.Option("--answers", metavar="FILE", help="Answers document (YAML or JSON; - for stdin): no prompts."),
]
AskMissingOption = Annotated[bool, typer.Option("--ask-missing", help="With --answers: ask what the file lacks.")]
# File names are taken as typed (not as Path, which drops a final '/' that says "a folder").
SaveOption = Annotated[
    str | None,
    typer.Option("--save", metavar="FILE", help="Save every answer given (reusable with --answers)."),
]
ExportOption = Annotated[
    str | None,
    typer.Option(
        "--export",
        metavar="FILE",
        help="Also write the full results page, with your answers and the sources, as .html, .svg or .txt.",
    ),
]
PlainOption = Annotated[bool, typer.Option("--plain", help="No colour or bars (also ACCESSIBLE=1).")]

INTERRUPTED = "caremgr: quiz stopped; nothing was saved"


def quiz_command(
    ctx: typer.Context,
    answers_file: AnswersOption = None,
    ask_missing: AskMissingOption = False,
    as_of: AsOfOption = None,
    save: SaveOption = None,
    export: ExportOption = None,
    plain: PlainOption = False,
    as_json: JsonOption = False,
) -> None:
    """Answer a short questionnaire (about 15 questions) and learn which role fits, why, and
    what stands in the way. The results lead with each role's verdict, any warnings and up to
    three next steps; each role's fit point by point, every gap and the sources follow."""
    import os

    today = parse_day(as_of)
    _check_options(answers_file, ask_missing, save, export)
    save_path, export_path = (Path(name) if name is not None else None for name in (save, export))
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
    from caremgr_cli.engine.score import compile_catalog

    model = answers_model(catalog)
    engine = compile_catalog(catalog)
    document: dict[str, Any] = {}
    if answers_file is not None:
        document, answers = load_answers(answers_file, model, catalog)
    if interactive:
        from caremgr_cli.answers.questionnaire import advice_changes

        document = _ask_questions(
            catalog, model, document, ask_missing, advice_changes(catalog, model, engine, today), save_path
        )
        answers = validate_answers(document, model, catalog)
    given = _as_given(answers)
    saved = save_path is None or _save(save_path, given)
    result = engine.score(answers, today)
    if as_json:
        from caremgr_cli.output.json import result_json

        print_json(result_json(result))
    else:
        from caremgr_cli.output.report import print_report

        plain = plain or os.environ.get("ACCESSIBLE", "") not in ("", "0")
        print_report(stdout_console(plain), catalog, result, plain=plain)
    exported = export_path is None or _export(export_path, catalog, result, given)
    if not saved:
        _offer_answers_again(given)
    if not (saved and exported):
        raise typer.Exit(ExitCode.BAD_INPUT)


def _check_options(answers_file: str | None, ask_missing: bool, save: str | None, export: str | None) -> None:
    if ask_missing and answers_file is None:
        raise UserError(["caremgr: --ask-missing needs --answers FILE"], ExitCode.USAGE)
    if ask_missing and answers_file == "-":
        raise UserError(["caremgr: --ask-missing cannot read answers from stdin; give a file"], ExitCode.USAGE)
    if save is not None and save == "-":
        # stdout holds the results: answers mixed into them would break both.
        raise UserError(["caremgr: --save needs a file name; '-' (stdout) is where the results go"], ExitCode.USAGE)
    if export is not None:
        _check_export(export)
    for option, name in (("--save", save), ("--export", export)):
        problem = None if name is None else _not_a_file_name(name)
        if problem:  # said now, not after every question is answered
            raise UserError([f"caremgr: {option} needs a file name; {problem}"], ExitCode.USAGE)


def _check_export(name: str) -> None:
    from caremgr_cli.output.report import EXPORT_FORMATS, export_format  # rich: only for an export

    if export_format(Path(name)) is None:
        kinds = ", ".join(EXPORT_FORMATS)
        raise UserError(
            [f"caremgr: --export writes {kinds} files, told by the name's ending; not '{printable(name)}'"],
            ExitCode.USAGE,
        )


def _not_a_file_name(name: str) -> str | None:
    """Why a name cannot be a file to write (it names a folder), or None."""
    import os

    if name.endswith(("/", os.sep)) or Path(name).is_dir():
        return f"{printable(name)} is a folder"
    return None


def _ask_questions(
    catalog: Catalog,
    model: type[Answers],
    document: dict[str, Any],
    only_missing: bool,
    matters: Matters,
    save: Path | None,
) -> dict[str, Any]:
    from caremgr_cli.answers.questionnaire import Quit, run_questionnaire

    try:
        return run_questionnaire(catalog, model, _ask, _say, document, only_missing=only_missing, matters=matters)
    except EOFError:
        raise UserError(["caremgr: input ended before the questionnaire was finished"]) from None
    except Quit as stop:
        raise _stopped(stop.document, model, catalog, save) from None
    except KeyboardInterrupt:  # between prompts, before the questionnaire had the answers
        raise UserError([INTERRUPTED], ExitCode.INTERRUPTED) from None


def _stopped(document: dict[str, Any], model: type[Answers], catalog: Catalog, save: Path | None) -> UserError:
    """The person stopped: with --save, keep what they answered, to finish later."""
    from caremgr_cli.answers.documents import validate_answers

    if save is None or not document:
        return UserError([INTERRUPTED], ExitCode.INTERRUPTED)
    given = _as_given(validate_answers(document, model, catalog))
    if not _save(save, given):
        return UserError(["caremgr: quiz stopped; the answers so far could not be saved"], ExitCode.INTERRUPTED)
    name = one_line(str(save))
    return UserError(
        [f"caremgr: quiz stopped; to finish it later: caremgr quiz --answers {name} --ask-missing"],
        ExitCode.INTERRUPTED,
    )


def _as_given(answers: Answers) -> dict[str, Any]:
    """What is saved: every answer given, noes and zeros included, and no default added."""
    return answers.model_dump(mode="json", exclude_unset=True)


def _save(path: Path, answers: dict[str, Any]) -> bool:
    """Save the answers; on failure say why and return False (the results still follow)."""
    import yaml

    return _write(path, yaml.safe_dump(answers, sort_keys=False), "answers saved to")


def _write(path: Path, text: str, done: str) -> bool:
    """Write the file at once (or leave it as it was), private to its owner as it holds answers;
    say what happened, and whether it worked."""
    from caremgr_cli.files import display_name, write_atomic

    try:
        write_atomic(path, text)
    except UserError as error:
        for line in error.lines:
            say(one_line(line))
        return False
    say(one_line(f"{done} {display_name(path)}"))  # a file name may hold a newline
    return True


def _offer_answers_again(answers: dict[str, Any]) -> None:
    """The answers could not be saved: on a terminal, ask for another file; else print them."""
    import yaml

    while terminal_attached():
        try:
            typed = _ask("Save your answers to another file (Enter to print them here instead) > ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not typed:
            break
        problem = _not_a_file_name(typed)
        if problem:
            say(f"caremgr: {problem}; give a file name")
        elif _save(Path(typed), answers):
            return
    say("Your answers (copy them into a file to use with --answers):")
    say(printable(yaml.safe_dump(answers, sort_keys=False)).rstrip("\n"))


def _export(path: Path, catalog: Catalog, result: Result, given: dict[str, Any]) -> bool:
    """Write the results page to the file; on failure say why and return False."""
    from caremgr_cli.answers.questionnaire import review_lines
    from caremgr_cli.output.report import export_format, render_export

    kind = export_format(path)
    assert kind is not None  # checked with the options
    answers = [(question.short, text) for question, text in review_lines(catalog, given)]
    return _write(path, render_export(catalog, result, answers, kind), "results written to")


def terminal_attached() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _width() -> int:
    import shutil

    return max(20, shutil.get_terminal_size().columns)


def _ask(prompt: str) -> str:
    from caremgr_cli.output.console import wrap_text

    sys.stderr.write(wrap_text(printable(prompt), _width()))
    sys.stderr.flush()
    try:
        line = sys.stdin.readline()
    except KeyboardInterrupt:
        sys.stderr.write("\n")  # Ctrl-C leaves the cursor on the prompt's line
        raise
    if not line:
        sys.stderr.write("\n")
        raise EOFError
    return line.rstrip("\n")


def _say(text: str) -> None:
    from caremgr_cli.output.console import wrap_text

    say(wrap_text(printable(text), _width()))
