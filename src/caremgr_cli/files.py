"""Reading and writing the user's files, with every failure as a plain problem (no yaml, no pydantic)."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import UserError

MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None
    key_path: str = ""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.key_path}: {self.message}" if self.key_path else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "key_path": self.key_path, "message": self.message}


class DocumentError(UserError):
    """A file or document with one or more problems, all reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([str(problem) for problem in problems])
        self.problems = problems


def default_roles_path() -> Path:
    """The catalog shipped in the wheel, or the checkout's data/roles.yaml when run from source."""
    packaged = Path(__file__).resolve().parent / "data" / "roles.yaml"
    return packaged if packaged.is_file() else packaged.parents[3] / "data" / "roles.yaml"


def read_bytes(path: Path | str) -> tuple[str, bytes]:
    """Return (display name, bytes) of a file, or of stdin for '-', within the size limit."""
    if str(path) == "-":
        name = "<stdin>"
        data = stdin_bytes().read(MAX_BYTES + 1)
    else:
        name = display_name(path)
        try:
            with Path(path).open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise DocumentError([Problem(name, reading_problem(error))]) from None
    if len(data) > MAX_BYTES:
        raise DocumentError([Problem(name, f"is larger than the limit of {MAX_BYTES:,} bytes")])
    return name, data


def reading_problem(error: OSError) -> str:
    """Why a file could not be opened or read, in plain words."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(error, PermissionError):
        return "permission denied: cannot read it"
    return f"cannot read it: {error.strerror or error}"


def display_name(path: Path | str) -> str:
    """A path as text that can be written anywhere: bytes that are not UTF-8 (which Python keeps
    as lone surrogates) become escapes such as \\xff."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def stdin_bytes() -> BinaryIO:
    """Standard input as bytes, or a problem when the program was started with it closed (`<&-`)."""
    if sys.stdin is None:
        raise DocumentError([Problem("<stdin>", "is closed: there is nothing to read")])
    return sys.stdin.buffer


def read_text(path: Path | str) -> tuple[str, str]:
    """Return (display name, text) of a file, or of stdin for '-'."""
    return decode_text(*read_bytes(path))


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """UTF-8 text (a BOM is fine), or a problem naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DocumentError([Problem(name, f"is not UTF-8 text (bad byte at offset {error.start})", line)]) from None
    return name, text


def write_atomic(path: Path, data: str | bytes, *, new_mode: int = 0o600) -> None:
    """Replace a file's content all at once, or raise DocumentError and leave it as it was.

    A symlink is followed and its final target replaced; a file that exists keeps its
    permission bits, a new one gets new_mode (answers are personal data, hence 0600).
    """
    target, old_mode = _regular_target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _replace(target, payload, new_mode if old_mode is None else old_mode)
    except OSError as error:
        raise DocumentError([Problem(str(path), f"cannot save: {error.strerror or error}")]) from None


def _regular_target(path: Path) -> tuple[Path, int | None]:
    """The file a write to path lands in, and its permission bits (None: it does not exist yet).

    Only stat is used: opening a FIFO to find out what it is would block.
    """
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()  # a symlink loop, left unresolved by realpath, fails here
    except FileNotFoundError:
        return target, None  # a missing folder is reported when the temporary file cannot be made
    except OSError as error:
        raise DocumentError([Problem(str(path), f"cannot save: {error.strerror or error}")]) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError([Problem(str(path), "is a folder, not a file")])
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError([Problem(str(path), f"is not a regular file ({_kind(info.st_mode)})")])
    # Set-id and sticky bits are not carried over: on a data file they only widen what it can do.
    return target, stat.S_IMODE(info.st_mode) & 0o777


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "an unusual kind of file"


def _replace(target: Path, payload: bytes, mode: int) -> None:
    """Write a fresh temporary file beside target, flush it to disk, then rename it over target.

    mkstemp's random name, opened with O_EXCL|O_NOFOLLOW, means no one who can write to the
    folder can plant a symlink at the name in advance and have us write through it.
    """
    import tempfile  # about 15 ms: paid only by a save, not by every run that reads files

    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), mode)  # unlike the mode given to open, fchmod ignores the umask
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
    except BaseException:  # Ctrl-C too: never leave a temporary file behind
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some platforms and file systems cannot, which is no failure."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
