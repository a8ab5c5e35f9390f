"""What the commands share: global options, loading the catalog, the console, role names."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from caremgr_cli.errors import ExitCode, UserError

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from caremgr_cli.catalog.models import Catalog

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
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Score as of this date (default: today).")
]


def roles_path(ctx: typer.Context) -> Path | None:
    """The --roles option (or CAREMGR_ROLES), given to the app's callback."""
    return ctx.find_root().params.get("roles")


def load_catalog(ctx: typer.Context) -> Catalog:
    from caremgr_cli.catalog.load import load_catalog as load

    return load(roles_path(ctx))


def load_documents(ctx: typer.Context) -> dict[str, Any]:
    """Role names and --json documents: plain data, read from the cache without pydantic."""
    from caremgr_cli.catalog.load import load_documents as load

    return load(roles_path(ctx))


def stdout_console(plain: bool = False) -> Console:
    import os

    from caremgr_cli.output.console import TrimmedLines, quiet_console

    # Lines end without blanks (rich pads to widths), for pipes and for copying from a terminal.
    stream: Any = TrimmedLines(sys.stdout)
    # Plain output (and NO_COLOR) is for screen readers and logs: no escape codes of any kind.
    if plain or os.environ.get("NO_COLOR"):
        return quiet_console(file=stream, highlight=False, emoji=False, color_system=None)
    return quiet_console(file=stream, highlight=False, emoji=False)


def print_json(text: str) -> None:
    sys.stdout.write(text + "\n")


def resolve_roles(documents: dict[str, Any], names: list[str]) -> list[str]:
    """Role names as the user typed them -> role ids, or a usage error naming the valid ones."""
    role_names: dict[str, str] = documents["role_names"]
    resolved: list[str] = []
    for name in names:
        role_id = role_names.get(name.lower())
        if role_id is None:
            import difflib

            def named(r: dict[str, Any]) -> str:
                return f"{r['id']} ({', '.join(r['aliases'])})" if r["aliases"] else str(r["id"])

            part = name.strip().lower()
            containing = [r for r in documents["roles"] if part and any(part in n for n in (r["id"], *r["aliases"]))]
            close = difflib.get_close_matches(name.lower(), list(role_names), n=1)
            listed = bool(close) and role_names[close[0]] in [r["id"] for r in containing]
            hint = f"; did you mean '{close[0]}'?" if close and not listed else ""
            if containing:
                hint += "; roles whose names contain it: " + "; ".join(named(r) for r in containing)
            valid = "; ".join(named(r) for r in documents["roles"])
            raise UserError([f"caremgr: unknown role '{name}'{hint}", f"valid roles: {valid}"], ExitCode.USAGE)
        resolved.append(role_id)
    return resolved


def complete_role(ctx: typer.Context, incomplete: str) -> list[str]:
    """Role names for shell completion, from the cached documents (no pydantic, no yaml)."""
    try:
        role_names: dict[str, str] = load_documents(ctx)["role_names"]
    except UserError:
        return []
    return [name for name in role_names if name.startswith(incomplete)]


def parse_day(value: str | None) -> date:
    from datetime import date

    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError([f"caremgr: --as-of must be a date as YYYY-MM-DD, not '{value}'"], ExitCode.USAGE) from None
