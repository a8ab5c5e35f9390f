"""The Typer app: options, wiring and exit codes. The core is imported inside each command,
so that `--version` and shell completion do not pay for pydantic, yaml or rich."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import ExitCode, UserError, printable, report

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from rich.console import Console

    from .models import Catalog


class _Group(TyperGroup):
    """Turns user errors into their messages and exit codes, and bugs into a report request."""

    def invoke(self, ctx: Any) -> Any:  # click's Context; typer does not re-export it
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): typer exits quietly with 1
        except Exception as error:
            if isinstance(error, (typer.Exit, typer.Abort)) or hasattr(error, "exit_code"):
                raise
            raise typer.Exit(report(error)) from None
        except KeyboardInterrupt as error:
            raise typer.Exit(report(error)) from None


app = typer.Typer(
    cls=_Group,
    name="caremgr",
    help="Case manager or care manager? Compare the two careers and their credentials.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"caremgr {__version__}")
        raise typer.Exit()


RolesOption = Annotated[
    Path | None,
    typer.Option(
        "--roles",
        envvar="CAREMGR_ROLES",
        help="Roles file to use instead of the packaged one.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@app.callback()
def main_options(
    ctx: typer.Context,
    roles: RolesOption = None,
    _version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_show_version, help="Show the version and exit."),
    ] = False,
) -> None:
    """Case manager or care manager? Compare the two careers and their credentials."""
    ctx.obj = {"roles": roles}


def _roles_path(ctx: typer.Context) -> Path | None:
    return ctx.obj["roles"] if ctx.obj else None


def _catalog(ctx: typer.Context) -> Catalog:
    from .cache import load_catalog

    return load_catalog(_roles_path(ctx))


def _documents(ctx: typer.Context) -> dict[str, Any]:
    """Role names and --json documents: plain data, read from the cache without pydantic."""
    from .cache import load_documents

    return load_documents(_roles_path(ctx))


def _stdout(plain: bool = False) -> Console:
    import os

    from rich.console import Console

    # Plain output (and NO_COLOR) is for screen readers and logs: no escape codes of any kind.
    if plain or os.environ.get("NO_COLOR"):
        return Console(highlight=False, emoji=False, color_system=None)
    return Console(highlight=False, emoji=False)


def _print_json(text: str) -> None:
    sys.stdout.write(text + "\n")


def _resolve_roles(documents: dict[str, Any], names: list[str]) -> list[str]:
    """Role names as the user typed them -> role ids, or a usage error naming the valid ones."""
    role_names: dict[str, str] = documents["role_names"]
    resolved: list[str] = []
    for name in names:
        role_id = role_names.get(name.lower())
        if role_id is None:
            import difflib

            close = difflib.get_close_matches(name.lower(), list(role_names), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            valid = "; ".join(
                f"{r['id']} ({', '.join(r['aliases'])})" if r["aliases"] else r["id"] for r in documents["roles"]
            )
            raise UserError([f"caremgr: unknown role '{name}'{hint}", f"valid roles: {valid}"], ExitCode.USAGE)
        resolved.append(role_id)
    return resolved


def _complete_role(ctx: typer.Context, incomplete: str) -> list[str]:
    from .cache import load_documents

    try:
        role_names: dict[str, str] = load_documents(ctx.find_root().params.get("roles"))["role_names"]
    except UserError:
        return []
    return [name for name in role_names if name.startswith(incomplete)]


RoleArgument = Annotated[str, typer.Argument(help="A role id or alias.", autocompletion=_complete_role)]


@app.command("roles")
def roles_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the roles: id, title and aliases."""
    if as_json:
        from .documents import dumps

        _print_json(dumps({"roles": _documents(ctx)["roles"]}))
        return
    from .render import role_list

    _stdout().print(role_list(_catalog(ctx)))


@app.command("show")
def show_command(ctx: typer.Context, role: RoleArgument, as_json: JsonOption = False) -> None:
    """Show one role in full, with its credentials and sources."""
    documents = _documents(ctx)
    (role_id,) = _resolve_roles(documents, [role])
    if as_json:
        from .documents import dumps

        _print_json(dumps({"role": documents["documents"][role_id]}))
        return
    from .render import print_role

    catalog = _catalog(ctx)
    print_role(_stdout(), catalog, catalog.role(role_id))


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    roles: Annotated[
        list[str] | None,
        typer.Argument(help="Roles to compare, in column order (all when none).", autocompletion=_complete_role),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare roles side by side, topic by topic."""
    documents = _documents(ctx)
    chosen = _resolve_roles(documents, roles) if roles else [role["id"] for role in documents["roles"]]
    if as_json:
        from .documents import dumps

        _print_json(dumps({"roles": [documents["documents"][role_id] for role_id in chosen]}))
        return
    from .render import print_compare

    catalog = _catalog(ctx)
    print_compare(_stdout(), catalog, [catalog.role(role_id) for role_id in chosen])


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="Roles file to check (default: --roles, else the packaged one).", show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check a roles file and report every problem with its line."""
    from .documents import dumps
    from .files import DocumentError, default_roles_path
    from .loading import load_catalog

    target = path or (ctx.obj["roles"] if ctx.obj else None) or default_roles_path()
    try:
        catalog = load_catalog(target)
    except DocumentError as error:
        if as_json:
            _print_json(dumps({"ok": False, "path": str(target), "problems": [p.as_dict() for p in error.problems]}))
        raise
    counts = {
        "roles": len(catalog.roles),
        "credentials": len(catalog.credentials),
        "sources": len(catalog.sources),
        "corrections": len(catalog.corrections),
    }
    if as_json:
        _print_json(dumps({"ok": True, "path": str(target), "counts": counts}))
        return
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    typer.echo(f"ok: {target}: {summary}")


class SchemaName(str, Enum):
    roles = "roles"
    answers = "answers"
    result = "result"


@app.command("schema")
def schema_command(name: Annotated[SchemaName, typer.Argument(help="Which document.")]) -> None:
    """Print the JSON Schema of a document caremgr reads or writes."""
    from pydantic import BaseModel

    from .documents import result_adapter
    from .models import Answers, Catalog

    models: dict[SchemaName, type[BaseModel]] = {SchemaName.roles: Catalog, SchemaName.answers: Answers}
    schema = result_adapter().json_schema() if name is SchemaName.result else models[name].model_json_schema()
    import json

    _print_json(json.dumps(schema, indent=2))


def _terminal_attached() -> bool:
    return sys.stdin.isatty()


def _ask(prompt: str) -> str:
    sys.stderr.write(printable(prompt))
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        raise EOFError
    return line.rstrip("\n")


def _say(text: str) -> None:
    sys.stderr.write(printable(text) + "\n")


def _parse_day(value: str | None) -> date:
    from .shortcuts import parse_day

    return parse_day(value)


@app.command("quiz")
def quiz_command(
    ctx: typer.Context,
    answers_file: Annotated[
        str | None,
        typer.Option("--answers", metavar="FILE", help="Answers document (YAML or JSON; - for stdin): no prompts."),
    ] = None,
    ask_missing: Annotated[
        bool, typer.Option("--ask-missing", help="With --answers: ask what the file lacks.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Score as of this date (default: today).")
    ] = None,
    save: Annotated[
        Path | None, typer.Option("--save", metavar="FILE", help="Save the answers (reusable with --answers).")
    ] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No colour or bars (also ACCESSIBLE=1).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Answer a short questionnaire and learn which role fits, why, and what stands in the way."""
    import os

    today = _parse_day(as_of)
    if ask_missing and answers_file is None:
        raise UserError(["caremgr: --ask-missing needs --answers FILE"], ExitCode.USAGE)
    if ask_missing and answers_file == "-":
        raise UserError(["caremgr: --ask-missing cannot read answers from stdin; give a file"], ExitCode.USAGE)
    interactive = answers_file is None or ask_missing
    if interactive and not _terminal_attached():
        raise UserError(
            [
                "caremgr: quiz asks its questions in a terminal, and there is none here.",
                "Give answers instead: caremgr quiz --answers FILE (YAML or JSON; - reads stdin); "
                "`caremgr schema answers` describes the file.",
            ],
            ExitCode.USAGE,
        )
    catalog = _catalog(ctx)
    from .files import write_atomic
    from .loading import load_answers, validate_answers
    from .questions import run_questionnaire
    from .scoring import score_answers

    document: dict[str, Any] = {}
    if answers_file is not None:
        document, _ = load_answers(answers_file, catalog)
    if interactive:
        try:
            document = run_questionnaire(catalog, _ask, _say, document, only_missing=ask_missing)
        except EOFError:
            raise UserError(["caremgr: input ended before the questionnaire was finished"]) from None
    answers = validate_answers(document, catalog)
    if save is not None:
        import yaml

        write_atomic(save, yaml.safe_dump(answers.model_dump(mode="json", exclude_defaults=True), sort_keys=False))
        _say(f"answers saved to {save}")
    result = score_answers(answers, catalog, today)
    if as_json:
        from .documents import result_json

        _print_json(result_json(result))
        return
    from .render import print_result

    plain = plain or os.environ.get("ACCESSIBLE", "") not in ("", "0")
    print_result(_stdout(plain), catalog, result, plain=plain)


class InputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    json = "json"


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


@app.command("score")
def score_command(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILE]...", help="Answers records; - or none reads stdin.", show_default=False),
    ] = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--input-format", help="jsonl, csv, or a yaml/json list (default: by extension; stdin: jsonl)."),
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--output-format", help="jsonl or csv.")] = OutputFormat.jsonl,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Score as of this date (default: today).")
    ] = None,
) -> None:
    """Score many people: one result per answers record, in input order."""
    from .batch import format_of

    today = _parse_day(as_of)
    names = files or ["-"]
    formats = {name: format_of(name, input_format.value if input_format else None) for name in names}
    unknown = [name for name, fmt in formats.items() if fmt is None]
    if unknown:
        raise UserError(
            [f"caremgr: cannot tell the format of {name}; use --input-format jsonl|csv|yaml|json" for name in unknown],
            ExitCode.USAGE,
        )
    catalog = _catalog(ctx)
    bad, total = _run_batch(catalog, names, formats, output_format, today)
    if bad:
        raise UserError([f"caremgr: {bad:,} of {total:,} records had problems (see their errors in the output)"])


def _run_batch(
    catalog: Catalog, names: list[str], formats: dict[str, str | None], output: OutputFormat, today: date
) -> tuple[int, int]:
    """Stream every record through the scorer to stdout; returns (bad records, all records)."""
    import csv

    from .batch import csv_header, csv_row, jsonl_line, read_records, score_records
    from .documents import ResultLines

    progress = _Progress(names)
    lines = ResultLines()
    writer = csv.writer(sys.stdout, lineterminator="\n") if output is OutputFormat.csv else None
    if writer is not None:
        writer.writerow(csv_header(catalog))
    bad = total = 0
    sys.stdout.flush()  # the header (CSV) or nothing yet; JSON Lines go to the byte stream below
    write = sys.stdout.buffer.write
    with progress:
        for name in names:
            fmt = formats[name]
            assert fmt is not None
            for outcome in score_records(read_records(name, fmt, progress.tick), catalog, today):
                total += 1
                bad += outcome.result is None
                if writer is not None:
                    writer.writerow(csv_row(outcome, catalog))
                else:
                    write(jsonl_line(outcome, lines))
                if progress.enabled:
                    progress.count(total)
    return bad, total


class _Progress:
    """A bar on stderr (bytes read, records, rate) when stderr is a terminal and the input is large."""

    THRESHOLD = 1_000_000  # bytes: smaller inputs finish before a bar would help

    def __init__(self, names: list[str]) -> None:
        sizes = [Path(name).stat().st_size if name != "-" and Path(name).is_file() else 0 for name in names]
        self.total = sum(sizes)
        self.enabled = sys.stderr.isatty() and self.total >= self.THRESHOLD and "-" not in names
        self.task: Any = None
        self.bar: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("scoring"), BarColumn(), TextColumn("{task.fields[records]:,} records"),
                TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=Console(stderr=True),
                transient=True,
            )  # fmt: skip
            self.task = self.bar.add_task("scoring", total=self.total, records=0, rate="")
            self.bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    @property
    def tick(self) -> Callable[[int], None] | None:
        """The byte counter to hand to the readers, or None when there is no bar."""
        return self._advance if self.enabled else None

    def _advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, count)

    def count(self, records: int) -> None:
        if self.bar is not None and records % 500 == 0:
            elapsed = self.bar.tasks[0].elapsed or 0
            rate = f"{records / elapsed:,.0f}/s" if elapsed else ""
            self.bar.update(self.task, records=records, rate=rate)
