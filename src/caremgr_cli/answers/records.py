"""Answers records for a batch: JSON Lines, CSV, or a YAML/JSON list, one record at a time.

JSON Lines and CSV are read a record at a time, so memory stays flat however long the input;
a YAML or JSON list is one document and is read whole, within the usual file size limit.
A record that cannot be read carries its problem, and the batch goes on.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from caremgr_cli.errors import excerpt
from caremgr_cli.files import MAX_BYTES, DocumentError, display_name, read_text, stdin_bytes
from caremgr_cli.reading import MAX_DEPTH, parse_yaml

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


class Record(NamedTuple):  # a tuple: one is made per record, and tuples are made fastest
    """One answers document, or why it could not be read, with where it came from."""

    source: str
    line: int | None
    document: Any = None
    problem: str | None = None


def format_of(name: str, chosen: str | None) -> str | None:
    """The input format: as chosen, else by extension, else JSON Lines for stdin."""
    if chosen:
        return chosen
    if name == "-":
        return "jsonl"
    return EXTENSIONS.get(Path(name).suffix.lower())


class _Counted(io.RawIOBase):
    """A binary file that counts the bytes read from it, for a progress bar."""

    def __init__(self, raw: io.FileIO, tick: Callable[[int], None]) -> None:
        self.raw, self.tick = raw, tick

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer) or 0
        self.tick(count)
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_binary(name: str, tick: Callable[[int], None] | None = None) -> IO[bytes]:
    if name == "-":
        return stdin_bytes()
    if tick is None:
        return Path(name).open("rb")
    return io.BufferedReader(_Counted(Path(name).open("rb", buffering=0), tick))


def read_records(name: str, fmt: str, tick: Callable[[int], None] | None = None) -> Iterator[Record]:
    source = "<stdin>" if name == "-" else display_name(name)
    try:
        if fmt in ("yaml", "json"):
            yield from _list_records(name, source)
            return
        handle = open_binary(name, tick)
    except DocumentError as error:
        yield Record(source, None, problem=error.problems[0].message)
        return
    except OSError as error:
        yield Record(source, None, problem=_os_problem(error))
        return
    with handle if name != "-" else contextlib.nullcontext(handle):  # never close stdin
        yield from (_jsonl_records if fmt == "jsonl" else _csv_records)(handle, source)


def _os_problem(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot read it: {error.strerror or error}"


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (as the YAML loader does)."""
    document = dict(pairs)
    if len(document) == len(pairs):
        return document
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {excerpt(key)}")
        seen.add(key)
    raise AssertionError("unreachable: a shorter dict means a repeated key")


def _jsonl_records(handle: IO[bytes], source: str) -> Iterator[Record]:
    number = 0
    while True:
        raw = handle.readline(MAX_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_BYTES:
            while raw and not raw.endswith(b"\n"):  # skip the rest of the overlong line
                raw = handle.readline(MAX_BYTES)
            yield Record(source, number, problem=f"line is longer than the limit of {MAX_BYTES:,} bytes")
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw or raw.isspace():  # (empty: a file of just a byte-order mark)
            continue
        yield _parse_line(source, number, raw)


def _parse_line(source: str, number: int, raw: bytes) -> Record:
    """A JSON line parsed by json, refusing duplicate keys, with json's messages for a bad one."""
    try:
        # Decoded here, strictly: json.loads of bytes lets encoded surrogates through.
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        problem = "is not UTF-8 text"
    except RecursionError:  # json recurses once a level: a deep enough line exhausts the stack
        problem = f"is nested more than {MAX_DEPTH} levels deep"
    except ValueError as error:
        message = error.msg if isinstance(error, json.JSONDecodeError) else _value_error(error)
        where = f" (column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        problem = f"not a JSON document: {message}{where}"
    else:
        shape = _shape_problem(raw, document)
        return Record(source, number, document) if shape is None else Record(source, number, problem=shape)
    return Record(source, number, problem=problem)


def _value_error(error: ValueError) -> str:
    if "Exceeds the limit" in str(error):  # Python's own wording names sys.set_int_max_str_digits()
        return "a number of more than 4,300 digits"
    return str(error)  # a duplicate key (_unique_keys)


def _shape_problem(raw: bytes, document: Any) -> str | None:
    """Nesting deeper than MAX_DEPTH, or text that is not Unicode (a lone surrogate such as
    "\\ud800", which json lets through). Most lines are too small to need the walk."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH and b"\\u" not in raw:
        return None
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"is nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            stack += [(part, depth + 1) for pair in value.items() for part in pair]
        elif isinstance(value, list):
            stack += [(item, depth + 1) for item in value]
        elif isinstance(value, str) and _SURROGATE.search(value):
            return f"holds text that is not valid Unicode (a lone surrogate) in {excerpt(value)}"
    return None


_SURROGATE = re.compile("[\\ud800-\\udfff]")


# Answers fields that hold a list: a CSV cell gives them as values separated by ';'.
_LIST_FIELDS = {"certifications", "licenses"}


def _csv_records(handle: IO[bytes], source: str) -> Iterator[Record]:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        yield from _csv_rows(csv.reader(text), source)
    finally:
        text.detach()  # the caller owns (and may not close) the binary stream


def _csv_rows(reader: Any, source: str) -> Iterator[Record]:
    try:
        header = next(reader)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                yield Record(source, reader.line_num, problem=f"has {len(row)} cells but the header has {len(header)}")
                continue
            try:
                yield Record(source, reader.line_num, _csv_document(header, row))
            except ValueError as error:
                yield Record(source, reader.line_num, problem=str(error))
    except StopIteration:
        return
    except UnicodeDecodeError:
        yield Record(source, reader.line_num + 1, problem="is not UTF-8 text")
    except csv.Error as error:
        yield Record(source, reader.line_num, problem=f"not valid CSV: {error}")


def _csv_document(header: list[str], row: list[str]) -> dict[str, Any]:
    """Dotted column names (education.level, skills.clinical) become nested fields; empty cells are omitted."""
    document: dict[str, Any] = {}
    for column, cell in zip(header, row, strict=False):
        value = cell.strip()
        if not value:
            continue
        path = column.strip().split(".")
        if len(path) > MAX_DEPTH:
            raise ValueError(f"column {excerpt(column)} is nested more than {MAX_DEPTH} levels deep")
        node = document
        for key in path[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise ValueError(f"column {excerpt(column)} is inside {excerpt(key)}, which has a value of its own")
        if isinstance(node.get(path[-1]), dict):
            raise ValueError(f"column {excerpt(column)} has a value but other columns are inside it")
        node[path[-1]] = _csv_value(column.strip(), value)
    return document


def _csv_value(column: str, value: str) -> Any:
    if column in _LIST_FIELDS:
        return [part.strip() for part in value.split(";") if part.strip()]
    if column != "id" and _NUMBER.match(value):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return value


def _list_records(name: str, source: str) -> Iterator[Record]:
    import yaml

    display, text = read_text(name)
    data, root = parse_yaml(text, display)
    if not isinstance(data, list) or not isinstance(root, yaml.SequenceNode):
        yield Record(source, 1, problem="must be a list of answers documents")
        return
    for item, node in zip(data, root.value, strict=True):
        yield Record(source, int(node.start_mark.line) + 1, item)
