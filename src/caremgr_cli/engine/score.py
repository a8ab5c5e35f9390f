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

from caremgr_cli.answers.model import NO_PREFERENCE
from caremgr_cli.catalog.models import AnswerTest, Catalog, Credential, Role, Route, walk

from .dates import shift_months
from .fit import Term, compile_term
from .results import (
    CitedSource,
    CredentialResult,
    EntryResult,
    Gap,
    PreferenceResult,
    Reason,
    Result,
    RoleResult,
    credential_readiness,
)
from .rules import EPSILON, Answers, CompiledRoute, Compiler, Rule, months_to_meet

# Beyond a working life a projected date is meaningless (and tiny hours would overflow dates).
MAX_PROJECTION_MONTHS = 50 * 12


@dataclass(frozen=True)
class Choice:
    """The route chosen among a set (met today, else soonest, else nearest), its gaps and date."""

    route: CompiledRoute
    gaps: tuple[Gap, ...]
    on: date | None
    progress: float  # the share of the route met
    unmet: tuple[Rule, ...] = ()


def choose_route(routes: tuple[CompiledRoute, ...], answers: Answers, today: date) -> Choice:
    """The first route met today, else the one met soonest by keeping the current job, else the
    one with the fewest gaps that time alone will not close, then the most of it already met
    (so 18 of 24 months beats 0 of 12), then the fewest gaps, then the first."""
    best: tuple[tuple[bool, date, int, float, int, int], CompiledRoute, list[Rule], date | None] | None = None
    for index, route in enumerate(routes):
        unmet = route.unmet(answers)
        if not unmet:
            return Choice(route, (), today, 1.0)
        on = project(unmet, answers, today)
        head = (on is None, on or today, sum(not rule.timed for rule in unmet))
        if best is not None and head > best[0][:3]:
            continue  # behind already: its progress (the costliest part) cannot matter
        rank = (*head, -route.progress(answers), len(unmet), index)
        if best is None or rank < best[0]:
            best = (rank, route, unmet, on)
    assert best is not None, "a set of routes is never empty (the catalog model requires one)"
    rank, route, unmet, on = best
    return Choice(route, tuple(rule.gap(answers) for rule in unmet), on, -rank[3], tuple(unmet))


def why_undated(unmet: tuple[Rule, ...], answers: Answers) -> str:
    """Why no date can be projected for a route that is not met."""
    if any(not rule.timed for rule in unmet):
        return "some gaps do not close with time in a job"
    if answers.employment.hours_per_week <= 0:
        return "with no hours of work a week, time adds nothing"
    if months_to_meet(list(unmet), answers) is None:
        return "your current job does not add to what is missing"
    return f"at your current hours it is more than {MAX_PROJECTION_MONTHS // 12} years away"


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


@dataclass(frozen=True)
class CompiledCredential:
    credential: Credential
    routes: tuple[CompiledRoute, ...]
    notes: tuple[str, ...]
    sources: dict[str, tuple[str, ...]]  # by route: the credential's sources and the route's
    readings: dict[str, tuple[str, ...]]  # by route: how caremgr reads its rules, where it must

    def result(self, answers: Answers, today: date, assumes: str | None) -> CredentialResult:
        credential = self.credential
        choice = choose_route(self.routes, answers, today)
        eligible = not choice.gaps
        undated = None if eligible or choice.on is not None else why_undated(choice.unmet, answers)
        # 100 only when eligible: a share that rounds up must not look like a finished route.
        progress = 100 if eligible else min(99, math.floor(100 * choice.progress + EPSILON))
        return CredentialResult(
            id=credential.id,
            name=credential.name,
            abbreviation=credential.abbreviation,
            body=credential.body,
            confirmed=credential.confirmed,
            eligible=eligible,
            progress=progress,
            route=choice.route.id,
            route_label=choice.route.label,
            gaps=choice.gaps,
            eligible_on=choice.on,
            assumes=None if eligible or choice.on is None else assumes,
            undated_because=undated,
            notes=self.notes + self.readings[choice.route.id],
            sources=self.sources[choice.route.id],
        )


def credential_notes(credential: Credential) -> tuple[str, ...]:
    notes = []
    if not credential.confirmed and credential.note:
        notes.append(f"Unconfirmed: {credential.note}")
    if credential.full_time.note:  # what "full-time" means for this body: dates depend on it
        notes.append(credential.full_time.note)
    if credential.rules_note:
        notes.append(credential.rules_note)
    conditions = [c.experience for r in credential.routes for c in walk(r.all_of) if c.experience]
    windows = sorted({rule.within_years for rule in conditions if rule.within_years})
    if windows:
        years = " or ".join(str(w) for w in windows)
        notes.append(f"Assumes the experience you gave falls within the last {years} years; older work does not count.")
    return tuple(notes)


def route_readings(route: Route) -> tuple[str, ...]:
    """How caremgr reads a route's rules where a body's words leave room: said when it applies."""
    return tuple(
        dict.fromkeys(c.experience.reading for c in walk(route.all_of) if c.experience and c.experience.reading)
    )


@dataclass(frozen=True)
class CompiledRole:
    role: Role
    entry: tuple[CompiledRoute, ...]
    fit: tuple[Term, ...]
    credentials: tuple[CompiledCredential, ...]

    def result(self, answers: Answers, today: date, assumes: str | None) -> RoleResult:
        reasons: list[Reason] = []
        for term in self.fit:
            reasons += term.reasons(answers)
        given = sum(map(_max_points, reasons))
        fit = round(100 * sum(map(_points, reasons)) / given) if given else None
        credentials = tuple(credential.result(answers, today, assumes) for credential in self.credentials)
        entry = self.entry_result(answers, today)
        return RoleResult(
            self.role.id, self.role.title, fit, summarise(fit, entry, credentials), entry, tuple(reasons), credentials
        )

    def entry_result(self, answers: Answers, today: date) -> EntryResult:
        choice = choose_route(self.entry, answers, today)
        route = choice.route
        preferences = tuple(
            PreferenceResult(p.option.id, p.option.label, p.met(answers), p.option.confirmed, p.option.sources)
            for p in route.preferences
        )
        return EntryResult(
            not choice.gaps, route.id, route.name or route.id, route.label, choice.gaps, preferences, route.sources
        )


def summarise(fit: int | None, entry: EntryResult, credentials: tuple[CredentialResult, ...]) -> str:
    """One line for a role: its fit, its entry and its best credential."""
    parts = [f"fits {fit}/100" if fit is not None else "no fit (nothing to match)"]
    if entry.met:
        parts.append(f"meets the entry by {entry.route_name}")
    else:
        gaps = len(entry.gaps)
        parts.append(f"nearest entry: {entry.route_name} ({gaps} {'gap' if gaps == 1 else 'gaps'})")
    if credentials:
        best = min(credentials, key=credential_readiness)
        if best.eligible:
            parts.append(f"{best.abbreviation} eligible now")
        elif best.eligible_on is not None:
            parts.append(f"{best.abbreviation} eligible on {best.eligible_on.isoformat()}")
        else:
            parts.append(f"{best.abbreviation} requirements {best.progress}% met")
    return " · ".join(parts)


def readiness(role: RoleResult) -> tuple[bool, int, date, int]:
    """How ready a person is for a role (smallest is most ready): the entry met, then the
    number of credentials eligible now, the soonest date, and the most progress."""
    credentials = role.credentials
    return (
        not role.entry.met,
        -sum(c.eligible for c in credentials),
        min((c.eligible_on for c in credentials if c.eligible_on), default=date.max),
        -max((c.progress for c in credentials), default=0),
    )


def rank(roles: list[RoleResult]) -> list[RoleResult]:
    """By fit; ties, and the roles with no fit (after those with one), by readiness; then by
    id, so that the order of roles in the file changes nothing."""
    return sorted(roles, key=lambda role: (role.fit is None, -(role.fit or 0), readiness(role), role.id))


Test = Callable[[Answers], bool]


def compile_test(test: AnswerTest) -> Test:
    """A test of one answer; a list answer (licenses) passes `one_of` when any item is one."""
    value = operator.attrgetter(test.answer)
    if test.above_answer is not None:
        other = operator.attrgetter(test.above_answer)
        return lambda answers: bool(value(answers) > other(answers))
    if test.above is not None:
        above = test.above
        return lambda answers: bool(value(answers) > above)
    if test.one_of is not None:
        accepted = frozenset(test.one_of)
        return lambda answers: not accepted.isdisjoint(_items(value(answers)))
    if test.not_one_of is not None:
        refused = frozenset(test.not_one_of)
        return lambda answers: refused.isdisjoint(_items(value(answers)))
    equals = test.equals
    return lambda answers: bool(value(answers) == equals)


def _items(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else (value,)


def rating_warnings(answers: Answers) -> list[str]:
    """What the fit cannot tell from the answers."""
    ratings = list(answers.skills.values())
    given = answers.preferences
    preferences = [name for name in type(given).model_fields if getattr(given, name) != NO_PREFERENCE]
    if not ratings and not preferences:
        return ["No preferences or skills were given, so no role has a fit: they are ordered by readiness."]
    if not ratings:
        return ["No skills were rated, so the fit rests on your preferences alone."]
    if len(ratings) >= 3 and len(set(ratings)) == 1:
        return [f"Every skill is rated {ratings[0]}: the ratings cannot tell the roles apart."]
    return []


class Engine:
    """A catalog compiled for scoring: build it once, then score person after person."""

    def __init__(self, catalog: Catalog, no_field: str) -> None:
        self.catalog = catalog
        compiler = Compiler(catalog, no_field)
        numbers = catalog.source_numbers

        def in_order(*groups: tuple[str, ...]) -> tuple[str, ...]:
            """Source ids in the catalog's numbering, once each."""
            return tuple(sorted({ref for group in groups for ref in group}, key=numbers.__getitem__))

        # Entry rules speak of no credential, so "full-time" is the strictest definition in the catalog.
        entry_hours = max((c.full_time.hours_per_week for c in catalog.credentials), default=40.0)
        credentials = {
            credential.id: CompiledCredential(
                credential,
                tuple(compiler.route(route, credential.full_time.hours_per_week) for route in credential.routes),
                credential_notes(credential),
                {
                    route.id: in_order(credential.sources, route.sources, credential.rules_note_sources)
                    for route in credential.routes
                },
                {route.id: route_readings(route) for route in credential.routes},
            )
            for credential in catalog.credentials
        }
        self.roles = [
            CompiledRole(
                role,
                tuple(
                    compiler.route(route, entry_hours, in_order(route.sources, *(p.sources for p in route.preferences)))
                    for route in role.entry
                ),
                tuple(compile_term(catalog, role, term) for term in role.fit),
                tuple(credentials[credential_id] for credential_id in role.credentials),
            )
            for role in catalog.roles
        ]
        self.fit_sources = {ref for role in catalog.roles for term in role.fit for ref in term.sources}
        self.cited = {
            source.id: CitedSource(number, source.id, source.title, source.url, source.as_of, source.kind)
            for number, source in enumerate(catalog.sources, start=1)
        }
        self.warnings = [
            (warning.message, [compile_test(test) for test in warning.all_of]) for warning in catalog.warnings
        ]
        self.license_notes = {item.id: f"{item.abbreviation or item.label}: {item.note}"
                              for item in catalog.licenses if item.note}  # fmt: skip
        self.jobs = {job.id: job.label for job in catalog.employment_kinds}
        self.details = [(detail.id, frozenset(detail.jobs), detail.label) for detail in catalog.employment_details]

    def score(self, answers: Answers, today: date) -> Result:
        assumes = self.assumption(answers)
        roles = rank([role.result(answers, today, assumes) for role in self.roles])
        return Result(
            2,
            answers.id,
            today,
            tuple(role.id for role in roles),
            tuple(roles),
            tuple(self.find_warnings(answers)),
            self.catalog.disclaimer,
            self.sources_of(roles),
        )

    def assumption(self, answers: Answers) -> str | None:
        """What a projected date assumes: the current job, at its hours, with its details."""
        job = answers.employment
        if job.hours_per_week <= 0 or job.current not in self.jobs:
            return None
        details = [label for detail, jobs, label in self.details if job.current in jobs and getattr(job, detail)]
        return (f"if you keep your current job ({self.jobs[job.current]}) at {job.hours_per_week:g} hours a week"
                + "".join(f", {label}" for label in details))  # fmt: skip

    def sources_of(self, roles: list[RoleResult]) -> tuple[CitedSource, ...]:
        cited = set(self.fit_sources)
        for role in roles:
            cited.update(role.entry.sources)
            for credential in role.credentials:
                cited.update(credential.sources)
        return tuple(source for source_id, source in self.cited.items() if source_id in cited)

    def find_warnings(self, answers: Answers) -> list[str]:
        """Answers that make a poor basis for advice: what the fit cannot tell, contradictions,
        licenses with a caveat, and what reading an old answers form assumed."""
        said = [message for message, tests in self.warnings if all(test(answers) for test in tests)]
        licenses = [self.license_notes[held] for held in dict.fromkeys(answers.licenses) if held in self.license_notes]
        return rating_warnings(answers) + said + licenses + list(answers.notes)


_points = operator.attrgetter("points")
_max_points = operator.attrgetter("max_points")


def compile_catalog(catalog: Catalog) -> Engine:
    """The engine for a catalog; "no field of study" is the answers' default field."""
    from caremgr_cli.answers.model import default_answer

    return Engine(catalog, default_answer(catalog, "education.field") or "")


def score_answers(answers: Answers, catalog: Catalog, today: date) -> Result:
    """Compile and score one person: for one-off use (a batch compiles once)."""
    return compile_catalog(catalog).score(answers, today)
