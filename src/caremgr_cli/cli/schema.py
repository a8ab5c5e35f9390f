"""`caremgr schema NAME`: the JSON Schema of a document caremgr reads or writes."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from .common import load_catalog, print_json


class SchemaName(str, Enum):
    roles = "roles"
    answers = "answers"
    result = "result"


def schema_command(ctx: typer.Context, name: Annotated[SchemaName, typer.Argument(help="Which document.")]) -> None:
    """Print the JSON Schema of a document caremgr reads or writes."""
    import json

    if name is SchemaName.roles:
        from caremgr_cli.catalog.models import Catalog

        schema = Catalog.model_json_schema()
    elif name is SchemaName.answers:
        from caremgr_cli.answers.model import answers_model

        schema = answers_model(load_catalog(ctx)).model_json_schema()
    else:
        from caremgr_cli.output.json import result_adapter

        schema = result_adapter().json_schema()
    print_json(json.dumps(schema, indent=2))
