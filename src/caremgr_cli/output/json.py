"""The JSON documents caremgr prints with --json: plain dicts, versioned, deterministic."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # --json output from the cache must not pay for pydantic
    from pydantic import TypeAdapter

    from caremgr_cli.batch import Outcome
    from caremgr_cli.catalog.models import Catalog, Role
    from caremgr_cli.engine.results import Result


SCHEMA_VERSION = 2


def dumps(document: dict[str, Any]) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, **document}, indent=2, ensure_ascii=False)


def role_summary(role: Role) -> dict[str, Any]:
    return {"id": role.id, "title": role.title, "aliases": list(role.aliases)}


def role_document(catalog: Catalog, role: Role) -> dict[str, Any]:
    """A role with its credentials, corrections and every source they cite, in full."""
    credentials = [catalog.credential(credential_id) for credential_id in role.credentials]
    wanted = set(role.corrections) | {ref for c in credentials for ref in c.corrections}
    corrections = [c for c in catalog.corrections if c.id in wanted]
    document = role.model_dump(mode="json")
    document["settings"]["labels"] = [catalog.label("settings", s) for s in role.settings.ids]
    document["skills"]["labels"] = [catalog.label("skills", s) for s in role.skills.ids]
    if catalog.shared_skills:
        document["shared_skills"] = {
            "ids": list(catalog.shared_skills.skills),
            "labels": [catalog.label("skills", s) for s in catalog.shared_skills.skills],
            "sources": list(catalog.shared_skills.sources),
        }
    document["credentials"] = [c.model_dump(mode="json") for c in credentials]
    document["corrections"] = [c.model_dump(mode="json") for c in corrections]
    cited = catalog.cited_sources(
        role, *credentials, *corrections, *([catalog.shared_skills] if catalog.shared_skills else [])
    )
    document["sources"] = [{"number": catalog.source_numbers[s.id], **s.model_dump(mode="json")} for s in cited]
    return document


def catalog_documents(catalog: Catalog) -> dict[str, Any]:
    """What --json output and completion need, as plain data (cached beside the catalog)."""
    return {
        "role_names": catalog.role_names,
        "roles": [role_summary(role) for role in catalog.roles],
        "documents": {role.id: role_document(catalog, role) for role in catalog.roles},
    }


@cache
def result_adapter() -> TypeAdapter[Result]:
    """Serialises results (and gives their JSON Schema); built once, on first use."""
    from pydantic import TypeAdapter

    from caremgr_cli.engine.results import Result

    return TypeAdapter(Result)


def result_document(result: Result) -> dict[str, Any]:
    """One result as JSON-ready data. Plain dataclass conversion: building the adapter costs
    more than a single result needs (the tests hold both ways to the same output)."""
    return dataclasses.asdict(result, dict_factory=_json_fields)


def result_json(result: Result) -> str:
    """The result as `quiz --json` prints it (the result carries its own schema_version)."""
    return json.dumps(result_document(result), indent=2, ensure_ascii=False)


def _json_fields(items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in items}


def result_line(result: Result, source: str, line: int, kept: tuple[tuple[str, str], ...] = ()) -> bytes:
    """One result of a batch as a JSON Lines record: `source`, `line` and any `columns` kept from
    a CSV row, then the result's fields as pydantic writes them (compact, UTF-8), newline-terminated."""
    start = b'{"source":%s,"line":%d,' % (json.dumps(source, ensure_ascii=False).encode(), line)
    if kept:
        start += b'"columns":%s,' % json.dumps(dict(kept), ensure_ascii=False).encode()
    return start + result_adapter().dump_json(result)[1:] + b"\n"


def outcome_line(outcome: Outcome) -> bytes:
    """The JSON Lines record of one batch record: its result, or its errors."""
    record = outcome.record
    if outcome.result is not None:
        return result_line(outcome.result, record.source, record.line or 0, record.kept)
    document = {"schema_version": SCHEMA_VERSION, "source": record.source, "line": record.line,
                **({"columns": dict(record.kept)} if record.kept else {}), "errors": list(outcome.errors)}  # fmt: skip
    return json.dumps(document, ensure_ascii=False).encode() + b"\n"
