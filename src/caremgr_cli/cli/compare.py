"""`caremgr compare [ROLE]...`: roles side by side, topic by topic."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import JsonOption, complete_role, load_catalog, load_documents, print_json, resolve_roles, stdout_console

RolesArgument = Annotated[
    list[str] | None,
    typer.Argument(help="Roles to compare, in column order (all when none).", autocompletion=complete_role),
]


def compare_command(ctx: typer.Context, roles: RolesArgument = None, as_json: JsonOption = False) -> None:
    """Compare roles side by side, topic by topic."""
    documents = load_documents(ctx)
    # A role named twice (`case case`, `case case-manager`) is one column, where it was first named.
    chosen = list(dict.fromkeys(resolve_roles(documents, roles))) if roles else [r["id"] for r in documents["roles"]]
    if as_json:
        from caremgr_cli.output.json import dumps

        print_json(dumps({"roles": [documents["documents"][role_id] for role_id in chosen]}))
        return
    from caremgr_cli.output.text import print_compare

    catalog = load_catalog(ctx)
    print_compare(stdout_console(), catalog, [catalog.role(role_id) for role_id in chosen])
