"""Pydantic models of the roles catalog, and the cross-reference checks pydantic cannot do."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
AS_OF_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Ids = tuple[Id, ...]
SourceIds = Annotated[tuple[Id, ...], Field(min_length=1)]
Loc = tuple[str | int, ...]


class Strict(BaseModel):
    """Unknown keys are errors (a typo must not pass silently) and loaded data never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Labelled(Strict):
    id: Id
    label: Text
    note: Text | None = None


class EducationLevel(Labelled):
    pass


class StudyField(Labelled):
    pass


class FieldGroup(Labelled):
    fields: Annotated[Ids, Field(min_length=1)]
    sources: Ids = ()


class License(Labelled):
    pass


class Certification(Labelled):
    pass


class ExperienceKind(Labelled):
    pass


class EmploymentKind(Labelled):
    accrues: Ids = ()


class Setting(Labelled):
    kind: Literal["facility", "client-homes"]


class Skill(Labelled):
    pass


# --- conditions: the rule language of entry requirements and credential routes -------------


class LicenseCondition(Strict):
    any_of: Annotated[Ids, Field(min_length=1)]


class EducationCondition(Strict):
    min_level: Id
    field_group: Id | None = None
    field_experience: bool = False


class CertificationCondition(Strict):
    any_of: Annotated[Ids, Field(min_length=1)]


class ExperienceCondition(Strict):
    of: Id
    months: Annotated[int, Field(ge=1, le=600)] | None = None
    hours: Annotated[int, Field(ge=1, le=100_000)] | None = None
    within_years: Annotated[int, Field(ge=1, le=50)] | None = None

    @model_validator(mode="after")
    def _one_amount(self) -> ExperienceCondition:
        if (self.months is None) == (self.hours is None):
            raise ValueError("give exactly one of 'months' or 'hours'")
        return self


class CeCondition(Strict):
    hours: Annotated[int, Field(ge=1, le=1000)]
    within_years: Annotated[int, Field(ge=1, le=50)] | None = None


class EmploymentCondition(Strict):
    any_of: Annotated[Ids, Field(min_length=1)]


CONDITION_KINDS = (
    "license",
    "education",
    "certification",
    "experience",
    "ce_hours",
    "employment",
    "any_of",
)


class Condition(Strict):
    """Exactly one key, naming the kind of condition; `any_of` nests alternatives."""

    license: LicenseCondition | None = None
    education: EducationCondition | None = None
    certification: CertificationCondition | None = None
    experience: ExperienceCondition | None = None
    ce_hours: CeCondition | None = None
    employment: EmploymentCondition | None = None
    any_of: Annotated[tuple[Option, ...], Field(min_length=2)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [kind for kind in CONDITION_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(
                "a condition needs exactly one of: " + ", ".join(CONDITION_KINDS)
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in CONDITION_KINDS if getattr(self, kind) is not None)


class Option(Strict):
    id: Id
    label: Text
    all_of: Annotated[tuple[Condition, ...], Field(min_length=1)]


class Route(Option):
    sources: SourceIds
    note: Text | None = None


Condition.model_rebuild()


# --- roles -------------------------------------------------------------------------------


class Fact(Strict):
    text: Text
    sources: SourceIds


class CareStyle(Fact):
    value: Literal["indirect", "direct"]


class WorkSetting(Fact):
    value: Literal["facility", "client-homes"]


class SettingList(Strict):
    ids: Annotated[Ids, Field(min_length=1)]
    sources: SourceIds


class SkillList(Strict):
    ids: Annotated[Ids, Field(min_length=1)]
    sources: SourceIds


class SharedSkills(Strict):
    skills: Annotated[Ids, Field(min_length=1)]
    sources: SourceIds


class EducationRequirement(Fact):
    level: Id
    field_group: Id


class Education(Strict):
    minimum: EducationRequirement
    preferred: EducationRequirement | None = None
    note: Text | None = None
    note_sources: Ids = ()


class LicenseFact(Fact):
    required: Ids


class ExperienceFact(Fact):
    corrections: Ids = ()


def _as_of_text(value: Any) -> Any:
    """YAML reads 2021-06-03 as a date and 2016 as a number; both mean an as-of date here."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


AsOf = Annotated[str, Field(pattern=AS_OF_PATTERN)]


class Pay(Strict):
    label: Text
    amount: Annotated[int, Field(ge=1, le=10_000_000)]
    period: Literal["year", "hour"]
    statistic: Literal["mean", "median"]
    as_of: AsOf | None = None
    note: Text | None = None
    sources: SourceIds
    corrections: Ids = ()

    _as_of = field_validator("as_of", mode="before")(_as_of_text)


class Role(Strict):
    id: Id
    title: Text
    also_called: tuple[Text, ...] = ()
    aliases: Ids = ()
    summary: Fact
    care_style: CareStyle
    work_setting: WorkSetting
    duties: Annotated[tuple[Fact, ...], Field(min_length=1)]
    settings: SettingList
    education: Education
    license: LicenseFact
    experience: ExperienceFact
    entry: Annotated[tuple[Route, ...], Field(min_length=1)]
    credentials: Ids = ()
    skills: SkillList
    pay: tuple[Pay, ...] = ()
    corrections: Ids = ()


# --- credentials, corrections, sources ---------------------------------------------------


class FullTime(Strict):
    hours_per_week: Annotated[float, Field(gt=0, le=80)]
    confirmed: bool
    note: Text | None = None
    sources: Ids = ()


class Renewal(Fact):
    every_years: Annotated[int, Field(ge=1, le=20)]
    ce_hours: Annotated[int, Field(ge=1, le=1000)] | None = None
    confirmed: bool = True


class Credential(Strict):
    id: Id
    name: Text
    abbreviation: Text
    formerly: Text | None = None
    body: Text
    sources: SourceIds
    confirmed: bool = True
    note: Text | None = None
    full_time: FullTime
    summary: Text
    rules_note: Text | None = None
    rules_note_sources: Ids = ()
    routes: Annotated[tuple[Route, ...], Field(min_length=1)]
    exam: Fact | None = None
    renewal: Renewal | None = None
    corrections: Ids = ()


class Correction(Strict):
    id: Id
    seed_says: Text
    correct: Text
    sources: SourceIds


class Source(Strict):
    id: Id
    title: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)] | None
    as_of: AsOf
    kind: Literal["primary", "secondary", "seed"]
    note: Text | None = None

    _as_of = field_validator("as_of", mode="before")(_as_of_text)


class Catalog(Strict):
    schema_version: Literal[1]
    education_levels: Annotated[tuple[EducationLevel, ...], Field(min_length=1)]
    fields: Annotated[tuple[StudyField, ...], Field(min_length=1)]
    field_groups: tuple[FieldGroup, ...] = ()
    licenses: tuple[License, ...] = ()
    certifications: tuple[Certification, ...] = ()
    experience_kinds: tuple[ExperienceKind, ...] = ()
    employment_kinds: tuple[EmploymentKind, ...] = ()
    settings: tuple[Setting, ...] = ()
    skills: tuple[Skill, ...] = ()
    shared_skills: SharedSkills | None = None
    roles: Annotated[tuple[Role, ...], Field(min_length=1)]
    credentials: tuple[Credential, ...] = ()
    corrections: tuple[Correction, ...] = ()
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]

    @cached_property
    def role_names(self) -> dict[str, str]:
        """Every accepted name, lower-case, mapped to its role id."""
        names: dict[str, str] = {}
        for role in self.roles:
            for name in (role.id, *role.aliases):
                names.setdefault(name.lower(), role.id)
        return names

    def role(self, role_id: str) -> Role:
        return next(role for role in self.roles if role.id == role_id)

    def credential(self, credential_id: str) -> Credential:
        return next(c for c in self.credentials if c.id == credential_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def label(self, table: str, item_id: str) -> str:
        items: tuple[Labelled, ...] = getattr(self, table)
        return next((item.label for item in items if item.id == item_id), item_id)

    def level_rank(self, level_id: str) -> int:
        return [level.id for level in self.education_levels].index(level_id)

    def cited_sources(self, *models: BaseModel) -> list[Source]:
        """The sources the given models cite, in the order of the sources table."""
        cited = {ref for model in models for _, kind, ref in iter_references(model) if kind == "sources"}
        return [source for source in self.sources if source.id in cited]


# --- answers ------------------------------------------------------------------------------

Years = Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)]


class ExperienceAnswers(Strict):
    """Full-time-equivalent years of each kind of experience; the catalog's experience kinds."""

    rn: Years = 0
    case_management: Years = 0
    case_management_ccm_supervised: Years = 0
    case_management_supervisor: Years = 0
    supervised_care_management: Years = 0
    direct_client_care: Years = 0


EXPERIENCE_FIELDS = tuple(ExperienceAnswers.model_fields)


# --- cross-references --------------------------------------------------------------------

# Field names whose values are ids in another table of the catalog.
REFERENCE_FIELDS = {
    "sources": "sources",
    "note_sources": "sources",
    "rules_note_sources": "sources",
    "corrections": "corrections",
}


def iter_references(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str, str]]:
    """Yield (location, table, id) for every id a model cites by a generic reference field."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = (*loc, name)
        if isinstance(model, Catalog) and name in ("sources", "corrections"):
            for index, item in enumerate(value):
                yield from iter_references(item, (*here, index))
            continue
        if name in REFERENCE_FIELDS and isinstance(value, tuple):
            for index, ref in enumerate(value):
                yield (*here, index), REFERENCE_FIELDS[name], ref
        elif isinstance(value, BaseModel):
            yield from iter_references(value, here)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_references(item, (*here, index))


def _unknown(kind: str, ref: str, known: list[str]) -> str:
    close = difflib.get_close_matches(ref, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})"
    return f"unknown {kind} '{ref}'{hint}"


def _iter_conditions(conditions: tuple[Condition, ...], loc: Loc) -> Iterator[tuple[Loc, Condition]]:
    for index, condition in enumerate(conditions):
        yield (*loc, index), condition
        for opt_index, option in enumerate(condition.any_of or ()):
            yield from _iter_conditions(option.all_of, (*loc, index, "any_of", opt_index, "all_of"))


def find_reference_problems(catalog: Catalog) -> list[tuple[Loc, str]]:
    """Every id that is defined twice or used without being defined, with where it stands."""
    problems: list[tuple[Loc, str]] = []
    tables = (
        "education_levels", "fields", "field_groups", "licenses", "certifications",
        "experience_kinds", "employment_kinds", "settings", "skills", "roles",
        "credentials", "corrections", "sources",
    )
    known: dict[str, list[str]] = {}
    for table in tables:
        seen: set[str] = set()
        for index, item in enumerate(getattr(catalog, table)):
            if item.id in seen:
                problems.append(((table, index, "id"), f"duplicate id '{item.id}'"))
            seen.add(item.id)
        known[table] = [item.id for item in getattr(catalog, table)]

    def check(loc: Loc, table: str, ref: str, kind: str) -> None:
        if ref not in known[table]:
            problems.append((loc, _unknown(kind, ref, known[table])))

    for loc, table, ref in iter_references(catalog):
        check(loc, table, ref, "source id" if table == "sources" else "correction id")
    used_sources = {ref for _, table, ref in iter_references(catalog) if table == "sources"}
    for index, source in enumerate(catalog.sources):
        if source.id not in used_sources:
            problems.append((("sources", index, "id"), f"source '{source.id}' is never cited"))

    for index, kind in enumerate(catalog.experience_kinds):
        if kind.id not in EXPERIENCE_FIELDS:
            problems.append((
                ("experience_kinds", index, "id"),
                _unknown("experience kind (not an answers field)", kind.id, list(EXPERIENCE_FIELDS)),
            ))
    for index, group in enumerate(catalog.field_groups):
        for f_index, field_id in enumerate(group.fields):
            check(("field_groups", index, "fields", f_index), "fields", field_id, "field")
    for index, employment in enumerate(catalog.employment_kinds):
        for e_index, exp_id in enumerate(employment.accrues):
            check(("employment_kinds", index, "accrues", e_index), "experience_kinds", exp_id, "experience kind")
    if catalog.shared_skills:
        for s_index, skill_id in enumerate(catalog.shared_skills.skills):
            check(("shared_skills", "skills", s_index), "skills", skill_id, "skill")

    names: dict[str, str] = {}
    for index, role in enumerate(catalog.roles):
        for a_index, name in enumerate((role.id, *role.aliases)):
            loc: Loc = ("roles", index, "id") if a_index == 0 else ("roles", index, "aliases", a_index - 1)
            owner = names.get(name.lower())
            if owner is not None and (a_index > 0 or owner != role.id):
                problems.append((loc, f"name '{name}' is already used by role '{owner}'"))
            names.setdefault(name.lower(), role.id)
        base: Loc = ("roles", index)
        for s_index, setting_id in enumerate(role.settings.ids):
            check((*base, "settings", "ids", s_index), "settings", setting_id, "setting")
        for s_index, skill_id in enumerate(role.skills.ids):
            check((*base, "skills", "ids", s_index), "skills", skill_id, "skill")
        for c_index, credential_id in enumerate(role.credentials):
            check((*base, "credentials", c_index), "credentials", credential_id, "credential")
        for l_index, license_id in enumerate(role.license.required):
            check((*base, "license", "required", l_index), "licenses", license_id, "license")
        for name in ("minimum", "preferred"):
            requirement = getattr(role.education, name)
            if requirement is not None:
                check((*base, "education", name, "level"), "education_levels", requirement.level, "education level")
                check((*base, "education", name, "field_group"), "field_groups", requirement.field_group, "field group")
        for r_index, route in enumerate(role.entry):
            problems += _condition_problems(route.all_of, (*base, "entry", r_index, "all_of"), known)
    for index, credential in enumerate(catalog.credentials):
        for r_index, route in enumerate(credential.routes):
            problems += _condition_problems(
                route.all_of, ("credentials", index, "routes", r_index, "all_of"), known
            )
    return problems


def _condition_problems(
    conditions: tuple[Condition, ...], loc: Loc, known: dict[str, list[str]]
) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []

    def check(where: Loc, table: str, ref: str, kind: str) -> None:
        if ref not in known[table]:
            problems.append((where, _unknown(kind, ref, known[table])))

    for where, condition in _iter_conditions(conditions, loc):
        if condition.license:
            for index, ref in enumerate(condition.license.any_of):
                check((*where, "license", "any_of", index), "licenses", ref, "license")
        if condition.certification:
            for index, ref in enumerate(condition.certification.any_of):
                check((*where, "certification", "any_of", index), "certifications", ref, "certification")
        if condition.employment:
            for index, ref in enumerate(condition.employment.any_of):
                check((*where, "employment", "any_of", index), "employment_kinds", ref, "employment kind")
        if condition.education:
            check((*where, "education", "min_level"), "education_levels", condition.education.min_level,
                  "education level")
            if condition.education.field_group is not None:
                check((*where, "education", "field_group"), "field_groups", condition.education.field_group,
                      "field group")
        if condition.experience:
            check((*where, "experience", "of"), "experience_kinds", condition.experience.of, "experience kind")
    return problems
