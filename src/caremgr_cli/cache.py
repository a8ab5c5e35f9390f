"""The validated catalog, cached by the roles file's content so repeated runs skip YAML and validation.

Two forms are kept side by side, written only after a full, successful validation:
- the Catalog itself (pickle), for scoring and text output;
- the JSON documents of --json and the role names for completion, readable without pydantic.
The key covers the file's bytes, caremgr's version and code, and Python's version, so any
change to the data or the program makes a new entry. Unreadable, foreign or broken entries
are ignored and rebuilt; a cache that cannot be written is skipped silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .files import default_roles_path, read_bytes

if TYPE_CHECKING:
    from .models import Catalog

PACKAGE = Path(__file__).resolve().parent


def cache_folder() -> Path | None:
    """$CAREMGR_CACHE_DIR, else $XDG_CACHE_HOME/caremgr or ~/.cache/caremgr; None when CAREMGR_NO_CACHE is set."""
    if os.environ.get("CAREMGR_NO_CACHE"):
        return None
    if os.environ.get("CAREMGR_CACHE_DIR"):
        return Path(os.environ["CAREMGR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "caremgr"


def _key(data: bytes) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"{__version__} {sys.version}".encode())
    for source in sorted(PACKAGE.glob("*.py")):  # an edited caremgr must not reuse old documents
        info = source.stat()
        digest.update(f"{source.name} {info.st_size} {info.st_mtime_ns}".encode())
    return digest.hexdigest()[:40]


def _read(name: str) -> bytes | None:
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / name
    try:
        info = path.stat()
        # Only our own, private files: a pickle from anyone else could run code.
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        return path.read_bytes()
    except OSError:
        return None


def _write(name: str, payload: bytes) -> None:
    folder = cache_folder()
    if folder is None:
        return
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
        temporary.replace(folder / name)
    except OSError:
        with contextlib.suppress(OSError):  # the folder itself may be what failed
            temporary.unlink()


def load_catalog(path: Path | str | None = None) -> Catalog:
    """The validated catalog of a roles file, from the cache when its content was seen before."""
    name, data = read_bytes(path if path is not None else default_roles_path())
    key = _key(data)
    blob = _read(f"{key}.catalog.pickle")
    cached = _unpickle(blob) if blob is not None else None
    if cached is not None:
        return cached
    from .loading import catalog_from_bytes

    catalog = catalog_from_bytes(name, data)
    _store(key, catalog)
    return catalog


def _unpickle(blob: bytes) -> Catalog | None:
    from .models import Catalog

    try:
        catalog = pickle.loads(blob)  # noqa: S301 - our own private file, checked in _read
    except Exception:  # a stale or broken entry is rebuilt, never fatal
        return None
    return catalog if isinstance(catalog, Catalog) else None


def load_documents(path: Path | str | None = None) -> dict[str, Any]:
    """Role names, summaries and --json documents of a roles file, without pydantic when cached."""
    name, data = read_bytes(path if path is not None else default_roles_path())
    key = _key(data)
    blob = _read(f"{key}.documents.json")
    if blob is not None:
        try:
            documents: dict[str, Any] = json.loads(blob)
            return documents
        except ValueError:
            pass
    from .loading import catalog_from_bytes

    catalog = catalog_from_bytes(name, data)
    return _store(key, catalog)


def _store(key: str, catalog: Catalog) -> dict[str, Any]:
    from .documents import catalog_documents

    documents = catalog_documents(catalog)
    _write(f"{key}.catalog.pickle", pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
    _write(f"{key}.documents.json", json.dumps(documents, ensure_ascii=False).encode())
    return documents
