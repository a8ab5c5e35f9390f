"""Reading and writing the user's files, with every failure as a plain problem (no yaml, no pydantic)."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        name = str(path)
        try:
            with Path(path).open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise DocumentError([Problem(name, "no such file")]) from None
        except IsADirectoryError:
            raise DocumentError([Problem(name, "is a folder, not a file")]) from None
        except PermissionError:
            raise DocumentError([Problem(name, "permission denied: cannot read it")]) from None
        except OSError as error:
            raise DocumentError([Problem(name, f"cannot read it: {error.strerror or error}")]) from None
    if len(data) > MAX_BYTES:
        raise DocumentError([Problem(name, f"is larger than the limit of {MAX_BYTES:,} bytes")])
    return name, data


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


def write_atomic(path: Path, text: str) -> None:
    """Write beside the target, flush to disk, then rename over it: never a half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):  # the folder itself may be what failed
            temporary.unlink()
        raise DocumentError([Problem(str(path), f"cannot save: {error.strerror or error}")]) from None
