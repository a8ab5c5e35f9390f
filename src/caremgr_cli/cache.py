"""What caremgr would otherwise rebuild on every run, cached on disk.

For a roles file, keyed by its content, two forms are kept side by side, written only
after a full, successful validation:
- the Catalog itself (pickle), for scoring and text output;
- the JSON documents of --json and the role names for completion, readable without pydantic.
Besides, the answers validator (pickle): pydantic takes about 20 ms to build it from the
models, and `quiz --answers` runs in loops.
Keys cover caremgr's version and code and Python's version, and for pickles pydantic's
too, so any change to the data or the programs makes a new entry. Unreadable, foreign or
broken entries are ignored and rebuilt; a cache that cannot be written is skipped silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

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


def _key(data: bytes, *, pickled: bool = False) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"{__version__} {sys.version}".encode())
    if pickled:  # pickles hold pydantic's objects: a new pydantic must not read old ones
        import pydantic_core
        from pydantic.version import VERSION

        digest.update(f"pydantic {VERSION} {pydantic_core.__version__}".encode())
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
        return
    _prune(folder)


KEEP = 48  # entries: a few roles files across a few versions of caremgr
ENTRY = r"[0-9a-f]{40}\.(?:catalog\.pickle|documents\.json|answers-validator\.pickle)"


def _prune(folder: Path) -> None:
    """Every new file, caremgr version or Python makes new entries: drop the least recently
    written beyond KEEP, so the folder never grows without end."""
    import re  # only after a write: completion and --json stay cheap

    with contextlib.suppress(OSError):  # another caremgr may be pruning too
        # Only caremgr's own entries: the folder may be one the user chose, holding other files.
        ours = [entry for entry in folder.iterdir() if re.fullmatch(ENTRY, entry.name)]
        entries = sorted(ours, key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[: max(0, len(entries) - KEEP)]:
            entry.unlink(missing_ok=True)


def load_catalog(path: Path | str | None = None) -> Catalog:
    """The validated catalog of a roles file, from the cache when its content was seen before."""
    from .models import Catalog

    name, data = read_bytes(path if path is not None else default_roles_path())
    cached = _unpickle(f"{_key(data, pickled=True)}.catalog.pickle", Catalog)
    if cached is not None:
        return cached
    from .loading import catalog_from_bytes

    catalog = catalog_from_bytes(name, data)
    _store(data, catalog)
    return catalog


T = TypeVar("T")


def _unpickle(name: str, kind: type[T]) -> T | None:
    blob = _read(name)
    if blob is None:
        return None
    try:
        value = pickle.loads(blob)  # noqa: S301 - our own private file, checked in _read
    except Exception:  # a stale or broken entry is rebuilt, never fatal
        return None
    return value if isinstance(value, kind) else None


class AnswersValidator(Protocol):
    """The Answers model's validator (pydantic-core's SchemaValidator, or pydantic's wrapper)."""

    def validate_python(self, data: Any, /) -> Any: ...

    def validate_json(self, data: bytes, /) -> Any: ...


@cache
def answers_validator() -> AnswersValidator:
    """The validator of answers documents: the Answers model's own, built once per install."""
    from pydantic_core import SchemaValidator

    from .models import Answers

    name = f"{_key(b'answers', pickled=True)}.answers-validator.pickle"
    validator = _unpickle(name, SchemaValidator)
    if validator is not None:
        return validator
    Answers.model_rebuild()  # builds the deferred schema
    built = Answers.__pydantic_validator__
    if isinstance(built, SchemaValidator):  # not when pydantic plugins wrap it
        _write(name, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    return built


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
    return _store(data, catalog)


def _store(data: bytes, catalog: Catalog) -> dict[str, Any]:
    from .documents import catalog_documents

    documents = catalog_documents(catalog)
    pickled = pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL)
    _write(f"{_key(data, pickled=True)}.catalog.pickle", pickled)
    _write(f"{_key(data)}.documents.json", json.dumps(documents, ensure_ascii=False).encode())
    return documents
