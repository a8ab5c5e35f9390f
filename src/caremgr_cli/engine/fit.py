"""A role's fit terms, compiled once: each gives its itemised reasons for a person's answers.

A term the person left out (no preference, a skill not rated) counts for 0 of 0 points: it
neither helps nor hurts. A role's fit is round(100 * points / the points of the terms given),
or None when nothing was given."""

from __future__ import annotations

import operator

from caremgr_cli.answers.model import NO_PREFERENCE
from caremgr_cli.catalog.models import Catalog, FitTerm, Role

from .results import Reason
from .rules import Answers


class Term:
    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        raise NotImplementedError


class Preference(Term):
    """Full points when the role offers what the person prefers, none when it does not."""

    def __init__(self, term: FitTerm, offered: str, values: tuple[str, ...], labels: dict[str, str]) -> None:
        assert term.preference is not None
        self.wanted = operator.attrgetter(f"preferences.{term.preference}")
        # Every value a person can give, reasoned about once: a term of the catalog, not of a person.
        self.by_value = {value: (_preference_reason(term, offered, value, labels),) for value in values}

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return self.by_value[self.wanted(answers)]


def _preference_reason(term: FitTerm, offered: str, wanted: str, labels: dict[str, str]) -> Reason:
    if wanted == NO_PREFERENCE:
        return Reason(id=term.id, points=0, max_points=0, message=f"{term.label}: no preference given, left out")
    if wanted == offered:
        points, verdict = term.points, f"{labels.get(offered, offered)}, as you prefer"
    else:
        points = 0
        verdict = f"this role works {labels.get(offered, offered)}; you prefer {labels.get(wanted, wanted)}"
    return Reason(id=term.id, points=points, max_points=term.points, message=f"{term.label}: {verdict}")


class Skills(Term):
    """One reason per skill: points in proportion to the 1-5 rating; an unrated skill is left out."""

    def __init__(self, catalog: Catalog, term: FitTerm, skill_ids: tuple[str, ...]) -> None:
        # Each skill with its reason for every rating (and for none).
        self.skills = [(skill_id, _skill_reasons(catalog, term, skill_id)) for skill_id in skill_ids]

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        rating = answers.skills.get
        return tuple([by_rating[rating(skill_id)] for skill_id, by_rating in self.skills])


def _skill_reasons(catalog: Catalog, term: FitTerm, skill_id: str) -> dict[int | None, Reason]:
    """The reason for each possible rating of one skill, and for no rating."""
    named = f"{term.label}: {catalog.label('skills', skill_id)}"
    reasons: dict[int | None, Reason] = {
        None: Reason(id=f"{term.id}.{skill_id}", points=0, max_points=0, message=f"{named}, not rated, left out")
    }
    for rating in (1, 2, 3, 4, 5):
        reasons[rating] = Reason(
            id=f"{term.id}.{skill_id}", points=round(term.points * rating / 5), max_points=term.points,
            message=f"{named}, rated {rating}/5",
        )  # fmt: skip
    return reasons


def compile_term(catalog: Catalog, role: Role, term: FitTerm) -> Term:
    if term.preference is not None:
        labels = catalog.preference_labels[term.preference]
        return Preference(term, getattr(role, term.preference).value, tuple(labels), labels)
    shared = catalog.shared_skills.skills if catalog.shared_skills else ()
    return Skills(catalog, term, role.skills.ids if term.skills == "role" else shared)
