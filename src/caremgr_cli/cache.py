"""A small store of plain bytes on disk, for what caremgr would otherwise rebuild on every run.

Callers produce the bytes (JSON) and validate them on read: an entry is a hint, never trusted
code, so there is no pickle here. Still, a cache is read before anything is checked, so it is
used only in a folder that is the user's own and that no one else can write: every check is
made on open descriptors (fstat), not on paths that could be swapped between check and use.
A cache that cannot be used is skipped silently: caremgr then simply runs uncached.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import sys
from functools import cache
from pathlib import Path

from . import __version__

PACKAGE = Path(__file__).resolve().parent
MAX_ENTRY_BYTES = 4_000_000
KEEP = 48  # entries: a few roles files across a few versions of caremgr
ENTRY = re.compile(r"[0-9a-f]{40}\.[a-z][a-z-]*\.json")

# O_NONBLOCK: a FIFO planted as an entry opens at once (and is then refused) instead of waiting
# for a writer. O_NOFOLLOW: a symlink, e.g. to /proc/self/fd/0, is never opened at all.
_READ_ENTRY = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_NEW_ENTRY = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_OPEN_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def folder() -> Path | None:
    """$CAREMGR_CACHE_DIR, else $XDG_CACHE_HOME/caremgr, else ~/.cache/caremgr; None for no cache.

    A relative path is ignored, as the XDG base directory spec asks: it would name a different
    folder in every working directory.
    """
    if os.environ.get("CAREMGR_NO_CACHE", "") not in {"", "0"}:
        return None
    chosen = os.environ.get("CAREMGR_CACHE_DIR")
    if chosen:
        # The user named this folder: a relative one is refused rather than replaced by another.
        return Path(chosen) if Path(chosen).is_absolute() else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "caremgr"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME and no passwd entry, as in some containers
        return None
    return home / ".cache" / "caremgr" if home.is_absolute() else None


def key(*parts: bytes | str) -> str:
    """A name for what parts make, that changes with caremgr, its code and Python too."""
    digest = hashlib.sha256()
    for part in (*parts, _code_fingerprint()):
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # so ("ab", "c") and ("a", "bc") differ
        digest.update(data)
    return digest.hexdigest()[:40]


@cache
def _code_fingerprint() -> str:
    """caremgr's and Python's versions, and the size and time of every module of caremgr:
    an edited caremgr must not reuse what an older one stored."""
    lines = [f"caremgr {__version__}", f"python {sys.version}"]
    for source in sorted(PACKAGE.rglob("*.py")):
        info = source.stat()
        lines.append(f"{source.relative_to(PACKAGE).as_posix()} {info.st_size} {info.st_mtime_ns}")
    return "\n".join(lines)


def read(name: str, max_bytes: int = MAX_ENTRY_BYTES) -> bytes | None:
    """The entry's bytes, or None when there is none or it cannot be trusted."""
    _check_name(name)
    place = folder()
    if place is None:
        return None
    try:
        folder_fd = _open_private_folder(place)
        if folder_fd is None:
            return None
        try:
            data = _read_entry(folder_fd, name, max_bytes)
        finally:
            os.close(folder_fd)
    except OSError:
        return None
    return data if data is not None and len(data) <= max_bytes else None


def write(name: str, payload: bytes) -> None:
    """Store payload under name, then drop the oldest entries; any failure only skips the cache."""
    _check_name(name)
    place = folder()
    if place is None or len(payload) > MAX_ENTRY_BYTES:
        return
    with contextlib.suppress(OSError):
        _make_folder(place)
        folder_fd = _open_private_folder(place)
        if folder_fd is None:
            return
        try:
            _store(folder_fd, name, payload)
            _prune(folder_fd)
        finally:
            os.close(folder_fd)


def _check_name(name: str) -> None:
    if not ENTRY.fullmatch(name):
        raise ValueError(f"not a cache entry name: {name!r}")


def _is_private(info: os.stat_result) -> bool:
    """Owned by the user and writable by no one else: only then can no one else have put it there."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_private_folder(place: Path) -> int | None:
    """A descriptor of the folder when it is a real folder (not a symlink) and private, else None.

    Entries are then opened relative to this descriptor, so the folder checked is the folder used.
    """
    descriptor = os.open(place, _OPEN_FOLDER)
    info = os.fstat(descriptor)
    if stat.S_ISDIR(info.st_mode) and _is_private(info):
        return descriptor
    os.close(descriptor)
    return None


def _make_folder(place: Path) -> None:
    """Create place and any missing parents, each 0700: Path.mkdir gives parents the default mode."""
    try:
        place.mkdir(mode=0o700)
    except FileExistsError:
        return  # whatever it is, _open_private_folder decides whether to trust it
    except FileNotFoundError:
        if place.parent == place:
            raise
        _make_folder(place.parent)
        place.mkdir(mode=0o700)


def _read_entry(folder_fd: int, name: str, max_bytes: int) -> bytes | None:
    descriptor = os.open(name, _READ_ENTRY, dir_fd=folder_fd)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or not _is_private(info) or info.st_size > max_bytes:
            return None
        return _read_at_most(descriptor, max_bytes + 1)  # one more byte shows a file that grew
    finally:
        os.close(descriptor)


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(descriptor, remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _store(folder_fd: int, name: str, payload: bytes) -> None:
    """Write a temporary file with a fresh random name (O_EXCL, O_NOFOLLOW), then rename it over name.

    Like tempfile.mkstemp, but relative to the checked folder's descriptor. No fsync: an entry
    cut short by a crash fails its caller's validation and is rebuilt.
    """
    temporary = f".{name}.{os.urandom(8).hex()}.tmp"
    descriptor = os.open(temporary, _NEW_ENTRY, 0o600, dir_fd=folder_fd)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # a umask such as 0277 must not make it unreadable to us
            handle.write(payload)
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:  # Ctrl-C too: never leave a temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        raise


def _prune(folder_fd: int) -> None:
    """Every new roles file, caremgr or Python makes new entries: keep only the KEEP most recently
    written, so the folder never grows without end. Only caremgr's own entries are counted or
    removed: the folder may be one the user chose, holding other files."""
    written: list[tuple[int, str]] = []
    for entry in os.listdir(folder_fd):
        if ENTRY.fullmatch(entry):
            with contextlib.suppress(OSError):  # another caremgr may be pruning too
                written.append((os.stat(entry, dir_fd=folder_fd, follow_symlinks=False).st_mtime_ns, entry))
    written.sort()
    for _, entry in written[: max(0, len(written) - KEEP)]:
        with contextlib.suppress(OSError):
            os.unlink(entry, dir_fd=folder_fd)
