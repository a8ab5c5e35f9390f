"""Scoring: (answers, compiled catalog, today) -> a result with every point and every gap explained.

No I/O and no clock: "today" is an argument, so the same input always gives the same result.
`Engine` compiles a catalog once (rules.py, fit.py); each person is then a few plain calls,
and nothing is remembered from one person to the next.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from caremgr_cli.catalog.models import AnswerTest, Catalog, Credential, Role, walk

from .fit import Term, compile_term
from .results import CredentialResult, Gap, Reason, Result, RoleResult
from .rules import EPSILON, Answers, CompiledRoute, Compiler, Degree, Rule, months_to_meet

# Beyond a working life a projected date is meaningless (and tiny hours would overflow dates).
MAX_PROJECTION_MONTHS = 50 * 12


@dataclass(frozen=True)
class Choice:
    """The route chosen among a set (met today, else soonest, else nearest), its gaps and date."""

    route: CompiledRoute
    gaps: tuple[Gap, ...]
    on: date | None


def choose_route(routes: tuple[CompiledRoute, ...], answers: Answers, today: date) -> Choice:
    """The first route met today, else the one met soonest by keeping the current job, else the
    one with the fewest gaps that time alone will not close, then the fewest gaps, then the first."""
    best: tuple[tuple[object, ...], CompiledRoute, list[Rule], date | None] | None = None
    for index, route in enumerate(routes):
        unmet = route.unmet(answers)
        if not unmet:
            return Choice(route, (), today)
        on = project(unmet, answers, today)
        lasting = sum(not rule.timed for rule in unmet)
        rank = (on is None, on or today, lasting, len(unmet), index)
        if best is None or rank < best[0]:
            best = (rank, route, unmet, on)
    assert best is not None, "a set of routes is never empty (the catalog model requires one)"
    _, route, unmet, on = best
    return Choice(route, tuple(rule.gap(answers) for rule in unmet), on)


def project(unmet: list[Rule], answers: Answers, today: date) -> date | None:
    """When every unmet rule is met by working on in the current job, or None if some never will."""
    months = months_to_meet(unmet, answers)
    return add_months(today, months) if months is not None and months <= MAX_PROJECTION_MONTHS else None


def add_months(day: date, months: float) -> date | None:
    """Calendar months first (so 12 months is the same day next year, clamped to the month's
    end), then the rest as that share of the next month's days, rounded up (so more months
    never give an earlier date); None past the end of the calendar (an --as-of near 9999)."""
    whole = math.floor(months + EPSILON)
    rest = max(0.0, months - whole)
    try:
        start = shift_months(day, whole)
        if rest <= EPSILON:
            return start
        days = (shift_months(day, whole + 1) - start).days
        return start + timedelta(days=math.ceil(rest * days - EPSILON))
    except (ValueError, OverflowError):
        return None


def shift_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, days_in(year, month)))


def days_in(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


@dataclass(frozen=True)
class CompiledCredential:
    credential: Credential
    routes: tuple[CompiledRoute, ...]
    notes: tuple[str, ...]

    def result(self, answers: Answers, today: date) -> CredentialResult:
        credential = self.credential
        choice = choose_route(self.routes, answers, today)
        return CredentialResult(
            id=credential.id,
            name=credential.name,
            abbreviation=credential.abbreviation,
            body=credential.body,
            confirmed=credential.confirmed,
            eligible=not choice.gaps,
            route=choice.route.id,
            route_label=choice.route.label,
            gaps=choice.gaps,
            eligible_on=choice.on,
            notes=self.notes,
        )


def credential_notes(credential: Credential) -> tuple[str, ...]:
    notes = []
    if not credential.confirmed and credential.note:
        notes.append(f"Unconfirmed: {credential.note}")
    if not credential.full_time.confirmed and credential.full_time.note:
        notes.append(credential.full_time.note)
    if credential.rules_note:
        notes.append(credential.rules_note)
    windows = sorted({c.experience.within_years for r in credential.routes for c in walk(r.all_of)
                      if c.experience and c.experience.within_years})  # fmt: skip
    if windows:
        years = " or ".join(str(w) for w in windows)
        notes.append(f"Assumes the experience you gave falls within the last {years} years; older work does not count.")
    return tuple(notes)


@dataclass(frozen=True)
class CompiledRole:
    role: Role
    entry: tuple[CompiledRoute, ...]
    fit: tuple[Term, ...]
    possible: int  # the points its fit terms can give
    credentials: tuple[CompiledCredential, ...]

    def result(self, answers: Answers, today: date) -> RoleResult:
        gaps = choose_route(self.entry, answers, today).gaps
        reasons: list[Reason] = []
        for term in self.fit:
            reasons += term.reasons(answers)
        fit = round(100 * sum(map(_points, reasons)) / self.possible) if self.possible else 0
        credentials = tuple(credential.result(answers, today) for credential in self.credentials)
        return RoleResult(self.role.id, self.role.title, fit, not gaps, gaps, tuple(reasons), credentials)


Test = Callable[[Answers], bool]


def compile_test(test: AnswerTest) -> Test:
    value = operator.attrgetter(test.answer)
    if test.above_answer is not None:
        other = operator.attrgetter(test.above_answer)
        return lambda answers: bool(value(answers) > other(answers))
    if test.above is not None:
        above = test.above
        return lambda answers: bool(value(answers) > above)
    if test.one_of is not None:
        accepted = frozenset(test.one_of)
        return lambda answers: value(answers) in accepted
    if test.not_one_of is not None:
        refused = frozenset(test.not_one_of)
        return lambda answers: value(answers) not in refused
    equals = test.equals
    return lambda answers: bool(value(answers) == equals)


def rating_warnings(answers: Answers) -> list[str]:
    """Ratings that cannot inform a fit."""
    ratings = list(answers.skills.values())
    if not ratings:
        return ["No skills were rated, so every skill counts as 0."]
    if len(ratings) >= 3 and len(set(ratings)) == 1:
        return [f"Every skill is rated {ratings[0]}: the ratings cannot tell the roles apart."]
    return []


class Engine:
    """A catalog compiled for scoring: build it once, then score person after person."""

    def __init__(self, catalog: Catalog, no_field: str) -> None:
        self.catalog = catalog
        compiler = Compiler(catalog, no_field)
        # Entry rules speak of no credential, so "full-time" is the strictest definition in the catalog.
        entry_hours = max((c.full_time.hours_per_week for c in catalog.credentials), default=40.0)
        credentials = {
            credential.id: CompiledCredential(
                credential,
                tuple(compiler.route(route, credential.full_time.hours_per_week) for route in credential.routes),
                credential_notes(credential),
            )
            for credential in catalog.credentials
        }
        self.roles: list[CompiledRole] = []
        for role in catalog.roles:
            terms = [
                compile_term(catalog, role, term, Degree(catalog, term.education, no_field) if term.education else None)
                for term in role.fit
            ]
            self.roles.append(CompiledRole(
                role,
                tuple(compiler.route(route, entry_hours) for route in role.entry),
                tuple(terms),
                sum(term.max_points for term in terms),
                tuple(credentials[credential_id] for credential_id in role.credentials),
            ))  # fmt: skip
        self.warnings = [
            (warning.message, [compile_test(test) for test in warning.all_of]) for warning in catalog.warnings
        ]

    def score(self, answers: Answers, today: date) -> Result:
        roles = sorted((role.result(answers, today) for role in self.roles), key=_by_id)
        roles.sort(key=_by_fit, reverse=True)  # stable: equal fits stay in id order
        return Result(
            1,
            answers.id,
            today,
            tuple(role.id for role in roles),
            tuple(roles),
            tuple(self.find_warnings(answers)),
            self.catalog.disclaimer,
        )

    def find_warnings(self, answers: Answers) -> list[str]:
        """Answers that make a poor basis for advice: uninformative ratings, contradictions."""
        said = [message for message, tests in self.warnings if all(test(answers) for test in tests)]
        return rating_warnings(answers) + said


_points = operator.attrgetter("points")
_by_id = operator.attrgetter("id")
_by_fit = operator.attrgetter("fit")


def compile_catalog(catalog: Catalog) -> Engine:
    """The engine for a catalog; "no field of study" is the answers' default field."""
    from caremgr_cli.answers.model import default_answer

    return Engine(catalog, default_answer(catalog, "education.field") or "")


def score_answers(answers: Answers, catalog: Catalog, today: date) -> Result:
    """Compile and score one person: for one-off use (a batch compiles once)."""
    return compile_catalog(catalog).score(answers, today)
