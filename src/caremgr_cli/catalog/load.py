"""A roles file -> a validated Catalog, or every problem as `file:line: key.path: message`.

After a full validation, two plain JSON forms are cached by the file's content (cache.py
keeps them private): the catalog itself, validated again by pydantic when read back, and
the role names and --json documents, which `compare --json`, `show --json` and completion
read without importing pydantic or yaml. A cache entry of the wrong shape is rebuilt.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caremgr_cli import cache
from caremgr_cli.files import DocumentError, Problem, decode_text, default_roles_path, read_bytes

if TYPE_CHECKING:
    from .models import Catalog


def load_catalog(path: Path | str | None = None) -> Catalog:
    """The validated catalog of a roles file (the packaged one by default)."""
    name, data = read_bytes(path if path is not None else default_roles_path())
    entry = f"{cache.key(data)}.catalog.json"
    blob = cache.read(entry)
    if blob is not None:
        from pydantic import ValidationError

        from .models import Catalog

        try:
            return Catalog.model_validate_json(blob)
        except ValidationError:
            pass  # a stale or broken entry: rebuilt below
    catalog = catalog_from_bytes(name, data)
    _store(data, catalog)
    return catalog


def load_documents(path: Path | str | None = None) -> dict[str, Any]:
    """Role names, summaries and --json documents of a roles file; without pydantic when cached."""
    name, data = read_bytes(path if path is not None else default_roles_path())
    blob = cache.read(f"{cache.key(data)}.documents.json")
    if blob is not None:
        documents = _documents_or_none(blob)
        if documents is not None:
            return documents
    return _store(data, catalog_from_bytes(name, data))


def _documents_or_none(blob: bytes) -> dict[str, Any] | None:
    """The cached documents if they have the shape _store writes, else None (rebuild them)."""
    try:
        documents = json.loads(blob)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than json can follow
        return None
    if not isinstance(documents, dict) or set(documents) != {"role_names", "roles", "documents"}:
        return None
    names, roles, by_id = documents["role_names"], documents["roles"], documents["documents"]
    shaped = (
        isinstance(names, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in names.items())
        and isinstance(roles, list)
        and all(
            isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("aliases"), list) for r in roles
        )
        and isinstance(by_id, dict)
        and all(isinstance(by_id.get(r["id"]), dict) for r in roles)
        and set(names.values()) <= {r["id"] for r in roles}
    )
    return documents if shaped else None


def _store(data: bytes, catalog: Catalog) -> dict[str, Any]:
    from caremgr_cli.output.json import catalog_documents

    documents = catalog_documents(catalog)
    key = cache.key(data)
    cache.write(f"{key}.catalog.json", catalog.model_dump_json().encode())
    cache.write(f"{key}.documents.json", json.dumps(documents, ensure_ascii=False).encode())
    return documents


def catalog_from_bytes(name: str, raw: bytes) -> Catalog:
    """Parse and validate the bytes of a roles file named `name`, with every reference checked."""
    from caremgr_cli.reading import by_line, format_key_path, locate, not_a_mapping, parse_yaml, validate_document

    from .checks import find_problems
    from .models import Catalog

    name, text = decode_text(name, raw)
    data, root = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise not_a_mapping(name, data, root)
    catalog = validate_document(data, root, name, Catalog)
    problems = [
        Problem(name, message, locate(root, loc), format_key_path(loc)) for loc, message in find_problems(catalog)
    ]
    if problems:
        raise DocumentError(sorted(problems, key=by_line))
    return catalog
