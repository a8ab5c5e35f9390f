"""Pure scoring: (answers, catalog, today) -> a result with every point and every gap explained.

No I/O and no clock: "today" is an argument, so the same input always gives the same result.
What depends on the catalog alone (rule texts, notes, lookups) is worked out once per catalog
in `_Rules`, so that a batch of many people pays only for what depends on each person.
"""

from __future__ import annotations

import functools
import math
import operator
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .describe import article, describe_condition
from .models import (
    Answers,
    Catalog,
    Condition,
    Credential,
    CredentialResult,
    EducationCondition,
    ExperienceCondition,
    FitTerm,
    Gap,
    LicenseAnswers,
    PreferenceAnswers,
    Reason,
    Result,
    Role,
    RoleResult,
    Route,
)

MONTHS_PER_YEAR = 12
WEEKS_PER_MONTH = 52 / 12
DAYS_PER_MONTH = 365.25 / 12
EPSILON = 1e-9
# Beyond a working life a projected date is meaningless (and tiny hours would overflow dates).
MAX_PROJECTION_MONTHS = 50 * 12


@dataclass
class _Rules:
    """Everything about a catalog that the scorer needs again and again, computed once."""

    catalog: Catalog
    needs: dict[int, str] = field(default_factory=dict)  # id(condition) -> "needs ..."
    words: dict[int, str] = field(default_factory=dict)  # id(experience condition) -> "... within ..."
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accrues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    field_groups: dict[str, frozenset[str]] = field(default_factory=dict)
    choice_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    fit: dict[str, list[FitScorer]] = field(default_factory=dict)
    possible: dict[str, int] = field(default_factory=dict)  # role id -> the points its fit terms can give
    checks: dict[int, Check] = field(default_factory=dict)  # id(condition) -> its compiled check
    reads: dict[int, tuple[str, ...]] = field(default_factory=dict)  # id(condition) -> the answers it reads
    entries: dict[str, _Chooser[tuple[Gap, ...]]] = field(default_factory=dict)  # role id -> its chooser
    credentials: dict[str, _Chooser[CredentialResult]] = field(default_factory=dict)  # credential id -> ...
    plans: list[_RolePlan] = field(default_factory=list)
    entry_hours: float = 40.0
    # A condition reads a few answers only, and cohorts repeat them: remember its verdicts.
    memo: dict[tuple[object, ...], object] = field(default_factory=dict)

    @classmethod
    def of(cls, catalog: Catalog) -> _Rules:
        rules = cls(catalog)
        routes = [route for role in catalog.roles for route in role.entry]
        routes += [route for credential in catalog.credentials for route in credential.routes]
        for route in routes:
            for condition in _walk(route.all_of):
                rules.needs[id(condition)] = f"needs {describe_condition(catalog, condition)}"
                if condition.experience:
                    rules.words[id(condition)] = _experience_words(catalog, condition)
        for route in routes:
            for condition in reversed(list(_walk(route.all_of))):  # an any_of's options before it
                check, reads = _compile_check(rules, condition)
                rules.checks[id(condition)] = check if condition.experience else _by_answers(check, reads)
                rules.reads[id(condition)] = reads
        rules.notes = {credential.id: _credential_notes(credential) for credential in catalog.credentials}
        rules.accrues = {kind.id: kind.accrues for kind in catalog.employment_kinds}
        rules.field_groups = {group.id: frozenset(group.fields) for group in catalog.field_groups}
        rules.choice_labels = {
            question.answer: {choice.id: choice.label for choice in question.choices} for question in catalog.questions
        }
        rules.fit = {
            role.id: _runs(
                [(_compile_fit(catalog, role, term, rules.choice_labels), _fit_reads(term)) for term in role.fit]
            )
            for role in catalog.roles
        }
        # Each term gives the same reasons whatever the answers (one per skill rated or not), so
        # the points possible are the same for everyone.
        nobody = Answers.model_construct()
        rules.possible = {
            role.id: sum(reason.max_points for scorer in rules.fit[role.id] for reason in scorer(nobody, rules))
            for role in catalog.roles
        }
        # Entry rules speak of no credential, so "full-time" is the strictest definition in the catalog.
        rules.entry_hours = max((c.full_time.hours_per_week for c in catalog.credentials), default=40.0)
        for role in catalog.roles:
            rules.entries[role.id] = _Chooser(rules, role.entry, rules.entry_hours, lambda _, gaps, __: gaps)
        for credential in catalog.credentials:
            build = functools.partial(_credential_result, credential, rules.notes[credential.id])
            rules.credentials[credential.id] = _Chooser(
                rules, credential.routes, credential.full_time.hours_per_week, build
            )
        rules.plans = [
            _RolePlan(role, rules.entries[role.id], rules.fit[role.id], rules.possible[role.id],
                      [rules.credentials[c] for c in role.credentials])
            for role in catalog.roles
        ]  # fmt: skip
        return rules


# id(catalog) -> (catalog, rules); holding the catalog keeps its id from being reused.
_COMPILED: dict[int, tuple[Catalog, _Rules]] = {}


def _rules(catalog: Catalog) -> _Rules:
    entry = _COMPILED.get(id(catalog))
    if entry is None:
        if len(_COMPILED) >= 8:
            _COMPILED.clear()
        entry = _COMPILED[id(catalog)] = (catalog, _Rules.of(catalog))
    return entry[1]


def _walk(conditions: tuple[Condition, ...]) -> Iterator[Condition]:
    for condition in conditions:
        yield condition
        for option in condition.any_of or ():
            yield from _walk(option.all_of)


def _credential_notes(credential: Credential) -> tuple[str, ...]:
    notes = []
    if not credential.confirmed and credential.note:
        notes.append(f"Unconfirmed: {credential.note}")
    if not credential.full_time.confirmed and credential.full_time.note:
        notes.append(credential.full_time.note)
    if credential.rules_note:
        notes.append(credential.rules_note)
    windows = sorted({c.experience.within_years for r in credential.routes for c in r.all_of
                      if c.experience and c.experience.within_years})  # fmt: skip
    if windows:
        years = " or ".join(str(w) for w in windows)
        notes.append(f"Assumes the experience you gave falls within the last {years} years; older work does not count.")
    return tuple(notes)


class _Context:
    """One person's answers under one definition of full-time."""

    __slots__ = ("answers", "full_time_hours", "rules")

    def __init__(self, answers: Answers, rules: _Rules, full_time_hours: float) -> None:
        self.answers, self.rules, self.full_time_hours = answers, rules, full_time_hours

    def accrual_rate(self, kind: str) -> float:
        """Full-time-equivalent months gained per month if the person keeps their current job."""
        if kind not in self.rules.accrues.get(self.answers.employment.current, ()):
            return 0.0
        return min(1.0, self.answers.employment.hours_per_week / self.full_time_hours)


def score_answers(answers: Answers, catalog: Catalog, today: date) -> Result:
    rules = _rules(catalog)
    roles = [_score_role(answers, rules, today, plan) for plan in rules.plans]
    roles.sort(key=_ID)
    roles.sort(key=_FIT, reverse=True)  # stable: equal fits stay in id order
    ranking = tuple([role.id for role in roles])
    return Result(1, answers.id, today, ranking, tuple(roles), tuple(find_warnings(answers)), catalog.disclaimer)


_POINTS = operator.attrgetter("points")
_ID = operator.attrgetter("id")
_FIT = operator.attrgetter("fit")
# Each table of remembered verdicts stops growing here: memory stays flat in a batch of any
# length, and the situations seen first (most often the commonest) stay remembered.
MAX_MEMO = 4096
# The answers as given repeat less than what they amount to: a shortcut to the outcomes, kept small.
MAX_SEEN = 2048
T = typing.TypeVar("T")
K = typing.TypeVar("K")
V = typing.TypeVar("V")


def _remember(rules: _Rules, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """A pure computation, remembered by everything it reads (the key) for the rest of a batch."""
    value = rules.memo.get(key)
    if value is None:
        value = _keep(rules.memo, key, compute())
    return typing.cast(T, value)


def _keep(table: dict[K, V], key: K, value: V, limit: int = MAX_MEMO) -> V:
    """Remember a value, unless the table is full."""
    if len(table) < limit:
        table[key] = value
    return value


class _RolePlan(typing.NamedTuple):
    """What scoring one role takes, gathered once per catalog."""

    role: Role
    entry: _Chooser[tuple[Gap, ...]]
    fit: list[FitScorer]
    possible: int  # the points its fit terms can give
    credentials: list[_Chooser[CredentialResult]]


def _score_role(answers: Answers, rules: _Rules, today: date, plan: _RolePlan) -> RoleResult:
    gaps = plan.entry.outcome(answers, today)
    reasons = [reason for scorer in plan.fit for reason in scorer(answers, rules)]
    fit = round(100 * sum(map(_POINTS, reasons)) / plan.possible) if plan.possible else 0
    certifications = tuple([chooser.outcome(answers, today) for chooser in plan.credentials])
    return RoleResult(plan.role.id, plan.role.title, fit, not gaps, gaps, tuple(reasons), certifications)


def _credential_result(
    credential: Credential, notes: tuple[str, ...], route: Route, gaps: tuple[Gap, ...], on: date | None
) -> CredentialResult:
    return CredentialResult(
        id=credential.id,
        name=credential.name,
        abbreviation=credential.abbreviation,
        body=credential.body,
        confirmed=credential.confirmed,
        eligible=not gaps,
        route=route.id,
        route_label=route.label,
        gaps=gaps,
        eligible_on=on,
        notes=notes,
    )


def _best_route(context: _Context, routes: tuple[Route, ...], today: date) -> tuple[Route, list[Gap], date | None]:
    """The first route met today, else the one met soonest, else the one with the fewest gaps."""
    candidates = []
    for index, route in enumerate(routes):
        gaps = _gaps(context, route.all_of)
        if not gaps:
            return route, gaps, today
        on = _date_met(context, gaps, today)
        lasting = sum(not gap.kind.startswith("experience.") for gap in gaps)  # time alone will not close these
        candidates.append(((on is None, on or today, lasting, len(gaps), index), route, gaps, on))
    _, route, gaps, on = min(candidates, key=lambda candidate: candidate[0])
    return route, gaps, on


class _Chooser(typing.Generic[T]):
    """Chooses among one set of routes (a role's entry or a credential's) for person after person,
    and builds the outcome (entry gaps, or a credential's result), remembering what it can so
    that a cohort pays for each distinct situation once. What each step depends on:
    - the conditions time cannot meet (license, degree, job, ...): on the answers they read;
    - the choice of route and its date: on whether each of those conditions is met (an unmet
      one adds one lasting gap, whatever it says), on the years each experience condition
      reads up to where more change nothing (min(years, that point): met, or capped by a
      look-back window), on how fast the current job adds each kind of experience, and today;
    - the outcome: on the choice and on exactly what the chosen route's conditions said
      (each distinct saying of a condition gets a number, its token); and so, first looked
      up, on the answers read, those years, those rates and today."""

    def __init__(self, rules: _Rules, routes: tuple[Route, ...], full_time_hours: float, build: Build[T]) -> None:
        self.rules, self.routes, self.full_time_hours, self.build = rules, routes, full_time_hours, build
        lasting = [(index, c) for index, route in enumerate(routes) for c in route.all_of if not c.experience]
        timed = [c.experience for route in routes for c in route.all_of if c.experience]
        self.lasting = [rules.checks[id(c)] for _, c in lasting]
        self.lasting_answers = _getter(sorted({path for _, c in lasting for path in rules.reads[id(c)]}))
        self.said_by_route = [_picker([at for at, (index, _) in enumerate(lasting) if index == route])
                              for route in range(len(routes))]  # fmt: skip
        self.timed_years = _getter([f"experience.{rule.of}" for rule in timed])
        self.limits = tuple(_no_change_from(rule, full_time_hours) for rule in timed)
        self.kinds = tuple(dict.fromkeys(rule.of for rule in timed))
        self.tokens: list[dict[tuple[Gap, ...], int]] = [{} for _ in lasting]
        self.situations: dict[tuple[object, ...], tuple[tuple[int, ...], tuple[int | None, ...]]] = {}
        self.rates: dict[tuple[object, ...], tuple[float, ...]] = {}  # job -> how fast it adds each kind
        self.choices: dict[tuple[object, ...], tuple[int, date | None]] = {}
        self.outcomes: dict[tuple[object, ...], T] = {}
        self.seen: dict[tuple[object, ...], T] = {}
        self.outcome = self._outcome_function()

    def _outcome_function(self) -> Callable[[Answers, date], T]:
        """outcome(answers, today), with all it reads bound once: it runs for every person,
        role and credential, and a closure's variables are read faster than attributes."""
        lasting_answers, timed_years, limits, seen_table, rates_table, work_out = (
            self.lasting_answers, self.timed_years, self.limits, self.seen, self.rates, self._outcome
        )  # fmt: skip

        def outcome(answers: Answers, today: date) -> T:
            job = _JOB(answers)
            rates = rates_table.get(job)
            if rates is None:
                rates = _keep(rates_table, job, self._rates(answers))
            # Everything the outcome depends on, as given (years up to where more change nothing).
            seen = (lasting_answers(answers), tuple(map(min, timed_years(answers), limits)), rates, today)
            found = seen_table.get(seen)
            if found is None:
                found = _keep(seen_table, seen, work_out(answers, today, seen[0], seen[1:]), MAX_SEEN)
            return found

        def timeless(answers: Answers, today: date) -> T:  # no experience condition: no years, no rates
            seen = (lasting_answers(answers), (), (), today)
            found = seen_table.get(seen)
            if found is None:
                found = _keep(seen_table, seen, work_out(answers, today, seen[0], seen[1:]), MAX_SEEN)
            return found

        return outcome if self.kinds else timeless

    def _rates(self, answers: Answers) -> tuple[float, ...]:
        context = _Context(answers, self.rules, self.full_time_hours)
        return tuple(context.accrual_rate(kind) for kind in self.kinds)

    def _outcome(self, answers: Answers, today: date, raw: tuple[object, ...], timed: tuple[object, ...]) -> T:
        situation = self.situations.get(raw)
        if situation is None:
            situation = _keep(self.situations, raw, self._situation(answers))
        verdicts, said = situation
        choice_key = (verdicts, *timed)
        choice = self.choices.get(choice_key)
        if choice is None:
            choice = _keep(self.choices, choice_key, self._choose(answers, today))
        index, on = choice
        key = (choice_key, self.said_by_route[index](said))
        found = self.outcomes.get(key)
        if found is None:
            route = self.routes[index]
            context = _Context(answers, self.rules, self.full_time_hours)
            found = self.build(route, tuple(_gaps(context, route.all_of)), on)
            if None not in key[1]:  # every saying has its token: the key tells this outcome apart
                _keep(self.outcomes, key, found)
        return found

    def _situation(self, answers: Answers) -> tuple[tuple[int, ...], tuple[int | None, ...]]:
        """Whether each condition time cannot meet is met, and the token of what it says."""
        context = _Context(answers, self.rules, self.full_time_hours)
        said = [check(context) for check in self.lasting]
        return tuple(map(len, said)), tuple(_token(table, gaps) for table, gaps in zip(self.tokens, said, strict=True))

    def _choose(self, answers: Answers, today: date) -> tuple[int, date | None]:
        route, _, on = _best_route(_Context(answers, self.rules, self.full_time_hours), self.routes, today)
        return self.routes.index(route), on


def _token(table: dict[tuple[Gap, ...], int], said: tuple[Gap, ...]) -> int | None:
    """A number for each distinct thing a condition says; None once its table is full."""
    token = table.get(said)
    if token is None and len(table) < MAX_MEMO:
        token = table[said] = len(table)
    return token


Build = Callable[[Route, tuple[Gap, ...], "date | None"], T]
_JOB = operator.attrgetter("employment.current", "employment.hours_per_week")
_DEGREE = operator.attrgetter("education.level", "education.field", "education.field_experience")


def _no_change_from(rule: ExperienceCondition, full_time_hours: float) -> float:
    """The years of experience beyond which an experience condition gives the same verdict and
    gap: where it is met, or where its look-back window caps what counts if that comes first."""
    if rule.hours is not None:
        needed = rule.hours / (full_time_hours * WEEKS_PER_MONTH) / MONTHS_PER_YEAR
    else:
        needed = (rule.months or 0) / MONTHS_PER_YEAR
    return min(needed, float(rule.within_years)) if rule.within_years is not None else needed


def _by_answers(check: Check, paths: tuple[str, ...]) -> Check:
    """A check remembered by the answers it reads (a handful of values, repeated across people)."""
    read = _getter(list(paths))
    seen: dict[tuple[object, ...], tuple[Gap, ...]] = {}

    def remembered(context: _Context) -> tuple[Gap, ...]:
        key = read(context.answers)
        gaps = seen.get(key)
        if gaps is None:
            gaps = _keep(seen, key, check(context))
        return gaps

    return remembered


def _getter(paths: list[str]) -> Callable[[Answers], tuple[Any, ...]]:
    """Reads dotted paths of the answers into a tuple, at C speed."""
    return _reader(operator.attrgetter, paths)


def _picker(positions: list[int]) -> Callable[[tuple[int | None, ...]], tuple[int | None, ...]]:
    """Picks positions of a tuple into a tuple, at C speed."""
    return _reader(operator.itemgetter, positions)


def _reader(make: Callable[..., Callable[[Any], Any]], keys: list[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """attrgetter or itemgetter that always gives a tuple (they give a bare value for one key)."""
    if not keys:
        return lambda _: ()
    if len(keys) == 1:
        one = make(keys[0])
        return lambda value: (one(value),)
    return typing.cast(Callable[[Any], tuple[Any, ...]], make(*keys))


def _date_met(context: _Context, gaps: list[Gap], today: date) -> date | None:
    """When every gap closes by working on in the current job, or None if some never will."""
    months = 0.0
    for gap in gaps:
        if not gap.kind.startswith("experience.") or gap.needed is None or gap.have is None:
            return None
        rate = context.accrual_rate(gap.kind.removeprefix("experience."))
        if rate <= 0:
            return None
        short = gap.needed - gap.have
        if gap.unit == "hours":
            short /= context.full_time_hours * WEEKS_PER_MONTH
        months = max(months, short / rate)
    return _add_months(today, months) if months <= MAX_PROJECTION_MONTHS else None


def _add_months(day: date, months: float) -> date | None:
    """Calendar months first (so 12 months is the same day next year), then the rest in days;
    None past the end of the calendar (an --as-of near the year 9999)."""
    whole = math.floor(months + EPSILON)
    rest = max(0.0, months - whole)
    month_index = day.month - 1 + whole
    year, month = day.year + month_index // 12, month_index % 12 + 1
    try:
        start = date(year, month, min(day.day, _days_in(year, month)))
        return start + timedelta(days=math.ceil(rest * DAYS_PER_MONTH - EPSILON))
    except (ValueError, OverflowError):
        return None


def _days_in(year: int, month: int) -> int:
    """The length of a month (the calendar module would cost startup for this one sum)."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


def _gaps(context: _Context, conditions: tuple[Condition, ...]) -> list[Gap]:
    checks = context.rules.checks
    return [gap for condition in conditions for gap in checks[id(condition)](context)]


Check = Callable[["_Context"], tuple[Gap, ...]]


def _compile_check(rules: _Rules, condition: Condition) -> tuple[Check, tuple[str, ...]]:
    """One condition as a function of a person's answers, with its fixed parts made once (its
    gap message, a memory of verdicts), and the answers it reads: its verdict and its gap depend
    on those alone, which is what lets a route chooser remember its choices (see _Chooser)."""
    cid, needs = id(condition), rules.needs[id(condition)]
    if condition.license:
        wanted = condition.license.any_of
        missing = (Gap(kind="license", message=needs),)

        def license_check(ctx: _Context) -> tuple[Gap, ...]:
            return () if any(getattr(ctx.answers.licenses, name, False) for name in wanted) else missing

        return license_check, tuple(f"licenses.{name}" for name in wanted if name in LicenseAnswers.model_fields)
    if condition.certification:
        accepted = frozenset(condition.certification.any_of)
        missing = (Gap(kind="certification", message=needs),)
        return lambda ctx: () if not accepted.isdisjoint(ctx.answers.certifications) else missing, ("certifications",)
    if condition.employment:
        jobs = frozenset(condition.employment.any_of)
        missing = (Gap(kind="employment", message=f"needs to be {needs.removeprefix('needs ')}"),)

        def employment(ctx: _Context) -> tuple[Gap, ...]:
            job = ctx.answers.employment
            return () if job.current in jobs and job.hours_per_week > 0 else missing

        return employment, ("employment.current", "employment.hours_per_week")
    if condition.education:
        rule = condition.education

        def education(ctx: _Context) -> tuple[Gap, ...]:  # remembered by _by_answers, like every lasting check
            return () if _education_met(rules, ctx.answers, rule) else (_education_gap(ctx, condition),)

        return education, ("education.level", "education.field", "education.field_experience")
    if condition.experience:
        of = condition.experience.of

        def experience(ctx: _Context) -> tuple[Gap, ...]:
            key = (cid, getattr(ctx.answers.experience, of), ctx.full_time_hours)
            return _remember(rules, key, lambda: tuple(_experience_gaps(ctx, condition)))

        return experience, (f"experience.{of}",)
    if condition.ce_hours:
        return lambda ctx: _ce_gaps(ctx, condition), ("ce_hours.case_management_last_3_years",)
    options = [option.all_of for option in condition.any_of or ()]
    missing = (Gap(kind="any_of", message=needs),)
    reads = tuple(dict.fromkeys(path for option in options for c in _walk(option) for path in rules.reads[id(c)]))
    return lambda ctx: () if any(not _gaps(ctx, option) for option in options) else missing, reads


def _ce_gaps(context: _Context, condition: Condition) -> tuple[Gap, ...]:
    rule = condition.ce_hours
    assert rule is not None
    # Answers give hours in the last 3 years; a shorter window cannot be told apart.
    have = context.answers.ce_hours.case_management_last_3_years if (rule.within_years or 3) >= 3 else 0.0
    if have + EPSILON >= rule.hours:
        return ()
    short = math.ceil(rule.hours - have - EPSILON)
    message = (f"needs {short} more hours of continuing education in case management"
               f" within the last {rule.within_years or 3} years (has {have:g} of {rule.hours})")  # fmt: skip
    return (Gap(kind="ce_hours", unit="hours", needed=float(rule.hours), have=have, message=message),)


def _education_met(rules: _Rules, answers: Answers, rule: EducationCondition) -> bool:
    catalog = rules.catalog
    if catalog.level_rank(answers.education.level) < catalog.level_rank(rule.min_level):
        return False
    if rule.field_group is not None and answers.education.field not in rules.field_groups[rule.field_group]:
        return False
    return answers.education.field_experience or not rule.field_experience


def _education_gap(context: _Context, condition: Condition) -> Gap:
    answers, catalog = context.answers, context.rules.catalog
    have = article(catalog.label("education_levels", answers.education.level))
    if answers.education.field != "none":
        have += f" in {catalog.label('fields', answers.education.field)}"
    return Gap(kind="education", message=f"{context.rules.needs[id(condition)]} (has {have})")


def _experience_gaps(context: _Context, condition: Condition) -> list[Gap]:
    answers = context.answers
    rule = condition.experience
    assert rule is not None
    months = getattr(answers.experience, rule.of) * MONTHS_PER_YEAR
    if rule.within_years is not None:  # older experience does not count; see the credential's notes
        months = min(months, float(rule.within_years * MONTHS_PER_YEAR))
    if rule.hours is not None:
        hours = months * context.full_time_hours * WEEKS_PER_MONTH
        if hours + EPSILON >= rule.hours:
            return []
        short = math.ceil(rule.hours - hours - EPSILON)
        words = context.rules.words[id(condition)]
        message = f"needs {short:,} more hours of {words} (has {hours:,.0f} of {rule.hours:,})"
        return [
            Gap(
                kind=f"experience.{rule.of}",
                unit="hours",
                needed=float(rule.hours),
                have=round(hours, 2),
                message=message,
            )
        ]
    needed = float(rule.months or 0)
    if months + EPSILON >= needed:
        return []
    short = math.ceil(needed - months - EPSILON)
    unit = "month" if short == 1 else "months"
    message = f"needs {short} more {unit} of {context.rules.words[id(condition)]} (has {months:g} of {needed:g})"
    return [Gap(kind=f"experience.{rule.of}", unit="months", needed=needed, have=round(months, 4), message=message)]


def _experience_words(catalog: Catalog, condition: Condition) -> str:
    rule = condition.experience
    assert rule is not None
    within = f" within the last {rule.within_years} years" if rule.within_years else ""
    return f"{catalog.label('experience_kinds', rule.of)}{within}"


FitScorer = Callable[[Answers, "_Rules"], Sequence[Reason]]


def _compile_fit(catalog: Catalog, role: Role, term: FitTerm, choice_labels: dict[str, dict[str, str]]) -> FitScorer:
    """A term of a role's fit as a function of the answers; every reason that can only take a
    few forms (a preference, a 1-5 rating, yes or no) is built here once, then looked up."""
    if term.preference is not None:
        attribute = term.preference
        offered = getattr(role, attribute).value
        label = choice_labels.get(f"preferences.{attribute}", {})
        wanted_values = typing.get_args(PreferenceAnswers.model_fields[attribute].annotation)
        by_wanted = {wanted: (_preference_reason(term, offered, wanted, label),) for wanted in wanted_values}
        wanted = operator.attrgetter(f"preferences.{attribute}")
        return lambda answers, _: by_wanted[wanted(answers)]
    if term.skills is not None:
        skill_ids = role.skills.ids if term.skills == "role" else (
            catalog.shared_skills.skills if catalog.shared_skills else ()
        )  # fmt: skip
        tables = [_skill_reasons(catalog, term, skill_id) for skill_id in skill_ids]
        return lambda answers, _: list(map(operator.getitem, tables, map(answers.skills.get, skill_ids)))
    if term.education is not None:
        rule = term.education
        yes = (Reason(id=term.id, points=term.points, max_points=term.points, message=f"{term.label}: yes"),)
        no = (Reason(id=term.id, points=0, max_points=term.points, message=f"{term.label}: no"),)
        verdicts: dict[tuple[object, ...], tuple[Reason]] = {}

        def by_education(answers: Answers, rules: _Rules) -> tuple[Reason]:
            degree = _DEGREE(answers)
            reasons = verdicts.get(degree)
            if reasons is None:
                reasons = _keep(verdicts, degree, yes if _education_met(rules, answers, rule) else no)
            return reasons

        return by_education
    experience = term.experience
    assert experience is not None

    seen: dict[float, tuple[Reason]] = {}

    def by_years(answers: Answers, _: _Rules) -> tuple[Reason]:
        years = getattr(answers.experience, experience.of)
        reasons = seen.get(years)
        if reasons is None:
            months = years * MONTHS_PER_YEAR
            points = min(term.points, math.floor(term.points * months / experience.full_at_months + EPSILON))
            full = experience.full_at_months / MONTHS_PER_YEAR
            message = f"{term.label}: {months / MONTHS_PER_YEAR:g} years, full points from {full:g}"
            reasons = _keep(seen, years, (Reason(id=term.id, points=points, max_points=term.points, message=message),))
        return reasons

    return by_years


def _fit_reads(term: FitTerm) -> tuple[str, ...] | None:
    """The answers a fit term reads; None for skills (ratings vary too much to remember by)."""
    if term.preference is not None:
        return (f"preferences.{term.preference}",)
    if term.education is not None:
        return ("education.level", "education.field", "education.field_experience")
    if term.experience is not None:
        return (f"experience.{term.experience.of}",)
    return None


def _runs(terms: list[tuple[FitScorer, tuple[str, ...] | None]]) -> list[FitScorer]:
    """A role's fit terms with each run of terms that have few forms (preferences, degree,
    years) made one, remembered by the answers the run reads: fewer calls per person."""
    runs: list[FitScorer] = []
    pending: list[tuple[FitScorer, tuple[str, ...]]] = []
    for scorer, reads in terms:
        if reads is not None:
            pending.append((scorer, reads))
            continue
        if pending:
            runs.append(_remembered_run(pending))
            pending = []
        runs.append(scorer)
    if pending:
        runs.append(_remembered_run(pending))
    return runs


def _remembered_run(terms: list[tuple[FitScorer, tuple[str, ...]]]) -> FitScorer:
    read = _getter(sorted({path for _, reads in terms for path in reads}))
    seen: dict[tuple[object, ...], tuple[Reason, ...]] = {}

    def run(answers: Answers, rules: _Rules) -> tuple[Reason, ...]:
        key = read(answers)
        reasons = seen.get(key)
        if reasons is None:
            reasons = _keep(seen, key, tuple(reason for scorer, _ in terms for reason in scorer(answers, rules)))
        return reasons

    return run


def _preference_reason(term: FitTerm, offered: str, wanted: str, label: dict[str, str]) -> Reason:
    if wanted == offered:
        points, verdict = term.points, f"{label.get(offered, offered)}, as you prefer"
    elif wanted == "no-preference":
        points, verdict = term.points // 2, "no preference given, so half the points"
    else:
        points = 0
        verdict = f"this role works {label.get(offered, offered)}; you prefer {label.get(wanted, wanted)}"
    return Reason(id=term.id, points=points, max_points=term.points, message=f"{term.label}: {verdict}")


def _skill_reasons(catalog: Catalog, term: FitTerm, skill_id: str) -> dict[int | None, Reason]:
    """The reason for each possible rating of one skill, and for no rating."""
    reasons: dict[int | None, Reason] = {}
    for rating in (None, 1, 2, 3, 4, 5):
        said = f"you rated it {rating}/5" if rating else "not rated, counts as 0"
        reasons[rating] = Reason(
            id=f"{term.id}.{skill_id}", points=round(term.points * (rating or 0) / 5), max_points=term.points,
            message=f"{term.label}: {catalog.label('skills', skill_id)}, {said}",
        )  # fmt: skip
    return reasons


def find_warnings(answers: Answers) -> list[str]:
    """Answers that make a poor basis for advice: contradictions and uninformative ratings."""
    warnings = []
    ratings = list(answers.skills.values())
    if not ratings:
        warnings.append("No skills were rated, so every skill counts as 0.")
    elif len(ratings) >= 3 and len(set(ratings)) == 1:
        warnings.append(f"Every skill is rated {ratings[0]}: the ratings cannot tell the roles apart.")
    experience, employment, education = answers.experience, answers.employment, answers.education
    if experience.rn > 0 and not answers.licenses.rn:
        warnings.append("RN experience is given without an RN license.")
    if experience.case_management_ccm_supervised > experience.case_management:
        warnings.append("More case management supervised by a CCM than case management in total.")
    if employment.current != "none" and employment.hours_per_week == 0:
        warnings.append("A current job with 0 hours a week: no dates can be projected from it.")
    if employment.current == "none" and employment.hours_per_week > 0:
        warnings.append("Hours a week are given but no current job.")
    if education.level in ("none", "high-school") and education.field != "none":
        warnings.append("A field of study is given without a degree; the field is not counted.")
    return warnings
