"""`caremgr validate [PATH]`: check a roles file and report every problem with its line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caremgr_cli.errors import one_line

from .common import JsonOption, print_json, roles_path

PathArgument = Annotated[
    Path | None,
    typer.Argument(help="Roles file to check (default: --roles, else the packaged one).", show_default=False),
]


def validate_command(ctx: typer.Context, path: PathArgument = None, as_json: JsonOption = False) -> None:
    """Check a roles file and report every problem with its line."""
    from caremgr_cli.catalog.load import catalog_from_bytes
    from caremgr_cli.files import DocumentError, default_roles_path, display_name, read_bytes
    from caremgr_cli.output.json import dumps

    target = path or roles_path(ctx) or default_roles_path()
    try:
        catalog = catalog_from_bytes(*read_bytes(target))
    except DocumentError as error:
        if as_json:
            print_json(
                dumps({"ok": False, "path": display_name(target), "problems": [p.as_dict() for p in error.problems]})
            )
        raise
    counts = {
        "roles": len(catalog.roles),
        "credentials": len(catalog.credentials),
        "sources": len(catalog.sources),
        "corrections": len(catalog.corrections),
    }
    if as_json:
        print_json(dumps({"ok": True, "path": display_name(target), "counts": counts}))
        return
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    typer.echo(one_line(f"ok: {display_name(target)}: {summary}"))  # a file name may hold control characters
