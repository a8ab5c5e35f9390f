"""The Typer app: global options, error handling, and one module per command (registered below).
The core is imported inside each command, so `--help` and completion do not pay for it."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from caremgr_cli import __version__
from caremgr_cli.errors import OUTPUT_ERRORS, output_failed, reader_gone, report

from . import compare, quiz, roles, schema, score, show, summary, validate
from .common import RolesOption


class _Group(TyperGroup):
    """Turns user errors into their messages and exit codes, and bugs into a report request."""

    def invoke(self, ctx: Any) -> Any:  # click's Context; typer does not re-export it
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk shows here, while we can still say so
            return result
        except BrokenPipeError:
            reader_gone()  # `| head -1` has all it wanted: end quietly and well
            raise typer.Exit(0) from None
        except OSError as error:
            if error.errno not in OUTPUT_ERRORS:
                raise typer.Exit(report(error)) from None
            raise typer.Exit(report(output_failed(error))) from None
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


@app.callback()
def main_options(
    roles: RolesOption = None,
    _version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_show_version, help="Show the version and exit."),
    ] = False,
) -> None:
    """Case manager or care manager? Compare the two careers and their credentials."""


# In the order --help lists them.
app.command("roles")(roles.roles_command)
app.command("show")(show.show_command)
app.command("compare")(compare.compare_command)
app.command("validate")(validate.validate_command)
app.command("schema")(schema.schema_command)
app.command("quiz")(quiz.quiz_command)
app.command("score")(score.score_command)
app.command("summary")(summary.summary_command)
