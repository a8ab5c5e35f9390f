"""`caremgr roles`: the roles, one line each."""

from __future__ import annotations

import typer

from .common import JsonOption, load_catalog, load_documents, print_json, stdout_console


def roles_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the roles: id, title and aliases."""
    if as_json:
        from caremgr_cli.output.json import dumps

        print_json(dumps({"roles": load_documents(ctx)["roles"]}))
        return
    from caremgr_cli.output.text import role_list

    stdout_console().print(role_list(load_catalog(ctx)))
