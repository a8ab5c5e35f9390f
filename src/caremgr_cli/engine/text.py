"""Plain-English sentences generated from the catalog's rules, so that every number they state
is the rule's own. Shared by the engine (gap messages) and the output (show, compare)."""

from __future__ import annotations

from caremgr_cli.catalog.models import Catalog, Condition, EducationCondition, LicenseCondition


def describe_condition(catalog: Catalog, condition: Condition) -> str:
    """One plain-English line for one rule condition."""
    if condition.license:
        return describe_license(catalog, condition.license)
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
        also = experience.also_counts
        # `also_counts` is always caremgr's reading (the model asks for one): it says so
        # wherever the rule is stated, not only beside a result.
        counts_too = (
            f" (caremgr's reading, unconfirmed: {catalog.label('experience_kinds', also.of)}"
            f" beyond {also.beyond_months} months counts too)"
            if also
            else ""
        )
        return f"{amount} of {catalog.label('experience_kinds', experience.of)}{within}{counts_too}"
    if condition.ce_hours:
        rule = condition.ce_hours
        within = f" within the last {rule.within_years} years" if rule.within_years else ""
        return f"{rule.hours} hours of {catalog.label('ce_kinds', rule.of)}{within}"
    options = condition.any_of or ()
    return "one of: " + "; or ".join(
        " and ".join(describe_condition(catalog, c) for c in option.all_of) for option in options
    )


def describe_license(catalog: Catalog, rule: LicenseCondition) -> str:
    if rule.any_of is not None:
        return " or ".join(f"{article(catalog.label('licenses', ref))} license" for ref in rule.any_of)
    # Examples only of what the body confirms; an unconfirmed license is among "another".
    accepted = [item for item in catalog.licenses if item.independent_assessment]
    named = [item.abbreviation for item in accepted if item.abbreviation and item.confirmed]
    examples = ", ".join(named) + (" or another" if len(named) < len(accepted) else "")
    refused = [item.abbreviation or item.label for item in catalog.licenses if not item.independent_assessment]
    not_these = f"; not {' or '.join(refused)}" if refused else ""
    return f"a current license that allows independent client assessment ({examples}{not_these})"


def article(label: str) -> str:
    return label if label.startswith(("no ", "a ", "an ")) else f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def describe_education(catalog: Catalog, rule: EducationCondition) -> str:
    text = f"at least {article(catalog.label('education_levels', rule.min_level))}"
    level = next(level for level in catalog.education_levels if level.id == rule.min_level)
    if rule.field_group and level.field is None:  # "an RN diploma in nursing" says nothing more
        text += f" in {catalog.label('field_groups', rule.field_group)}"
    if rule.field_experience:
        text += " that included supervised field experience"
    return text
