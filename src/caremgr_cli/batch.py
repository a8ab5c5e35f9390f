"""Scoring many answers documents: records in, one result per record out, in order, streaming.

JSON Lines and CSV are read a record at a time, so memory stays flat however long the input;
a YAML or JSON list is one document and is read whole, within the usual file size limit.
A bad record becomes an error record and the batch goes on.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any, NamedTuple

from pydantic import BaseModel, ValidationError

from .cache import AnswersValidator, answers_validator
from .documents import SCHEMA_VERSION, ResultLines
from .files import MAX_BYTES, DocumentError, read_text
from .loading import describe_error, format_key_path, parse_yaml
from .models import Answers, Catalog, Result, describe_unknown
from .scoring import score_answers

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


class Record(NamedTuple):  # a tuple: one is made per record, and tuples are made fastest
    """One answers document, or why it could not be read, with where it came from."""

    source: str
    line: int | None
    document: Any = None
    problem: str | None = None
    raw: bytes | None = None  # a JSON line not parsed yet: score_records parses and validates it at once


class Outcome(NamedTuple):
    record: Record
    result: Result | None
    errors: tuple[str, ...] = ()


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
        return sys.stdin.buffer
    if tick is None:
        return Path(name).open("rb")
    return io.BufferedReader(_Counted(Path(name).open("rb", buffering=0), tick))


def read_records(name: str, fmt: str, tick: Callable[[int], None] | None = None) -> Iterator[Record]:
    source = "<stdin>" if name == "-" else name
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
            raise ValueError(f"duplicate key '{key}'")
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
        yield Record(source, number, raw=raw)


def _parse_line(record: Record) -> Record:
    """A JSON line parsed by json, refusing duplicate keys, with json's messages for a bad one."""
    assert record.raw is not None
    try:
        return record._replace(document=json.loads(record.raw, object_pairs_hook=_unique_keys), raw=None)
    except UnicodeDecodeError:
        problem = "is not UTF-8 text"
    except ValueError as error:
        message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        where = f" (column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        problem = f"not a JSON document: {message}{where}"
    return record._replace(problem=problem, raw=None)


_KEY_END = re.compile(rb'"\s*:')
_SPACED_KEY_END = re.compile(rb'"\s+:')


def _quick_answers(validator: AnswersValidator, raw: bytes) -> Answers | None:
    """Answers straight from a JSON line, or None to take the exact way (_parse_line, then
    validation). pydantic's JSON validation is faster than parsing and validating apart, but
    keeps the last of two equal keys: its answers are taken only when they were given as many
    keys as the line has places where a key can end. Anything else (a duplicate, a quote and
    colon inside a string, a line pydantic refuses) takes the exact way, whose messages users see."""
    try:
        answers: Answers = validator.validate_json(raw)
    except ValueError:
        return None
    return answers if _given_keys(answers) == _key_ends(raw) else None


def _key_ends(raw: bytes) -> int:
    """Where a key can end: a quote, maybe spaces, a colon (never fewer than there are keys)."""
    if _SPACED_KEY_END.search(raw):
        return len(_KEY_END.findall(raw))
    return raw.count(b'":')  # the same count, found faster


def _given_keys(answers: Answers) -> int:
    """The keys the answers were given, nested ones too (read from the fields pydantic saw set:
    never more than there were, so a miscount only sends the line the exact way)."""
    given = answers.__pydantic_fields_set__
    sections = answers.__dict__
    count = len(given) + len(answers.skills)
    for name in _SECTIONS:
        if name in given:
            count += len(sections[name].__pydantic_fields_set__)
    return count


# The answers' sections (education, licenses, ...): models whose fields are plain values.
_SECTIONS = tuple(name for name, field in Answers.model_fields.items()
                  if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel))  # fmt: skip


# Answers fields that hold a list: a CSV cell gives them as values separated by ';'.
_LIST_FIELDS = {"certifications"}


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
        node = document
        for key in path[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise ValueError(f"column '{column}' is inside '{key}', which has a value of its own")
        if isinstance(node.get(path[-1]), dict):
            raise ValueError(f"column '{column}' has a value but other columns are inside it")
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


def score_records(records: Iterable[Record], catalog: Catalog, today: date) -> Iterator[Outcome]:
    known = {skill.id for skill in catalog.skills}
    validator = answers_validator()
    for given in records:
        record = given
        answers = _quick_answers(validator, record.raw) if record.raw is not None else None
        if answers is None:
            if record.raw is not None:
                record = _parse_line(record)
            answers, errors = _validated(validator, record)
            if answers is None:
                yield Outcome(record, None, errors)
                continue
        if not known.issuperset(answers.skills):
            if record.raw is not None:  # keep the document, whose id a CSV row of errors shows
                record = _parse_line(record)
            unknown = [skill for skill in answers.skills if skill not in known]
            message = [f"skills.{skill}: {describe_unknown('skill', skill, sorted(known))}" for skill in unknown]
            yield Outcome(record, None, tuple(message))
            continue
        yield Outcome(record, score_answers(answers, catalog, today))


def _validated(validator: AnswersValidator, record: Record) -> tuple[Answers | None, tuple[str, ...]]:
    """A parsed record's answers, or what is wrong with it."""
    if record.problem is not None:
        return None, (record.problem,)
    if not isinstance(record.document, dict):
        kind = "a list" if isinstance(record.document, list) else "not a mapping"
        return None, (f"must be a mapping of fields ({kind})",)
    try:
        return validator.validate_python(record.document), ()
    except ValidationError as error:
        return None, tuple(
            f"{format_key_path(tuple(detail['loc']))}: {describe_error(detail, Answers)}"
            for detail in error.errors(include_url=False)
        )


def jsonl_line(outcome: Outcome, lines: ResultLines) -> bytes:
    """The output line of one record: its result, or its errors."""
    record = outcome.record
    if outcome.result is not None:
        return lines.line(outcome.result, record.source, record.line or 0)
    document = {"schema_version": SCHEMA_VERSION, "source": record.source, "line": record.line,
                "errors": list(outcome.errors)}  # fmt: skip
    return json.dumps(document, ensure_ascii=False).encode() + b"\n"


def csv_header(catalog: Catalog) -> list[str]:
    columns = ["source", "line", "id", "best_fit"]
    for role in catalog.roles:
        columns += [f"{role.id}.fit", f"{role.id}.eligible"]
        for credential_id in role.credentials:
            columns += [f"{credential_id}.eligible", f"{credential_id}.eligible_on"]
    return [*columns, "errors"]


def csv_row(outcome: Outcome, catalog: Catalog) -> list[str]:
    record, result = outcome.record, outcome.result
    row = [record.source, "" if record.line is None else str(record.line)]
    if result is None:
        document_id = record.document.get("id") if isinstance(record.document, dict) else None
        blanks = len(csv_header(catalog)) - 4  # all but source, line, id and errors
        return [*row, str(document_id or ""), *[""] * blanks, "; ".join(outcome.errors)]
    row += [result.id or "", result.ranking[0]]
    roles = {role.id: role for role in result.roles}
    for role in catalog.roles:
        scored = roles[role.id]
        row += [str(scored.fit), _flag(scored.eligible)]
        credentials = {c.id: c for c in scored.certifications}
        for credential_id in role.credentials:
            credential = credentials[credential_id]
            row += [_flag(credential.eligible), credential.eligible_on.isoformat() if credential.eligible_on else ""]
    return [*row, ""]


def _flag(value: bool) -> str:
    return "true" if value else "false"
