"""A role's fit terms, compiled once: each gives its itemised reasons for a person's answers.
A role's fit is round(100 * points / the points its terms can give)."""

from __future__ import annotations

import math
import operator

from caremgr_cli.answers.model import NO_PREFERENCE
from caremgr_cli.catalog.models import Catalog, FitTerm, Role

from .results import Reason
from .rules import EPSILON, MONTHS_PER_YEAR, Answers, Degree


class Term:
    max_points: int  # what the term gives at most, whatever the answers

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        raise NotImplementedError


class Preference(Term):
    """Full points when the role offers what the person prefers, half with no preference."""

    def __init__(self, term: FitTerm, offered: str, values: tuple[str, ...], labels: dict[str, str]) -> None:
        assert term.preference is not None
        self.wanted = operator.attrgetter(f"preferences.{term.preference}")
        self.max_points = term.points
        # Every value a person can give, reasoned about once: a term of the catalog, not of a person.
        self.by_value = {value: (_preference_reason(term, offered, value, labels),) for value in values}

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return self.by_value[self.wanted(answers)]


def _preference_reason(term: FitTerm, offered: str, wanted: str, labels: dict[str, str]) -> Reason:
    if wanted == offered:
        points, verdict = term.points, f"{labels.get(offered, offered)}, as you prefer"
    elif wanted == NO_PREFERENCE:
        points, verdict = term.points // 2, "no preference given, so half the points"
    else:
        points = 0
        verdict = f"this role works {labels.get(offered, offered)}; you prefer {labels.get(wanted, wanted)}"
    return Reason(id=term.id, points=points, max_points=term.points, message=f"{term.label}: {verdict}")


class Skills(Term):
    """One reason per skill: points in proportion to the 1-5 rating; unrated counts 0."""

    def __init__(self, catalog: Catalog, term: FitTerm, skill_ids: tuple[str, ...]) -> None:
        self.max_points = term.points * len(skill_ids)
        # Each skill with its reason for every rating (and for none).
        self.skills = [(skill_id, _skill_reasons(catalog, term, skill_id)) for skill_id in skill_ids]

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        rating = answers.skills.get
        return tuple([by_rating[rating(skill_id)] for skill_id, by_rating in self.skills])


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


class PreferredDegree(Term):
    def __init__(self, term: FitTerm, degree: Degree) -> None:
        self.degree = degree
        self.max_points = term.points
        self.yes = (Reason(id=term.id, points=term.points, max_points=term.points, message=f"{term.label}: yes"),)
        self.no = (Reason(id=term.id, points=0, max_points=term.points, message=f"{term.label}: no"),)

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return self.yes if self.degree.met(answers) else self.no


class Years(Term):
    """Points in proportion to years of one kind of experience, full from `full_at_months`."""

    def __init__(self, term: FitTerm) -> None:
        assert term.experience is not None
        self.term = term
        self.years = operator.attrgetter(f"experience.{term.experience.of}")
        self.full_at = term.experience.full_at_months
        self.max_points = term.points

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        term = self.term
        months = self.years(answers) * MONTHS_PER_YEAR
        points = min(term.points, math.floor(term.points * months / self.full_at + EPSILON))
        years = months / MONTHS_PER_YEAR
        unit = "year" if years == 1 else "years"
        message = f"{term.label}: {years:g} {unit}, full points from {self.full_at / MONTHS_PER_YEAR:g}"
        return (Reason(id=term.id, points=points, max_points=term.points, message=message),)


def compile_term(catalog: Catalog, role: Role, term: FitTerm, degree: Degree | None) -> Term:
    """`degree` is the term's education rule compiled (for an education term)."""
    if term.preference is not None:
        labels = catalog.preference_labels[term.preference]
        return Preference(term, getattr(role, term.preference).value, tuple(labels), labels)
    if term.skills is not None:
        shared = catalog.shared_skills.skills if catalog.shared_skills else ()
        return Skills(catalog, term, role.skills.ids if term.skills == "role" else shared)
    if degree is not None:
        return PreferredDegree(term, degree)
    return Years(term)
