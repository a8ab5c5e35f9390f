"""The catalog's conditions, each compiled once into an object that evaluates it for a person
(its gaps), explains it (its text, generated from its numbers) and projects how many months of
the current job would meet it. What a rule reads is in its own code, nowhere else.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from caremgr_cli.catalog.models import (
    Catalog,
    Condition,
    EducationCondition,
    EmployerPreference,
    LicenseCondition,
    Route,
)

from .results import Gap
from .text import article, describe_condition, describe_education

MONTHS_PER_YEAR = 12
WEEKS_PER_MONTH = 52 / 12
EPSILON = 1e-9

Answers = Any  # an answers model made from the catalog (answers/model.py); read by attribute


class Rule:
    """One condition of a route. `timed` rules are met by time in a job; the others are not.

    Choosing a route asks only `met` and `months_to_close`, which are cheap; the gap, with its
    message, is made only for the route chosen."""

    timed = False

    def __init__(self, text: str) -> None:
        self.text = text  # what the rule asks for, e.g. "12 months of ..."

    def met(self, answers: Answers) -> bool:
        raise NotImplementedError

    def gap(self, answers: Answers) -> Gap:
        """What is missing, for a person who does not meet the rule."""
        raise NotImplementedError

    def gaps(self, answers: Answers) -> tuple[Gap, ...]:
        """Nothing when the person meets the rule; else what is missing."""
        return () if self.met(answers) else (self.gap(answers),)

    def months_to_close(self, answers: Answers) -> float | None:  # noqa: ARG002 - for timed rules
        """Months of the current job that would meet this unmet rule; None if time will not."""
        return None

    def progress(self, answers: Answers) -> float:
        """The share of the rule already met, 0 to 1: all or nothing, unless it is an amount."""
        return 1.0 if self.met(answers) else 0.0

    def caveats(self, answers: Answers) -> tuple[str, ...]:  # noqa: ARG002 - for license rules
        """Why something the person holds does not count here, when the catalog says why."""
        return ()


class AnyLicense(Rule):
    """One of some licenses, or any license that allows independent client assessment. When the
    rule is about independent assessment, a held license that does not allow it, and whose
    catalog entry says why, has its reason in the gap (an LPN learns why it does not count)."""

    def __init__(self, catalog: Catalog, text: str, rule: LicenseCondition) -> None:
        super().__init__(text)
        self.why_not: dict[str, str] = {}
        if rule.any_of is not None:
            self.accepted = frozenset(rule.any_of)
            return
        self.accepted = frozenset(item.id for item in catalog.licenses if item.independent_assessment)
        self.why_not = {item.id: f"{item.abbreviation or item.label}: {item.note}"
                        for item in catalog.licenses if item.id not in self.accepted and item.note}  # fmt: skip

    def met(self, answers: Answers) -> bool:
        return not self.accepted.isdisjoint(answers.licenses)

    def caveats(self, answers: Answers) -> tuple[str, ...]:
        return tuple(self.why_not[held] for held in answers.licenses if held in self.why_not)

    def gap(self, answers: Answers) -> Gap:
        return Gap(kind="license", message=with_caveats(f"needs {self.text}", self.caveats(answers)))


def with_caveats(message: str, caveats: tuple[str, ...]) -> str:
    return message + "".join(f" ({caveat})" for caveat in caveats)


class AnyCertification(Rule):
    def __init__(self, text: str, certifications: tuple[str, ...]) -> None:
        super().__init__(text)
        self.accepted = frozenset(certifications)

    def met(self, answers: Answers) -> bool:
        return not self.accepted.isdisjoint(answers.certifications)

    def gap(self, answers: Answers) -> Gap:  # noqa: ARG002 - the same for everyone
        return Gap(kind="certification", message=f"needs {self.text}")


class CurrentJob(Rule):
    def __init__(self, text: str, jobs: tuple[str, ...]) -> None:
        super().__init__(text)
        self.jobs = frozenset(jobs)

    def met(self, answers: Answers) -> bool:
        job = answers.employment
        return bool(job.current in self.jobs and job.hours_per_week > 0)

    def gap(self, answers: Answers) -> Gap:  # noqa: ARG002 - the same for everyone
        return Gap(kind="employment", message=f"needs to be {self.text}")


class Degree(Rule):
    def __init__(self, catalog: Catalog, rule: EducationCondition, no_field: str) -> None:
        super().__init__(describe_education(catalog, rule))
        ranks = catalog.level_ranks
        self.levels = frozenset(level for level, rank in ranks.items() if rank >= ranks[rule.min_level])
        groups = {group.id: frozenset(group.fields) for group in catalog.field_groups}
        self.fields = groups[rule.field_group] if rule.field_group is not None else None
        self.needs_field_experience = rule.field_experience
        self.level_labels = catalog.labels["education_levels"]
        self.field_labels = catalog.labels["fields"]
        self.no_field = no_field
        # A level that is always in one field (an RN diploma is in nursing) whatever field is given.
        self.level_fields = {level.id: level.field for level in catalog.education_levels if level.field}

    def field(self, answers: Answers) -> str:
        education = answers.education
        return str(self.level_fields.get(education.level, education.field))

    def met(self, answers: Answers) -> bool:
        education = answers.education
        if education.level not in self.levels:
            return False
        if self.fields is not None and self.field(answers) not in self.fields:
            return False
        return bool(education.field_experience or not self.needs_field_experience)

    def parts_met(self, answers: Answers) -> list[bool]:
        """The level, the field (if asked) and field experience (if asked): each met or not."""
        education = answers.education
        parts = [education.level in self.levels]
        if self.fields is not None:
            parts.append(self.field(answers) in self.fields)
        if self.needs_field_experience:
            parts.append(bool(education.field_experience))
        return parts

    def progress(self, answers: Answers) -> float:
        """A degree in the right field at a lower level, or at the level in another field, is
        nearer than none: it tells which of several routes a person is closest to."""
        parts = self.parts_met(answers)
        return sum(parts) / len(parts)

    def gap(self, answers: Answers) -> Gap:
        education = answers.education
        have = article(self.level_labels[education.level])
        if education.field != self.no_field and education.level not in self.level_fields:
            have += f" in {self.field_labels[education.field]}"
        if self.needs_field_experience and not education.field_experience and all(self.parts_met(answers)[:-1]):
            have += ", without supervised field experience"
        return Gap(kind="education", message=f"needs {self.text} (has {have})")


class Accrual:
    """Whether, and how fast, the current job adds to one kind of experience: by the job's
    kind, or by a detail of the job (supervised by a CCM) that the person says is true."""

    def __init__(self, catalog: Catalog, kind: str) -> None:
        self.jobs = frozenset(job.id for job in catalog.employment_kinds if kind in job.accrues)
        self.details = tuple((detail.id, frozenset(detail.jobs))
                             for detail in catalog.employment_details if kind in detail.accrues)  # fmt: skip

    def adds(self, job: Any) -> bool:
        if job.current in self.jobs:
            return True
        return any(job.current in jobs and getattr(job, detail) for detail, jobs in self.details)

    def rate(self, answers: Answers, full_time_hours: float) -> float:
        """Months of this experience that a month of the current job adds (its share of full time)."""
        job = answers.employment
        return min(1.0, job.hours_per_week / full_time_hours) if self.adds(job) else 0.0


class Experience(Rule):
    """Months or hours of one kind of experience, maybe within a look-back window. The current
    job adds to it at its hours against the credential's full-time hours (pro rata, capped)."""

    timed = True

    def __init__(self, text: str, catalog: Catalog, condition: Condition, full_time_hours: float) -> None:
        super().__init__(text)
        rule = condition.experience
        assert rule is not None
        self.kind = f"experience.{rule.of}"
        self.years = operator.attrgetter(f"experience.{rule.of}")
        self.cap = None if rule.within_years is None else float(rule.within_years * MONTHS_PER_YEAR)
        self.hours = rule.hours
        self.needed = float(rule.months or 0) if rule.hours is None else float(rule.hours)
        self.full_time_hours = full_time_hours
        within = f" within the last {rule.within_years} years" if rule.within_years else ""
        self.words = f"{catalog.label('experience_kinds', rule.of)}{within}"
        self.accrual = Accrual(catalog, rule.of)
        # Another kind that counts too past some months (NACCM: care management beyond a tier's
        # years counts as direct contact, a reading the credential's notes state).
        also = rule.also_counts
        if also:
            self.words += f", counting {catalog.label('experience_kinds', also.of)} beyond {also.beyond_months} months"
        self.other_years = operator.attrgetter(f"experience.{also.of}") if also else None
        self.other_accrual = Accrual(catalog, also.of) if also else None
        self.beyond = float(also.beyond_months) if also else 0.0

    def months(self, years: Callable[[Answers], float], answers: Answers) -> float:
        months: float = years(answers) * MONTHS_PER_YEAR
        # Older experience does not count; the credential's notes say so.
        return min(months, self.cap) if self.cap is not None else months

    def counted_too(self, answers: Answers) -> float:
        """Months of the other kind that count too: those beyond what the tier asks of it."""
        return 0.0 if self.other_years is None else max(0.0, self.months(self.other_years, answers) - self.beyond)

    def counted(self, answers: Answers) -> float:
        """What counts toward the rule, in its unit (months, or hours at the full-time hours)."""
        months = self.months(self.years, answers) + self.counted_too(answers)
        return months if self.hours is None else months * self.full_time_hours * WEEKS_PER_MONTH

    def met(self, answers: Answers) -> bool:
        return self.counted(answers) + EPSILON >= self.needed

    def gap(self, answers: Answers) -> Gap:
        have, needed = self.counted(answers), self.needed
        short = math.ceil(needed - have - EPSILON)
        if self.hours is None:
            message = f"needs {short} more {plural(short, 'month')} of {self.words} (has {shown(have)} of {needed:g})"
            return Gap(kind=self.kind, unit="months", needed=needed, have=round(have, 4), message=message)
        message = (f"needs {short:,} more {plural(short, 'hour')} of {self.words}"
                   f" (has {math.floor(have + EPSILON):,} of {self.hours:,})")  # fmt: skip
        return Gap(kind=self.kind, unit="hours", needed=needed, have=round(have, 2), message=message)

    def progress(self, answers: Answers) -> float:
        return min(1.0, self.counted(answers) / self.needed)

    def months_to_close(self, answers: Answers) -> float | None:
        rate = self.accrual.rate(answers, self.full_time_hours)
        # From what counts, never from a rounded figure: a hair short is not met today.
        short = self.needed - self.counted(answers)
        if self.hours is not None:
            short /= self.full_time_hours * WEEKS_PER_MONTH
        other_rate = self.other_accrual.rate(answers, self.full_time_hours) if self.other_accrual else 0.0
        if other_rate <= 0:
            return short / rate if rate > 0 else None
        assert self.other_years is not None
        # The other kind counts only once past `beyond`: until then only this kind's own rate adds.
        waiting = max(0.0, self.beyond - self.months(self.other_years, answers)) / other_rate
        if rate * waiting >= short:
            return short / rate
        return waiting + (short - rate * waiting) / (rate + other_rate)


def plural(count: int, unit: str) -> str:
    return unit if count == 1 else f"{unit}s"


def shown(months: float) -> str:
    """Months as a person reads them, cut (never rounded up) to 2 decimals: 23.99996 is not 24."""
    return f"{math.floor(months * 100 + 1e-6) / 100:g}"


def months_to_meet(unmet: list[Rule], answers: Answers) -> float | None:
    """Months of the current job that would meet every rule; None if time will not meet one."""
    months = 0.0
    for rule in unmet:
        needed = rule.months_to_close(answers)
        if needed is None:
            return None
        months = max(months, needed)
    return months


class ContinuingEducation(Rule):
    def __init__(self, text: str, catalog: Catalog, condition: Condition) -> None:
        super().__init__(text)
        rule = condition.ce_hours
        assert rule is not None
        kind = next(kind for kind in catalog.ce_kinds if kind.id == rule.of)
        self.given = operator.attrgetter(f"ce_hours.{rule.of}")
        self.window = rule.within_years or kind.window_years
        # Answers give hours within the kind's window; a shorter one cannot be told apart.
        self.countable = self.window >= kind.window_years
        self.hours = rule.hours
        self.words = f"{kind.label} within the last {self.window} years"

    def have(self, answers: Answers) -> float:
        return float(self.given(answers)) if self.countable else 0.0

    def met(self, answers: Answers) -> bool:
        return self.have(answers) + EPSILON >= self.hours

    def progress(self, answers: Answers) -> float:
        return min(1.0, self.have(answers) / self.hours)

    def gap(self, answers: Answers) -> Gap:
        have = self.have(answers)
        short = math.ceil(self.hours - have - EPSILON)
        message = f"needs {short} more {plural(short, 'hour')} of {self.words} (has {have:g} of {self.hours})"
        return Gap(kind="ce_hours", unit="hours", needed=float(self.hours), have=have, message=message)


class AnyOf(Rule):
    def __init__(self, text: str, options: list[list[Rule]]) -> None:
        super().__init__(text)
        self.options = options

    def met(self, answers: Answers) -> bool:
        return any(all(rule.met(answers) for rule in option) for option in self.options)

    def caveats(self, answers: Answers) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for option in self.options for rule in option for c in rule.caveats(answers)))

    def gap(self, answers: Answers) -> Gap:
        message = with_caveats(f"needs {self.text}", self.caveats(answers))
        # The option already partly met, if any, and what it still lacks.
        progress, closest = max(((mean_progress(option, answers), index) for index, option in enumerate(self.options)),
                                key=lambda pair: (pair[0], -pair[1]))  # fmt: skip
        if not 0 < progress < 1:
            return Gap(kind="any_of", message=message)
        missing = "; ".join(rule.gap(answers).message for rule in self.options[closest] if not rule.met(answers))
        return Gap(kind="any_of", message=f"{message}; closest: {missing}", closest=missing)

    def progress(self, answers: Answers) -> float:
        if self.met(answers):  # cheaper than weighing every option
            return 1.0
        return max(mean_progress(option, answers) for option in self.options)

    def months_to_close(self, answers: Answers) -> float | None:
        """The soonest the current job would meet one of the options."""
        times = [months_to_meet([r for r in option if not r.met(answers)], answers) for option in self.options]
        known = [months for months in times if months is not None]
        return min(known) if known else None


def mean_progress(rules: list[Rule] | tuple[Rule, ...], answers: Answers) -> float:
    return sum(rule.progress(answers) for rule in rules) / len(rules)


@dataclass(frozen=True)
class CompiledPreference:
    """An employer preference of an entry route, met or not."""

    option: EmployerPreference
    rules: tuple[Rule, ...]

    def met(self, answers: Answers) -> bool:
        return all(rule.met(answers) for rule in self.rules)


@dataclass(frozen=True)
class CompiledRoute:
    id: str
    label: str
    rules: tuple[Rule, ...]
    name: str | None = None  # an entry route's short name
    sources: tuple[str, ...] = ()
    preferences: tuple[CompiledPreference, ...] = ()

    def unmet(self, answers: Answers) -> list[Rule]:
        """The rules of this route a person does not meet."""
        return [rule for rule in self.rules if not rule.met(answers)]

    def progress(self, answers: Answers) -> float:
        return mean_progress(self.rules, answers)


class Compiler:
    """Compiles conditions for one catalog. `no_field` is the answer meaning "no field of study"."""

    def __init__(self, catalog: Catalog, no_field: str) -> None:
        self.catalog = catalog
        self.no_field = no_field

    def route(self, route: Route, full_time_hours: float, sources: tuple[str, ...] = ()) -> CompiledRoute:
        """`sources`: what the route's result cites (its own and its preferences')."""
        preferences = tuple(
            CompiledPreference(option, tuple(self.rule(c, full_time_hours) for c in option.all_of))
            for option in getattr(route, "preferences", ())
        )
        return CompiledRoute(
            route.id,
            route.label,
            tuple(self.rule(c, full_time_hours) for c in route.all_of),
            getattr(route, "name", None),
            sources or route.sources,
            preferences,
        )

    def rule(self, condition: Condition, full_time_hours: float) -> Rule:
        catalog, text = self.catalog, describe_condition(self.catalog, condition)
        if condition.license:
            return AnyLicense(catalog, text, condition.license)
        if condition.certification:
            return AnyCertification(text, condition.certification.any_of)
        if condition.employment:
            return CurrentJob(text, condition.employment.any_of)
        if condition.education:
            return Degree(catalog, condition.education, self.no_field)
        if condition.experience:
            return Experience(text, catalog, condition, full_time_hours)
        if condition.ce_hours:
            return ContinuingEducation(text, catalog, condition)
        options = [[self.rule(c, full_time_hours) for c in option.all_of] for option in condition.any_of or ()]
        return AnyOf(text, options)
