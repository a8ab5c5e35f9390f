"""`caremgr show ROLE`: one role in full, with its credentials and sources."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import JsonOption, complete_role, load_catalog, load_documents, print_json, resolve_roles, stdout_console

RoleArgument = Annotated[str, typer.Argument(help="A role id or alias.", autocompletion=complete_role)]


def show_command(ctx: typer.Context, role: RoleArgument, as_json: JsonOption = False) -> None:
    """Show one role in full, with its credentials and sources."""
    documents = load_documents(ctx)
    (role_id,) = resolve_roles(documents, [role])
    if as_json:
        from caremgr_cli.output.json import dumps

        print_json(dumps({"role": documents["documents"][role_id]}))
        return
    from caremgr_cli.output.text import print_role

    catalog = load_catalog(ctx)
    print_role(stdout_console(), catalog, catalog.role(role_id))
