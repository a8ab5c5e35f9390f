"""Scoring a cohort: answers records in (answers/records.py), one outcome per record out, in
input order, streaming. A bad record becomes an outcome with its errors and the batch goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import NamedTuple, Protocol

from pydantic import ValidationError

from .answers.documents import unknown_skills
from .answers.model import Answers
from .answers.records import Record
from .catalog.models import Catalog
from .engine.results import Result
from .engine.score import Engine
from .reading import describe_error, format_key_path


class Progress(Protocol):
    """What a batch tells about its progress (output/progress.py draws it on a terminal)."""

    @property
    def tick(self) -> Callable[[int], None] | None:
        """Counts bytes read, or None when nobody watches."""

    def count(self, records: int) -> None: ...


class Outcome(NamedTuple):
    record: Record
    result: Result | None
    errors: tuple[str, ...] = ()


def score_records(
    records: Iterable[Record], catalog: Catalog, model: type[Answers], engine: Engine, today: date
) -> Iterator[Outcome]:
    for record in records:
        answers, errors = _validated(record, model, catalog)
        if answers is None:
            yield Outcome(record, None, errors)
        else:
            yield Outcome(record, engine.score(answers, today))


def _validated(record: Record, model: type[Answers], catalog: Catalog) -> tuple[Answers | None, tuple[str, ...]]:
    """A record's answers, or what is wrong with it."""
    if record.problem is not None:
        return None, (record.problem,)
    if not isinstance(record.document, dict):
        kind = "a list" if isinstance(record.document, list) else "not a mapping"
        return None, (f"must be a mapping of fields ({kind})",)
    try:
        answers = model.model_validate(record.document)
    except ValidationError as error:
        return None, tuple(
            f"{format_key_path(tuple(detail['loc']))}: {describe_error(detail, model)}"
            for detail in error.errors(include_url=False)
        )
    unknown = unknown_skills(answers, catalog)
    if unknown:
        return None, tuple(f"skills.{skill_id}: {message}" for skill_id, message in unknown)
    return answers, ()


def _answers_column(fields: list[str]) -> Callable[[str], bool]:
    """Whether a CSV column is meant for an answers field: its first dotted part names one, or
    nearly does ("Education.Level", "licence"): such a column is read, and its mistake shown,
    never passed through silently."""
    from .reading import closest

    lowered = {field.lower() for field in fields}

    def is_answer(column: str) -> bool:
        first = column.split(".", maxsplit=1)[0].lower()
        return first in lowered or closest(first, fields) is not None

    return is_answer


def run_batch(
    catalog: Catalog, formats: dict[str, str], output: str, today: date, write: Callable[[bytes], object],
    progress: Progress, *, bom: bool = False, delimiter: str | None = None, strict: bool = False,
    tell_kept: Callable[[str, list[str]], None] | None = None,
) -> tuple[int, int]:  # fmt: skip
    """Score every record of every input, writing each outcome as it comes (JSON Lines or CSV,
    after a byte-order mark if `bom`); returns (bad records, all records)."""
    from .answers.model import answers_model
    from .answers.records import Columns, read_records
    from .engine.score import compile_catalog
    from .output.csv import CsvWriter
    from .output.json import outcome_line

    model, engine = answers_model(catalog), compile_catalog(catalog)
    # A CSV column is an answers field when its first part names one (education.level, skills.x);
    # the rest (name, email, notes) are passed through, unless `strict` refuses them.
    columns = Columns(None if strict else _answers_column(list(model.model_fields)), tell_kept)
    table = CsvWriter(catalog, write, bom=bom) if output == "csv" else None
    encode = table.row if table is not None else outcome_line
    bad = total = 0
    for name, fmt in formats.items():
        records = read_records(name, fmt, progress.tick, delimiter, columns)
        for outcome in score_records(records, catalog, model, engine, today):
            total += 1
            bad += outcome.result is None
            write(encode(outcome))
            progress.count(total)
    if table is not None:
        table.finish()
    return bad, total
