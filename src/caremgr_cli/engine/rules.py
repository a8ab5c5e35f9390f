"""The catalog's conditions, each compiled once into an object that evaluates it for a person
(its gaps), explains it (its text, generated from its numbers) and projects how many months of
the current job would meet it. What a rule reads is in its own code, nowhere else.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Any

from caremgr_cli.catalog.models import Catalog, Condition, EducationCondition, Route

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


class AnyLicense(Rule):
    def __init__(self, text: str, licenses: tuple[str, ...]) -> None:
        super().__init__(text)
        self.held = [operator.attrgetter(f"licenses.{name}") for name in licenses]

    def met(self, answers: Answers) -> bool:
        return any(held(answers) for held in self.held)

    def gap(self, answers: Answers) -> Gap:  # noqa: ARG002 - the same for everyone
        return Gap(kind="license", message=f"needs {self.text}")


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

    def met(self, answers: Answers) -> bool:
        education = answers.education
        if education.level not in self.levels:
            return False
        if self.fields is not None and education.field not in self.fields:
            return False
        return bool(education.field_experience or not self.needs_field_experience)

    def gap(self, answers: Answers) -> Gap:
        education = answers.education
        have = article(self.level_labels[education.level])
        if education.field != self.no_field:
            have += f" in {self.field_labels[education.field]}"
        return Gap(kind="education", message=f"needs {self.text} (has {have})")


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
        self.jobs_adding = frozenset(kind.id for kind in catalog.employment_kinds if rule.of in kind.accrues)

    def counted(self, answers: Answers) -> float:
        """What counts toward the rule, in its unit (months, or hours at the full-time hours)."""
        months: float = self.years(answers) * MONTHS_PER_YEAR
        if self.cap is not None:  # older experience does not count; the credential's notes say so
            months = min(months, self.cap)
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

    def months_to_close(self, answers: Answers) -> float | None:
        job = answers.employment
        rate = min(1.0, job.hours_per_week / self.full_time_hours) if job.current in self.jobs_adding else 0.0
        if rate <= 0:
            return None
        # From what counts, never from a rounded figure: a hair short is not met today.
        short = self.needed - self.counted(answers)
        if self.hours is not None:
            short /= self.full_time_hours * WEEKS_PER_MONTH
        return short / rate


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

    def gap(self, answers: Answers) -> Gap:  # noqa: ARG002 - the same for everyone
        return Gap(kind="any_of", message=f"needs {self.text}")

    def months_to_close(self, answers: Answers) -> float | None:
        """The soonest the current job would meet one of the options."""
        times = [months_to_meet([r for r in option if not r.met(answers)], answers) for option in self.options]
        known = [months for months in times if months is not None]
        return min(known) if known else None


@dataclass(frozen=True)
class CompiledRoute:
    id: str
    label: str
    rules: tuple[Rule, ...]

    def unmet(self, answers: Answers) -> list[Rule]:
        """The rules of this route a person does not meet."""
        return [rule for rule in self.rules if not rule.met(answers)]

    def gaps(self, answers: Answers) -> tuple[Gap, ...]:
        return tuple(rule.gap(answers) for rule in self.unmet(answers))


class Compiler:
    """Compiles conditions for one catalog. `no_field` is the answer meaning "no field of study"."""

    def __init__(self, catalog: Catalog, no_field: str) -> None:
        self.catalog = catalog
        self.no_field = no_field

    def route(self, route: Route, full_time_hours: float) -> CompiledRoute:
        return CompiledRoute(route.id, route.label, tuple(self.rule(c, full_time_hours) for c in route.all_of))

    def rule(self, condition: Condition, full_time_hours: float) -> Rule:
        catalog, text = self.catalog, describe_condition(self.catalog, condition)
        if condition.license:
            return AnyLicense(text, condition.license.any_of)
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
