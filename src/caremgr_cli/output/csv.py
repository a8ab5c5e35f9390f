"""The CSV of `caremgr score --output-format csv`: one row per record, a column per role and credential.

Written for spreadsheets as RFC 4180 asks (CRLF line ends, a field quoted when it must be) and
safe to open in one: a cell that a spreadsheet would read as a formula is prefixed with `'`
(OWASP's advice against CSV injection), and control and bidi characters are escaped."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from caremgr_cli.engine.steps import next_steps
from caremgr_cli.errors import one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from caremgr_cli.batch import Outcome
    from caremgr_cli.catalog.models import Catalog
    from caremgr_cli.engine.results import Gap


def csv_header(catalog: Catalog, kept: list[str]) -> list[str]:
    """`kept`: the columns passed through from the input, after `id`."""
    columns = ["source", "line", "id", *kept, "best_fit", "next_step"]
    for role_id, credential_ids in _columns(catalog):
        columns += [f"{role_id}.fit", f"{role_id}.entry_met", f"{role_id}.entry_route", f"{role_id}.entry_gaps"]
        for credential_id in credential_ids:
            columns += [f"{credential_id}.{name}" for name in ("eligible", "progress", "eligible_on", "route", "gaps")]
    return [*columns, "errors"]


def _columns(catalog: Catalog) -> list[tuple[str, list[str]]]:
    """Each role, then those of its credentials that no earlier role has (roles may share one)."""
    seen: set[str] = set()
    columns = []
    for role in catalog.roles:
        new = [credential_id for credential_id in role.credentials if credential_id not in seen]
        seen.update(new)
        columns.append((role.id, new))
    return columns


def csv_row(outcome: Outcome, catalog: Catalog, kept: list[str]) -> list[str]:
    record, result = outcome.record, outcome.result
    row = [record.source, "" if record.line is None else str(record.line)]
    given = dict(record.kept)
    passed = [given.get(name, "") for name in kept]
    if result is None:
        document_id = record.document.get("id") if isinstance(record.document, dict) else None
        blanks = len(csv_header(catalog, [])) - 4  # all but source, line, id and errors
        document_id = str(document_id if document_id is not None else "")
        return [*row, document_id, *passed, *[""] * blanks, "; ".join(outcome.errors)]
    row += [result.id or "", *passed, result.ranking[0], next(iter(next_steps(result, 1)), "")]
    roles = {role.id: role for role in result.roles}
    credentials = {c.id: c for role in result.roles for c in role.credentials}
    for role_id, credential_ids in _columns(catalog):
        role = roles[role_id]
        entry = role.entry
        row += ["" if role.fit is None else str(role.fit), _flag(entry.met), entry.route, _gaps(entry.gaps)]
        for credential_id in credential_ids:
            credential = credentials[credential_id]
            on = credential.eligible_on.isoformat() if credential.eligible_on else ""
            row += [_flag(credential.eligible), str(credential.progress), on, credential.route, _gaps(credential.gaps)]
    return [*row, ""]


def _gaps(gaps: tuple[Gap, ...]) -> str:
    return "; ".join(gap.message for gap in gaps)


def _flag(value: bool) -> str:
    return "true" if value else "false"


# What a spreadsheet may take for the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A cell shown as the text it is: escaped controls, and a leading `'` before a formula."""
    cell = one_line(text)
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


class CsvWriter:
    """Rows as UTF-8 bytes, for the batch's byte stream. The header comes with the first row, as
    the columns passed through are those of the first record (a CSV input's own columns);
    `finish` writes it when there was no row. A byte-order mark leads when asked (Excel reads
    UTF-8 only with one)."""

    def __init__(self, catalog: Catalog, write: Callable[[bytes], object], *, bom: bool = False) -> None:
        self.catalog = catalog
        self.write = write
        self.bom = bom
        self.kept: list[str] | None = None
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def row(self, outcome: Outcome) -> bytes:
        header = b""
        if self.kept is None:
            header = self._header([name for name, _ in outcome.record.kept])
        assert self.kept is not None
        return header + self._encode(csv_row(outcome, self.catalog, self.kept))

    def finish(self) -> None:
        if self.kept is None:
            self.write(self._header([]))

    def _header(self, kept: list[str]) -> bytes:
        self.kept = kept
        return ("\ufeff" if self.bom else "").encode() + self._encode(csv_header(self.catalog, kept))

    def _encode(self, cells: list[str]) -> bytes:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([safe_cell(cell) for cell in cells])
        return self.buffer.getvalue().encode()
