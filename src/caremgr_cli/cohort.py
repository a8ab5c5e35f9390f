"""A picture of a cohort from the JSON Lines that `caremgr score` writes: counters only.

Lines are read one at a time and each result is folded into a `Tally` of counts, so memory
stays flat however many results there are. A line that cannot be read, or that is not a
result, is a problem for that line only. Plain Python: no rich, no pydantic, no yaml.

How gaps are grouped (the "most common gaps"): by what they belong to (a credential's id,
or a role's id for its entry) and the gap's `kind`, so that people's own numbers never split
a group. Each group is shown with a label made from its gaps' messages by `gap_label`; a
person counts once per group, however many roles list the credential.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, NamedTuple

from caremgr_cli.engine.dates import shift_months

SCHEMA_VERSION = 2
FIT_BUCKETS = ("0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90-100")
NO_FIT = "none"
TOP_GAPS = 10
# Bounds that keep memory flat on input that is not what `score` writes: distinct roles,
# routes, credentials and gap groups together; the wordings kept per gap group; the length
# of an id and of any other text that is kept.
MAX_KEYS = 10_000
MAX_WORDINGS = 20
MAX_ID = 200
MAX_TEXT = 1_000
LABEL_LIMIT = 200


class Gap(NamedTuple):
    kind: str
    message: str


class RoleView(NamedTuple):
    id: str
    title: str
    fit: int | None
    met: bool
    route: str
    route_name: str
    gaps: tuple[Gap, ...]


class CredentialView(NamedTuple):
    id: str
    abbreviation: str
    name: str
    eligible: bool
    eligible_on: date | None
    gaps: tuple[Gap, ...]


class ResultView(NamedTuple):
    """What the summary needs of one result, checked; made for a line and then dropped."""

    as_of: date
    best: str | None
    roles: tuple[RoleView, ...]
    credentials: tuple[CredentialView, ...]  # one per credential id, the first where it appears


class ErrorRecord(NamedTuple):
    """A record that `score` could not score: it carries `errors` instead of a result."""

    errors: int


class NotAResult(ValueError):
    """A line that is JSON but not a result of this schema version, with where and why."""


# --- reading lines --------------------------------------------------------------------


class Line(NamedTuple):
    number: int
    document: Any = None
    problem: str | None = None


def read_lines(handle: IO[bytes]) -> Iterator[Line]:
    """Each non-blank line as JSON, or its problem, read as answers/records.py reads JSON Lines
    (the same limit and messages) but without its check for duplicate keys: `score` never
    writes one, and the check makes parsing five times slower."""
    from caremgr_cli.answers.records import TOO_LONG, numbered_lines

    for number, raw in numbered_lines(handle):
        yield Line(number, problem=TOO_LONG) if raw is None else _parse(number, raw)


def _parse(number: int, raw: bytes) -> Line:
    try:
        return Line(number, json.loads(raw.decode("utf-8")))
    except UnicodeDecodeError as error:
        return Line(number, problem=f"is not UTF-8 text (bad byte at column {error.start + 1})")
    except RecursionError:
        return Line(number, problem="is nested too deeply")
    except json.JSONDecodeError as error:
        return Line(number, problem=f"not a JSON document: {error.msg} (column {error.colno})")
    except ValueError:  # Python's limit on the digits of a whole number
        return Line(number, problem="not a JSON document: a number of more than 4,300 digits")


# --- checking a result ------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def _at(value: Any, path: str, kind: type, what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise NotAResult(f"{path}: expected {what}")
    return value


def _text(value: Any, path: str, limit: int = MAX_TEXT) -> str:
    text: str = _at(value, path, str, "text")
    if len(text) > limit:
        raise NotAResult(f"{path}: is longer than the limit of {limit:,} characters")
    if _SURROGATE.search(text):
        raise NotAResult(f"{path}: holds text that is not valid Unicode (a lone surrogate)")
    return text


def _day(value: Any, path: str) -> date:
    try:
        return date.fromisoformat(_text(value, path, 10))
    except ValueError:
        raise NotAResult(f"{path}: expected a date as YYYY-MM-DD") from None


def _items(document: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
    items: list[Any] = _at(document.get(key), f"{path}{key}", list, "a list")
    for number, item in enumerate(items):
        _at(item, f"{path}{key}[{number}]", dict, "a mapping")
    return items


def _gaps(document: dict[str, Any], path: str) -> tuple[Gap, ...]:
    return tuple(
        Gap(
            _text(gap.get("kind"), f"{path}gaps[{n}].kind", MAX_ID),
            _text(gap.get("message"), f"{path}gaps[{n}].message"),
        )
        for n, gap in enumerate(_items(document, "gaps", path))
    )


def check_result(document: Any) -> ResultView | ErrorRecord:
    """The parts of a result line the summary counts, or NotAResult naming the first field amiss."""
    _at(document, "the line", dict, "a mapping (a result of `caremgr score`)")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        if version is None:
            raise NotAResult("not a result of `caremgr score` (it has no schema_version)")
        shown = json.dumps(version)[:20]
        raise NotAResult(f"schema_version is {shown}, not {SCHEMA_VERSION}: score the answers again with this caremgr")
    if "errors" in document:
        return ErrorRecord(len(_at(document["errors"], "errors", list, "a list")))
    ranking: list[Any] = _at(document.get("ranking"), "ranking", list, "a list")
    roles: list[RoleView] = []
    credentials: dict[str, CredentialView] = {}
    for r, role in enumerate(_items(document, "roles", "")):
        where = f"roles[{r}]."
        fit = role.get("fit")
        if fit is not None and _at(fit, f"{where}fit", int, "a whole number 0-100 or null") not in range(101):
            raise NotAResult(f"{where}fit: expected a whole number 0-100 or null")
        entry = _at(role.get("entry"), f"{where}entry", dict, "a mapping")
        roles.append(
            RoleView(
                _text(role.get("id"), f"{where}id", MAX_ID),
                _text(role.get("title"), f"{where}title"),
                fit,
                _at(entry.get("met"), f"{where}entry.met", bool, "true or false"),
                _text(entry.get("route"), f"{where}entry.route", MAX_ID),
                _text(entry.get("route_name"), f"{where}entry.route_name"),
                _gaps(entry, f"{where}entry."),
            )
        )
        for c, credential in enumerate(_items(role, "credentials", where)):
            inside = f"{where}credentials[{c}]."
            view = CredentialView(
                _text(credential.get("id"), f"{inside}id", MAX_ID),
                _text(credential.get("abbreviation"), f"{inside}abbreviation"),
                _text(credential.get("name"), f"{inside}name"),
                _at(credential.get("eligible"), f"{inside}eligible", bool, "true or false"),
                None
                if credential.get("eligible_on") is None
                else _day(credential["eligible_on"], f"{inside}eligible_on"),
                _gaps(credential, inside),
            )
            credentials.setdefault(view.id, view)
    best = _text(ranking[0], "ranking[0]", MAX_ID) if ranking else None
    return ResultView(_day(document.get("as_of"), "as_of"), best, tuple(roles), tuple(credentials.values()))


# --- gap labels -------------------------------------------------------------------------

_AMOUNT = re.compile(r"^[\d,]+(?:\.\d+)? more (month|hour|year|week|day)s?\b")


def gap_label(message: str) -> str:
    """A gap's message without what is particular to the person, so that it names a group:

    - the leading "needs " goes ("needs a registered nurse (RN) license" -> "a registered
      nurse (RN) license");
    - the amount still missing goes, the unit stays, plural ("needs 7 more months of
      full-time case management" -> "months of full-time case management");
    - what the person has, in parentheses at the end, goes: "(has 5 of 12)", "(has a
      bachelor's degree)", and notes such as "(LPN: CCMC does not accept ...)";
    - an `any_of` gap's "; closest: ..." goes (it names the person's nearest alternative).
    Numbers that are part of the rule ("within the last 3 years") stay.
    """
    text = " ".join(message.split("; closest: ", 1)[0].split())
    while text.endswith(")"):
        start = _opening(text)
        inner = text[start + 1 : -1] if start is not None else ""
        if start is None or not (inner.startswith("has ") or ": " in inner):
            break
        text = text[:start].rstrip()
    text = text.removeprefix("needs ")
    text = _AMOUNT.sub(lambda match: f"{match.group(1)}s", text)
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rsplit(" ", 1)[0] + " …"


def _opening(text: str) -> int | None:
    """Where the parenthesis that closes `text` opens, or None when they do not balance."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return None


# --- counting ---------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 August + 6 months = 28 or 29
    February); date.max past the calendar's end."""
    try:
        return shift_months(day, months)
    except ValueError:
        return date.max


def fit_bucket(fit: int | None) -> str:
    return NO_FIT if fit is None else FIT_BUCKETS[min(fit // 10, 9)]


@dataclass
class RoleTally:
    title: str
    people: int = 0
    best_fit: int = 0
    fit: Counter[str] = field(default_factory=Counter)
    met: int = 0
    route_names: dict[str, str] = field(default_factory=dict)
    met_by: Counter[str] = field(default_factory=Counter)
    nearest: Counter[str] = field(default_factory=Counter)


@dataclass
class CredentialTally:
    abbreviation: str
    name: str
    people: int = 0
    eligible_now: int = 0
    within_6_months: int = 0
    within_12_months: int = 0
    later: int = 0
    undated: int = 0


@dataclass
class GapTally:
    scope: str  # "entry" (owner: a role id) or "credential" (owner: a credential id)
    owner: str
    kind: str
    count: int = 0
    wordings: Counter[str] = field(default_factory=Counter)

    def label(self) -> str:
        """The most common wording (ties: the first in alphabetical order)."""
        return min(self.wordings.items(), key=lambda item: (-item[1], item[0]))[0] if self.wordings else self.kind


@dataclass
class Tally:
    """Every count the summary shows; `add` folds in one line's result, `document` reads them out."""

    lines: int = 0
    results: int = 0
    error_records: int = 0
    bad_lines: int = 0
    first_as_of: date | None = None
    last_as_of: date | None = None
    roles: dict[str, RoleTally] = field(default_factory=dict)
    credentials: dict[str, CredentialTally] = field(default_factory=dict)
    gaps: dict[str, GapTally] = field(default_factory=dict)
    keys: int = 0

    def add_line(self, line: Line) -> str | None:
        """Count one line; returns its problem, if it has one (then nothing of it is counted)."""
        self.lines += 1
        problem = line.problem
        if problem is None:
            try:
                view = check_result(line.document)
                if isinstance(view, ErrorRecord):
                    self.error_records += 1
                    return None
                self._check_keys(view)
            except NotAResult as error:
                problem = str(error)
            else:
                self.add(view)
                return None
        self.bad_lines += 1
        return problem

    def _check_keys(self, view: ResultView) -> None:
        new = {f"role:{r.id}" for r in view.roles if r.id not in self.roles}
        new |= {
            f"route:{r.id}:{r.route}"
            for r in view.roles
            if r.id not in self.roles or r.route not in self.roles[r.id].route_names
        }
        new |= {f"credential:{c.id}" for c in view.credentials if c.id not in self.credentials}
        new |= {key for key in _gap_keys(view) if key not in self.gaps}
        if self.keys + len(new) > MAX_KEYS:
            raise NotAResult(
                f"adds more distinct roles, routes, credentials and gaps than the limit of {MAX_KEYS:,} "
                "(is this the output of `caremgr score`?)"
            )
        self.keys += len(new)

    def add(self, view: ResultView) -> None:
        self.results += 1
        if self.first_as_of is None or view.as_of < self.first_as_of:
            self.first_as_of = view.as_of
        if self.last_as_of is None or view.as_of > self.last_as_of:
            self.last_as_of = view.as_of
        for role in view.roles:
            tally = self.roles.setdefault(role.id, RoleTally(role.title))
            tally.people += 1
            tally.best_fit += role.id == view.best
            tally.fit[fit_bucket(role.fit)] += 1
            tally.route_names.setdefault(role.route, role.route_name)
            if role.met:
                tally.met += 1
                tally.met_by[role.route] += 1
            else:
                tally.nearest[role.route] += 1
        in_6, in_12 = add_months(view.as_of, 6), add_months(view.as_of, 12)
        for credential in view.credentials:
            counts = self.credentials.setdefault(
                credential.id, CredentialTally(credential.abbreviation, credential.name)
            )
            counts.people += 1
            day = view.as_of if credential.eligible else credential.eligible_on
            counts.eligible_now += credential.eligible
            counts.within_6_months += day is not None and day <= in_6
            counts.within_12_months += day is not None and day <= in_12
            counts.later += day is not None and day > in_12
            counts.undated += day is None
        for key, (scope, owner, gap) in _gap_keys(view).items():
            group = self.gaps.get(key)
            if group is None:
                group = self.gaps[key] = GapTally(scope, owner, gap.kind)
            group.count += 1
            wording = gap_label(gap.message)
            if wording in group.wordings or len(group.wordings) < MAX_WORDINGS:
                group.wordings[wording] += 1

    def document(self, source: str) -> dict[str, Any]:
        """The counts as plain JSON-ready data: what `--json` prints and the text is drawn from."""
        top = sorted(self.gaps.items(), key=lambda item: (-item[1].count, item[0]))[:TOP_GAPS]
        return {
            "schema_version": SCHEMA_VERSION,
            "source": source,
            "lines": self.lines,
            "results": self.results,
            "error_records": self.error_records,
            "bad_lines": self.bad_lines,
            "as_of": None
            if self.first_as_of is None or self.last_as_of is None
            else {"earliest": self.first_as_of.isoformat(), "latest": self.last_as_of.isoformat()},
            "roles": {
                role_id: {
                    "title": role.title,
                    "people": role.people,
                    "best_fit": role.best_fit,
                    "fit": {bucket: role.fit[bucket] for bucket in (*FIT_BUCKETS, NO_FIT)},
                    "entry": {
                        "met": role.met,
                        "not_met": role.people - role.met,
                        "routes": {
                            route: {"name": name, "met": role.met_by[route], "nearest": role.nearest[route]}
                            for route, name in role.route_names.items()
                        },
                    },
                }
                for role_id, role in self.roles.items()
            },
            "credentials": {
                credential_id: {
                    "abbreviation": c.abbreviation,
                    "name": c.name,
                    "people": c.people,
                    "eligible_now": c.eligible_now,
                    "within_6_months": c.within_6_months,
                    "within_12_months": c.within_12_months,
                    "later": c.later,
                    "undated": c.undated,
                }
                for credential_id, c in self.credentials.items()
            },
            "distinct_gaps": len(self.gaps),
            "top_gaps": [
                {
                    "key": key,
                    "scope": group.scope,
                    "owner": group.owner,
                    "kind": group.kind,
                    "label": group.label(),
                    "wordings": dict(group.wordings),
                    "count": group.count,
                }
                for key, group in top
            ],
        }


def _gap_keys(view: ResultView) -> dict[str, tuple[str, str, Gap]]:
    """The gap groups one person is in (each once), with the first gap seen in each."""
    keys: dict[str, tuple[str, str, Gap]] = {}
    for role in view.roles:
        for gap in role.gaps:
            keys.setdefault(f"entry:{role.id}:{gap.kind}", ("entry", role.id, gap))
    for credential in view.credentials:
        for gap in credential.gaps:
            keys.setdefault(f"credential:{credential.id}:{gap.kind}", ("credential", credential.id, gap))
    return keys


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON: keys sorted (lists keep their order: top_gaps is by count, then key)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
