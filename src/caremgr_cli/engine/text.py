"""Plain-English sentences generated from the catalog's rules, so that every number they state
is the rule's own. Shared by the engine (gap messages) and the output (show, compare)."""

from __future__ import annotations

from caremgr_cli.catalog.models import Catalog, Condition, EducationCondition


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
        return describe_education(catalog, condition.education)
    if condition.experience:
        experience = condition.experience
        amount = f"{experience.months} months" if experience.months is not None else f"{experience.hours:,} hours"
        within = f" within the last {experience.within_years} years" if experience.within_years else ""
        return f"{amount} of {catalog.label('experience_kinds', experience.of)}{within}"
    if condition.ce_hours:
        rule = condition.ce_hours
        within = f" within the last {rule.within_years} years" if rule.within_years else ""
        return f"{rule.hours} hours of {catalog.label('ce_kinds', rule.of)}{within}"
    options = condition.any_of or ()
    return "one of: " + "; or ".join(
        " and ".join(describe_condition(catalog, c) for c in option.all_of) for option in options
    )


def article(label: str) -> str:
    return label if label.startswith(("no ", "a ", "an ")) else f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def describe_education(catalog: Catalog, rule: EducationCondition) -> str:
    text = f"at least {article(catalog.label('education_levels', rule.min_level))}"
    if rule.field_group:
        text += f" in {catalog.label('field_groups', rule.field_group)}"
    if rule.field_experience:
        text += " that included supervised field experience"
    return text
