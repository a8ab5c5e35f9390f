"""The JSON documents caremgr prints with --json: plain dicts, versioned, deterministic."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # --json output from the cache must not pay for pydantic
    from collections.abc import Callable

    from pydantic import TypeAdapter

    from .models import Catalog, CredentialResult, Gap, Reason, Result, Role, RoleResult


SCHEMA_VERSION = 1
T = TypeVar("T")


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
    document["sources"] = [s.model_dump(mode="json") for s in cited]
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

    from .models import Result

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


def _source(source: str) -> bytes:
    """The start of a JSON Lines record: where the answers came from goes before the result's keys."""
    return f'{{"source":{json.dumps(source, ensure_ascii=False)},"line":'.encode()


class ResultLines:
    """Writes each result of a batch as one JSON Lines record (UTF-8, newline-terminated):
    `source` and `line`, then the result's fields exactly as pydantic's TypeAdapter writes
    them. Most of a result recurs from person to person (texts, reasons, gaps, whole
    credential results, which the scorer remembers), so each such part is encoded once, by
    pydantic, and its bytes are reused. A property test holds the lines byte-equal to the
    TypeAdapter's."""

    LIMIT = 3072  # parts remembered, at most: memory stays flat in a batch of any length

    def __init__(self) -> None:
        from pydantic import TypeAdapter
        from pydantic_core import to_json

        from .models import Gap, Reason

        self._json = to_json
        self._dump_gap, self._dump_reason = TypeAdapter(Gap).dump_json, TypeAdapter(Reason).dump_json
        self._values: dict[object, bytes] = {}  # hashable values (texts, tuples of texts) -> their parts
        # id(object) -> its bytes. The objects are kept alive beside them, so an id found here
        # is the same object (two live objects never share an id).
        self._objects: dict[int, bytes] = {}
        self._alive: list[object] = []

    def line(self, result: Result, source: str, line: int) -> bytes:
        known = self._values.get
        start = ("start", source)
        middle = ("middle", result.as_of, result.ranking)
        end = ("end", result.warnings, result.disclaimer)
        return b"".join((
            known(start) or self._value(start, _source(source)),
            b"%d" % line, b',"schema_version":%d,"id":' % result.schema_version,
            b"null" if result.id is None else self._json(result.id),  # ids differ from person to person
            known(middle) or self._value(middle, b',"as_of":"%s","ranking":[%s],"roles":[' % (
                result.as_of.isoformat().encode(), b",".join(map(self._text, result.ranking)))),
            b",".join(map(self._role, result.roles)),
            known(end) or self._value(end, b'],"warnings":[%s],"disclaimer":%s}\n' % (
                b",".join(map(self._text, result.warnings)), self._text(result.disclaimer))),
        ))  # fmt: skip

    def _role(self, role: RoleResult) -> bytes:
        known, many = self._values.get, self._many
        start = ("role", role.id, role.title)
        return b"".join((
            known(start) or self._value(start, b'{"id":%s,"title":%s,"fit":' % (
                self._text(role.id), self._text(role.title))),
            b"%d" % role.fit,
            b',"eligible":true,"gaps":[' if role.eligible else b',"eligible":false,"gaps":[',
            many(role.gaps, self._gap), b'],"reasons":[', many(role.reasons, self._reason),
            b'],"certifications":[', many(role.certifications, self._credential), b"]}",
        ))  # fmt: skip

    def _credential(self, credential: CredentialResult) -> bytes:
        text = self._text
        on = credential.eligible_on
        return self._remember(credential, b"".join((
            b'{"id":', text(credential.id), b',"name":', text(credential.name),
            b',"abbreviation":', text(credential.abbreviation), b',"body":', text(credential.body),
            b',"confirmed":', b"true" if credential.confirmed else b"false",
            b',"eligible":', b"true" if credential.eligible else b"false",
            b',"route":', b"null" if credential.route is None else text(credential.route),
            b',"route_label":', b"null" if credential.route_label is None else text(credential.route_label),
            b',"gaps":[', self._many(credential.gaps, self._gap),
            b'],"eligible_on":', b"null" if on is None else b'"%s"' % on.isoformat().encode(),
            b',"notes":[', b",".join(map(text, credential.notes)), b"]}",
        )))  # fmt: skip

    def _many(self, values: tuple[T, ...], encode: Callable[[T], bytes]) -> bytes:
        """A comma-separated list of objects; each encoded once, while the table has room."""
        if not values:
            return b""
        try:  # the common case, every one known, without a Python call per object
            return b",".join(map(self._objects.__getitem__, map(id, values)))
        except KeyError:
            return b",".join([self._objects.get(id(value)) or encode(value) for value in values])

    def _text(self, value: str) -> bytes:
        return self._values.get(value) or self._value(value, self._json(value))

    def _value(self, key: object, encoded: bytes) -> bytes:
        if len(self._values) < self.LIMIT:
            self._values[key] = encoded
        return encoded

    def _gap(self, value: Gap) -> bytes:
        return self._remember(value, self._dump_gap(value))

    def _reason(self, value: Reason) -> bytes:
        return self._remember(value, self._dump_reason(value))

    def _remember(self, value: object, encoded: bytes) -> bytes:
        if len(self._objects) < self.LIMIT:
            self._alive.append(value)
            self._objects[id(value)] = encoded
        return encoded
