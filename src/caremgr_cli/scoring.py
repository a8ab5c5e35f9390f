"""Pure scoring: (answers, catalog, today) -> a result with every point and every gap explained.

No I/O and no clock: "today" is an argument, so the same input always gives the same result.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

from .describe import article, describe_condition
from .models import (
    Answers,
    Catalog,
    Condition,
    Credential,
    CredentialResult,
    FitTerm,
    Gap,
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


@dataclass(frozen=True)
class _Context:
    answers: Answers
    catalog: Catalog
    full_time_hours: float

    def accrual_rate(self, kind: str) -> float:
        """Full-time-equivalent months gained per month if the person keeps their current job."""
        job = next((e for e in self.catalog.employment_kinds if e.id == self.answers.employment.current), None)
        if job is None or kind not in job.accrues:
            return 0.0
        return min(1.0, self.answers.employment.hours_per_week / self.full_time_hours)


def score_answers(answers: Answers, catalog: Catalog, today: date) -> Result:
    roles = [_score_role(answers, catalog, role, today) for role in catalog.roles]
    roles.sort(key=lambda role: (-role.fit, role.id))
    return Result(
        schema_version=1,
        id=answers.id,
        as_of=today,
        ranking=tuple(role.id for role in roles),
        roles=tuple(roles),
        warnings=tuple(find_warnings(answers, catalog)),
        disclaimer=catalog.disclaimer,
    )


def _score_role(answers: Answers, catalog: Catalog, role: Role, today: date) -> RoleResult:
    # Entry rules speak of no credential, so "full-time" is the strictest definition in the catalog.
    hours = max((c.full_time.hours_per_week for c in catalog.credentials), default=40.0)
    _, entry_gaps, _ = _best_route(_Context(answers, catalog, hours), role.entry, today)
    reasons = [reason for term in role.fit for reason in _fit_reasons(answers, catalog, role, term)]
    earned = sum(reason.points for reason in reasons)
    possible = sum(reason.max_points for reason in reasons)
    return RoleResult(
        id=role.id,
        title=role.title,
        fit=round(100 * earned / possible) if possible else 0,
        eligible=not entry_gaps,
        gaps=tuple(entry_gaps),
        reasons=tuple(reasons),
        certifications=tuple(
            _score_credential(answers, catalog, catalog.credential(c), today) for c in role.credentials
        ),
    )


def _score_credential(answers: Answers, catalog: Catalog, credential: Credential, today: date) -> CredentialResult:
    context = _Context(answers, catalog, credential.full_time.hours_per_week)
    route, gaps, on = _best_route(context, credential.routes, today)
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
    return CredentialResult(
        id=credential.id,
        name=credential.name,
        abbreviation=credential.abbreviation,
        body=credential.body,
        confirmed=credential.confirmed,
        eligible=not gaps,
        route=route.id,
        route_label=route.label,
        gaps=tuple(gaps),
        eligible_on=on,
        notes=tuple(notes),
    )


def _best_route(context: _Context, routes: tuple[Route, ...], today: date) -> tuple[Route, list[Gap], date | None]:
    """The first route met today, else the one met soonest, else the one with the fewest gaps."""
    candidates = []
    for index, route in enumerate(routes):
        gaps = _gaps(context, route.all_of)
        on = today if not gaps else _date_met(context, gaps, today)
        lasting = sum(not gap.kind.startswith("experience.") for gap in gaps)  # time alone will not close these
        candidates.append(((on is None, on or today, lasting, len(gaps), index), route, gaps, on))
    _, route, gaps, on = min(candidates, key=lambda candidate: candidate[0])
    return route, gaps, on


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


def _add_months(day: date, months: float) -> date:
    """Calendar months first (so 12 months is the same day next year), then the rest in days."""
    whole = math.floor(months + EPSILON)
    rest = max(0.0, months - whole)
    month_index = day.month - 1 + whole
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day)) + timedelta(days=math.ceil(rest * DAYS_PER_MONTH - EPSILON))


def _gaps(context: _Context, conditions: tuple[Condition, ...]) -> list[Gap]:
    return [gap for condition in conditions for gap in _condition_gaps(context, condition)]


def _condition_gaps(context: _Context, condition: Condition) -> list[Gap]:
    answers, catalog = context.answers, context.catalog
    needs = f"needs {describe_condition(catalog, condition)}"
    if condition.license:
        held = {name for name in ("rn", "other") if getattr(answers.licenses, name)}
        return [] if held & set(condition.license.any_of) else [Gap(kind="license", message=needs)]
    if condition.certification:
        held_certifications = set(answers.certifications) & set(condition.certification.any_of)
        return [] if held_certifications else [Gap(kind="certification", message=needs)]
    if condition.employment:
        met = answers.employment.current in condition.employment.any_of and answers.employment.hours_per_week > 0
        return [] if met else [Gap(kind="employment", message=f"needs to be {needs.removeprefix('needs ')}")]
    if condition.education:
        return _education_gaps(context, condition, needs)
    if condition.experience:
        return _experience_gaps(context, condition)
    if condition.ce_hours:
        rule = condition.ce_hours
        # Answers give hours in the last 3 years; a shorter window cannot be told apart.
        have = answers.ce_hours.case_management_last_3_years if (rule.within_years or 3) >= 3 else 0.0
        if have + EPSILON >= rule.hours:
            return []
        short = math.ceil(rule.hours - have - EPSILON)
        return [Gap(kind="ce_hours", unit="hours", needed=rule.hours, have=have,
                    message=f"needs {short} more hours of continuing education in case management"
                    f" within the last {rule.within_years or 3} years (has {have:g} of {rule.hours})")]  # fmt: skip
    options = condition.any_of or ()
    if any(not _gaps(context, option.all_of) for option in options):
        return []
    return [Gap(kind="any_of", message=needs)]


def _education_gaps(context: _Context, condition: Condition, needs: str) -> list[Gap]:
    answers, catalog = context.answers, context.catalog
    rule = condition.education
    assert rule is not None
    level_ok = catalog.level_rank(answers.education.level) >= catalog.level_rank(rule.min_level)
    group = next((g for g in catalog.field_groups if g.id == rule.field_group), None)
    field_ok = group is None or answers.education.field in group.fields
    experience_ok = answers.education.field_experience or not rule.field_experience
    if level_ok and field_ok and experience_ok:
        return []
    have = article(catalog.label("education_levels", answers.education.level))
    if answers.education.field != "none":
        have += f" in {catalog.label('fields', answers.education.field)}"
    return [Gap(kind="education", message=f"{needs} (has {have})")]


def _experience_gaps(context: _Context, condition: Condition) -> list[Gap]:
    answers, catalog = context.answers, context.catalog
    rule = condition.experience
    assert rule is not None
    months = getattr(answers.experience, rule.of) * MONTHS_PER_YEAR
    if rule.within_years is not None:  # older experience does not count; see the credential's notes
        months = min(months, rule.within_years * MONTHS_PER_YEAR)
    label = catalog.label("experience_kinds", rule.of)
    within = f" within the last {rule.within_years} years" if rule.within_years else ""
    kind = f"experience.{rule.of}"
    if rule.hours is not None:
        hours = months * context.full_time_hours * WEEKS_PER_MONTH
        if hours + EPSILON >= rule.hours:
            return []
        short = math.ceil(rule.hours - hours - EPSILON)
        message = f"needs {short:,} more hours of {label}{within} (has {hours:,.0f} of {rule.hours:,})"
        return [Gap(kind=kind, unit="hours", needed=rule.hours, have=round(hours, 2), message=message)]
    needed = float(rule.months or 0)
    if months + EPSILON >= needed:
        return []
    short = math.ceil(needed - months - EPSILON)
    unit = "month" if short == 1 else "months"
    message = f"needs {short} more {unit} of {label}{within} (has {months:g} of {needed:g})"
    return [Gap(kind=kind, unit="months", needed=needed, have=round(months, 4), message=message)]


def _fit_reasons(answers: Answers, catalog: Catalog, role: Role, term: FitTerm) -> list[Reason]:
    if term.preference is not None:
        wanted = getattr(answers.preferences, term.preference)
        offered = getattr(role, term.preference).value
        label = _choice_labels(catalog, f"preferences.{term.preference}")
        if wanted == offered:
            points, verdict = term.points, f"{label.get(offered, offered)}, as you prefer"
        elif wanted == "no-preference":
            points, verdict = term.points // 2, "no preference given, so half the points"
        else:
            points = 0
            verdict = f"this role works {label.get(offered, offered)}; you prefer {label.get(wanted, wanted)}"
        return [Reason(id=term.id, points=points, max_points=term.points, message=f"{term.label}: {verdict}")]
    if term.skills is not None:
        skill_ids = role.skills.ids if term.skills == "role" else (
            catalog.shared_skills.skills if catalog.shared_skills else ()
        )  # fmt: skip
        reasons = []
        for skill_id in skill_ids:
            rating = answers.skills.get(skill_id)
            said = f"you rated it {rating}/5" if rating else "not rated, counts as 0"
            reasons.append(Reason(
                id=f"{term.id}.{skill_id}", points=round(term.points * (rating or 0) / 5), max_points=term.points,
                message=f"{term.label}: {catalog.label('skills', skill_id)}, {said}",
            ))  # fmt: skip
        return reasons
    if term.education is not None:
        met = not _condition_gaps(_Context(answers, catalog, 40.0), Condition(education=term.education))
        verdict = "yes" if met else "no"
        return [Reason(id=term.id, points=term.points if met else 0, max_points=term.points,
                       message=f"{term.label}: {verdict}")]  # fmt: skip
    assert term.experience is not None
    months = getattr(answers.experience, term.experience.of) * MONTHS_PER_YEAR
    points = min(term.points, math.floor(term.points * months / term.experience.full_at_months + EPSILON))
    full = term.experience.full_at_months / MONTHS_PER_YEAR
    return [Reason(id=term.id, points=points, max_points=term.points,
                   message=f"{term.label}: {months / MONTHS_PER_YEAR:g} years, full points from {full:g}")]  # fmt: skip


def _choice_labels(catalog: Catalog, answer: str) -> dict[str, str]:
    """The words the questionnaire used for an answer's choices, to echo them back."""
    question = next((q for q in catalog.questions if q.answer == answer), None)
    return {choice.id: choice.label for choice in question.choices} if question else {}


def find_warnings(answers: Answers, catalog: Catalog) -> list[str]:
    """Answers that make a poor basis for advice: contradictions and uninformative ratings."""
    warnings = []
    ratings = [answers.skills[s.id] for s in catalog.skills if s.id in answers.skills]
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
    unknown = sorted(set(answers.skills) - {s.id for s in catalog.skills})
    if unknown:
        warnings.append(f"Unknown skills are ignored: {', '.join(unknown)}.")
    return warnings
