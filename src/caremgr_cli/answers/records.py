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
from typing import IO, Any, NamedTuple, cast

from caremgr_cli.errors import excerpt
from caremgr_cli.files import MAX_BYTES, DocumentError, display_name, read_text, reading_problem, stdin_bytes
from caremgr_cli.reading import MAX_DEPTH, parse_yaml

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


class Record(NamedTuple):  # a tuple: one is made per record, and tuples are made fastest
    """One answers document, or why it could not be read, with where it came from."""

    source: str
    line: int | None
    document: Any = None
    problem: str | None = None
    # A CSV row's cells in columns that are not answers fields (name, email, notes), as given.
    kept: tuple[tuple[str, str], ...] = ()


class Columns(NamedTuple):
    """How a CSV header is read: which columns are answers fields (the rest are kept and passed
    through), and whom to tell which were kept. None: every column is an answers field."""

    is_answer: Callable[[str], bool] | None = None
    tell_kept: Callable[[str, list[str]], None] | None = None


def format_of(name: str, chosen: str | None) -> str | None:
    """The input format: as chosen, else by extension; for stdin, told from its first byte."""
    if chosen:
        return chosen
    if name == "-":
        return "auto"
    return EXTENSIONS.get(Path(name).suffix.lower())


def _peekable(handle: IO[bytes]) -> IO[bytes]:
    """The stream itself when it can show what comes without taking it, else a buffer over it."""
    return handle if hasattr(handle, "peek") else cast(IO[bytes], io.BufferedReader(cast(Any, handle)))


def _told_apart(handle: IO[bytes]) -> str:
    """JSON Lines start with '{' (after any byte-order mark and blank space); anything else on
    stdin is read as CSV, whose header names the answers fields."""
    start = cast(Any, handle).peek(64)[:64].removeprefix(b"\xef\xbb\xbf").lstrip()
    return "jsonl" if not start or start.startswith(b"{") else "csv"


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


def read_records(
    name: str,
    fmt: str,
    tick: Callable[[int], None] | None = None,
    delimiter: str | None = None,
    columns: Columns = Columns(),  # noqa: B008 - a tuple, never changed
) -> Iterator[Record]:
    """The records of one input; `delimiter` and `columns` say how to read CSV (delimiter None:
    told from the header line)."""
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
        yield Record(source, None, problem=reading_problem(error))
        return
    with handle if name != "-" else contextlib.nullcontext(handle):  # never close stdin
        if fmt != "auto":
            yield from _records_of(handle, fmt, source, delimiter, columns)
            return
        peekable = _peekable(handle)
        try:
            yield from _records_of(peekable, _told_apart(peekable), source, delimiter, columns)
        finally:
            if peekable is not handle:  # a buffer of ours over stdin: it must not close stdin
                cast(io.BufferedReader, peekable).detach()


def _records_of(handle: IO[bytes], fmt: str, source: str, delimiter: str | None, columns: Columns) -> Iterator[Record]:
    return _jsonl_records(handle, source) if fmt == "jsonl" else _csv_records(handle, source, delimiter, columns)


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


TOO_LONG = f"line is longer than the limit of {MAX_BYTES:,} bytes"


def bounded_lines(handle: IO[bytes]) -> Iterator[bytes | None]:
    """Every line, read within MAX_BYTES so that no line can make memory grow without bound:
    None for a longer one (its rest is skipped). A byte-order mark before the first is dropped."""
    first = True
    while raw := handle.readline(MAX_BYTES + 1):
        if len(raw) > MAX_BYTES:
            while raw and not raw.endswith(b"\n"):  # skip the rest of the overlong line
                raw = handle.readline(MAX_BYTES)
            yield None
        else:
            yield raw.removeprefix(b"\xef\xbb\xbf") if first else raw
        first = False


def numbered_lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Each line that is not blank, with its number: None for one over the limit."""
    for number, raw in enumerate(bounded_lines(handle), start=1):
        if raw is None or (raw and not raw.isspace()):  # (empty: a file of just a byte-order mark)
            yield number, raw


def _jsonl_records(handle: IO[bytes], source: str) -> Iterator[Record]:
    for number, raw in numbered_lines(handle):
        yield Record(source, number, problem=TOO_LONG) if raw is None else _parse_line(source, number, raw)


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


class _Lines:
    """A CSV file's lines, decoded one at a time for csv.reader, so that a line that is not
    UTF-8, or longer than the limit, spoils only the row it is in: it is remembered by its
    number, and given to the reader as replaced or empty text that keeps the rows aligned."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.raw_lines = bounded_lines(handle)
        self.number = 0
        self.bad: dict[int, str] = {}
        self.taken: list[str] = []  # the lines of the row being read (csv.reader takes them one by one)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = next(self.raw_lines)  # StopIteration at the end ends the reader too
        self.number += 1
        if raw is None:
            self.bad[self.number] = TOO_LONG
            return self._took("\n")
        try:
            return self._took(raw.decode("utf-8"))
        except UnicodeDecodeError:
            self.bad[self.number] = 'is not UTF-8 text (save the spreadsheet as "CSV UTF-8")'
            return self._took(raw.decode("utf-8", "replace"))

    def _took(self, line: str) -> str:
        if len(self.taken) < MAX_ROW_LINES:
            self.taken.append(line)
        return line

    def problem_in(self, first: int, last: int) -> str | None:
        """The problem of a bad line among lines first..last (one row's), if any."""
        return next((self.bad[number] for number in range(first, last + 1) if number in self.bad), None)


DELIMITERS = ",;\t"
# A row's lines kept to check for a quote left open (a cell of at most csv's field limit).
MAX_ROW_LINES = 1_000


def _csv_records(handle: IO[bytes], source: str, delimiter: str | None, columns: Columns) -> Iterator[Record]:
    lines = _Lines(handle)
    header_line = next(lines, None)
    if header_line is None:
        return
    if 1 in lines.bad:
        yield Record(source, 1, problem=f"the header {lines.bad[1]}")
        return
    chosen = delimiter or _sniffed(header_line)
    header = next(csv.reader([header_line], delimiter=chosen), [])
    twice = _repeated_column(header)
    if twice is not None:
        yield Record(source, 1, problem=twice)
        return
    is_answer = columns.is_answer or (lambda _column: True)
    kept = [index for index, column in enumerate(header) if not is_answer(column.strip())]
    if kept and columns.tell_kept is not None:
        columns.tell_kept(source, [header[index].strip() for index in kept])
    blank = tuple((header[index].strip(), "") for index in kept)  # for a row that cannot be read
    reader = csv.reader(lines, delimiter=chosen)
    while True:
        first = lines.number + 1
        lines.taken.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # an oversized or malformed field: this row only
            yield Record(source, first, problem=f"not valid CSV: {_csv_problem(error)}", kept=blank)
            continue
        rows = [(first, row)]
        if len(lines.taken) > 1 and _left_open(lines.taken, chosen):
            # A quote left open swallowed whole rows: report it, and read those rows on their own.
            alone = next(csv.reader(lines.taken[:1], delimiter=chosen), [])
            yield _csv_record(source, first, header, alone, kept)._replace(
                problem="has a quote that is not closed on its line"
            )
            again = csv.reader(lines.taken[1:], delimiter=chosen)
            rows = [(first + offset, cells) for offset, cells in enumerate(again, start=1)]
        for number, cells in rows:
            if not any(cell.strip() for cell in cells) and lines.problem_in(number, number) is None:
                continue
            record = _csv_record(source, number, header, cells, kept)
            problem = lines.problem_in(number, lines.number if len(rows) == 1 else number)
            yield record if problem is None else record._replace(problem=problem)


def _left_open(taken: list[str], delimiter: str) -> bool:
    """Whether a row over several lines ran on only because a quote was left open: read
    strictly, its quotes do not close where CSV allows them to (a quoted note over two lines,
    Excel's Alt+Enter, does)."""
    try:
        for _ in csv.reader(taken, delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def _csv_problem(error: csv.Error) -> str:
    """csv's own words, where they speak of Python rather than of the file."""
    text = str(error)
    if text.startswith("new-line character seen in unquoted field"):
        return "a line break inside a cell that is not quoted"
    if text.startswith("field larger than field limit"):
        return f"a cell is longer than the limit of {csv.field_size_limit():,} characters"
    return text


def _sniffed(header: str) -> str:
    """The delimiter of a header line: comma, semicolon or tab (a comma when it cannot tell)."""
    try:
        return csv.Sniffer().sniff(header, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _repeated_column(header: list[str]) -> str | None:
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        key = name.strip()
        if key in seen and key:
            return f"column {excerpt(key)} is given twice (columns {seen[key]} and {position})"
        seen.setdefault(key, position)
    return None


def _csv_record(source: str, line: int, header: list[str], row: list[str], kept: list[int]) -> Record:
    if len(row) > len(header):
        return Record(source, line, problem=f"has {len(row)} cells but the header has {len(header)}")
    passed = tuple((header[index].strip(), row[index] if index < len(row) else "") for index in kept)
    answers = [(column, cell) for index, (column, cell) in enumerate(zip(header, row, strict=False))
               if index not in kept]  # fmt: skip
    try:
        return Record(source, line, _csv_document(answers), kept=passed)
    except ValueError as error:
        return Record(source, line, problem=str(error), kept=passed)


def _csv_document(cells: list[tuple[str, str]]) -> dict[str, Any]:
    """Dotted column names (education.level, skills.clinical) become nested fields; empty cells are omitted."""
    document: dict[str, Any] = {}
    for column, cell in cells:
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
