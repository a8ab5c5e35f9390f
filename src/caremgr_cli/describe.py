"""Plain-English text for rules and dates, shared by the renderer and the scorer (no terminal code)."""

from __future__ import annotations

from .models import Catalog, Condition


def describe_condition(catalog: Catalog, condition: Condition) -> str:
    """One plain-English line for one rule condition."""
    if condition.license:
        return " or ".join(catalog.label("licenses", ref) for ref in condition.license.any_of)
    if condition.certification:
        return " or ".join(catalog.label("certifications", ref) for ref in condition.certification.any_of)
    if condition.employment:
        kinds = " or ".join(catalog.label("employment_kinds", ref) for ref in condition.employment.any_of)
        return f"working in {kinds} now"
    if condition.education:
        education = condition.education
        text = f"at least {article(catalog.label('education_levels', education.min_level))}"
        if education.field_group:
            text += f" in {catalog.label('field_groups', education.field_group)}"
        if education.field_experience:
            text += " that included supervised field experience"
        return text
    if condition.experience:
        experience = condition.experience
        amount = f"{experience.months} months" if experience.months is not None else f"{experience.hours:,} hours"
        within = f" within the last {experience.within_years} years" if experience.within_years else ""
        return f"{amount} of {catalog.label('experience_kinds', experience.of)}{within}"
    if condition.ce_hours:
        within = f" within the last {condition.ce_hours.within_years} years" if condition.ce_hours.within_years else ""
        return f"{condition.ce_hours.hours} hours of continuing education in case management{within}"
    options = condition.any_of or ()
    return "one of: " + "; or ".join(
        " and ".join(describe_condition(catalog, c) for c in option.all_of) for option in options
    )


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def describe_as_of(as_of: str) -> str:
    """'2022-05' reads better as 'May 2022'; full dates and years stay as they are."""
    parts = as_of.split("-")
    return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}" if len(parts) == 2 else as_of


def article(label: str) -> str:
    return label if label.startswith(("no ", "a ", "an ")) else f"{'an' if label[0] in 'aeiou' else 'a'} {label}"
