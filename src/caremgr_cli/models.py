"""Pydantic models of the roles catalog, and the cross-reference checks pydantic cannot do."""

# No `from __future__ import annotations` here: pydantic would evaluate every field's
# annotation from a string when the classes are made (~10 ms on each start). Forward
# references are quoted instead.

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
AS_OF_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class RefTo:
    """Field metadata: the value is an id (or ids) defined in another table of the catalog."""

    table: str
    kind: str


Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Ids = tuple[Id, ...]

NonEmpty = Field(min_length=1)
SourceIds = Annotated[Ids, NonEmpty, RefTo("sources", "source id")]
OptionalSources = Annotated[Ids, RefTo("sources", "source id")]
CorrectionIds = Annotated[Ids, RefTo("corrections", "correction id")]
LevelId = Annotated[Id, RefTo("education_levels", "education level")]
FieldGroupId = Annotated[Id, RefTo("field_groups", "field group")]
FieldIds = Annotated[Ids, NonEmpty, RefTo("fields", "field")]
LicenseIds = Annotated[Ids, RefTo("licenses", "license")]
CertificationIds = Annotated[Ids, NonEmpty, RefTo("certifications", "certification")]
ExperienceKindId = Annotated[Id, RefTo("experience_kinds", "experience kind")]
ExperienceKindIds = Annotated[Ids, RefTo("experience_kinds", "experience kind")]
EmploymentKindIds = Annotated[Ids, NonEmpty, RefTo("employment_kinds", "employment kind")]
SettingIds = Annotated[Ids, NonEmpty, RefTo("settings", "setting")]
SkillIds = Annotated[Ids, NonEmpty, RefTo("skills", "skill")]
CredentialIds = Annotated[Ids, RefTo("credentials", "credential")]


class Strict(BaseModel):
    """Unknown keys are errors (a typo must not pass silently) and loaded data never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Labelled(Strict):
    id: Id
    label: Text
    note: Text | None = None


class EducationLevel(Labelled):
    pass


class StudyField(Labelled):
    pass


class FieldGroup(Labelled):
    fields: FieldIds
    sources: OptionalSources = ()


class License(Labelled):
    pass


class Certification(Labelled):
    pass


class ExperienceKind(Labelled):
    pass


class EmploymentKind(Labelled):
    accrues: ExperienceKindIds = ()


class Setting(Labelled):
    kind: Literal["facility", "client-homes"]


class Skill(Labelled):
    pass


# --- conditions: the rule language of entry requirements and credential routes -------------


class LicenseCondition(Strict):
    any_of: Annotated[LicenseIds, NonEmpty]


class EducationCondition(Strict):
    min_level: LevelId
    field_group: FieldGroupId | None = None
    field_experience: bool = False


class CertificationCondition(Strict):
    any_of: CertificationIds


class ExperienceCondition(Strict):
    of: ExperienceKindId
    months: Annotated[int, Field(ge=1, le=600)] | None = None
    hours: Annotated[int, Field(ge=1, le=100_000)] | None = None
    within_years: Annotated[int, Field(ge=1, le=50)] | None = None

    @model_validator(mode="after")
    def _one_amount(self) -> "ExperienceCondition":
        if (self.months is None) == (self.hours is None):
            raise ValueError("give exactly one of 'months' or 'hours'")
        return self


class CeCondition(Strict):
    hours: Annotated[int, Field(ge=1, le=1000)]
    within_years: Annotated[int, Field(ge=1, le=50)] | None = None


class EmploymentCondition(Strict):
    any_of: EmploymentKindIds


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
    any_of: Annotated[tuple["Option", ...], Field(min_length=2)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Condition":
        given = [kind for kind in CONDITION_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(
                "a condition needs exactly one of: "
                + ", ".join(CONDITION_KINDS)
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


# --- the questionnaire and the fit terms -------------------------------------------------


class Choice(Strict):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    label: Text


class AskIf(Strict):
    answer: Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$")]
    not_in: Annotated[tuple[str, ...], Field(min_length=1)]


class Question(Strict):
    id: Id
    answer: Annotated[str, Field(pattern=r"^[a-z_]+(?:\.[a-z_0-9]+)?$")]
    text: Text
    help: Text | None = None
    type: Literal["choice", "choices", "yes-no", "years", "hours", "ratings"]
    choices_from: Literal["education_levels", "fields", "employment_kinds", "certifications"] | None = None
    choices: tuple[Choice, ...] = ()
    default: str | float | bool | None = None
    ask_if: AskIf | None = None

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "Question":
        has_choices = self.type in ("choice", "choices")
        if has_choices and (self.choices_from is None) == (not self.choices):
            raise ValueError("a choice question needs exactly one of 'choices' or 'choices_from'")
        if not has_choices and (self.choices or self.choices_from):
            raise ValueError("only a choice question has choices")
        return self


class FitExperience(Strict):
    of: ExperienceKindId
    full_at_months: Annotated[int, Field(ge=1, le=600)]


FIT_KINDS = ("preference", "skills", "education", "experience")


class FitTerm(Strict):
    """One weighted term of a role's fit: a preference, skill ratings, or a preferred qualification."""

    id: Id
    points: Annotated[int, Field(ge=1, le=100)]
    preference: Literal["care_style", "work_setting"] | None = None
    skills: Literal["role", "shared"] | None = None
    education: EducationCondition | None = None
    experience: FitExperience | None = None
    label: Text
    sources: OptionalSources = ()

    @model_validator(mode="after")
    def _exactly_one(self) -> "FitTerm":
        given = [kind for kind in FIT_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError("a fit term needs exactly one of: " + ", ".join(FIT_KINDS))
        return self


# --- roles -------------------------------------------------------------------------------


class Fact(Strict):
    text: Text
    sources: SourceIds


class CareStyle(Fact):
    value: Literal["indirect", "direct"]


class WorkSetting(Fact):
    value: Literal["facility", "client-homes"]


class SettingList(Strict):
    ids: SettingIds
    sources: SourceIds


class SkillList(Strict):
    ids: SkillIds
    sources: SourceIds


class SharedSkills(Strict):
    skills: SkillIds
    sources: SourceIds


class EducationRequirement(Fact):
    level: LevelId
    field_group: FieldGroupId


class Education(Strict):
    minimum: EducationRequirement
    preferred: EducationRequirement | None = None
    note: Text | None = None
    note_sources: OptionalSources = ()


class LicenseFact(Fact):
    required: LicenseIds


class ExperienceFact(Fact):
    corrections: CorrectionIds = ()


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
    corrections: CorrectionIds = ()

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
    credentials: CredentialIds = ()
    skills: SkillList
    pay: tuple[Pay, ...] = ()
    corrections: CorrectionIds = ()
    fit: Annotated[tuple[FitTerm, ...], Field(min_length=1)]


# --- credentials, corrections, sources ---------------------------------------------------


class FullTime(Strict):
    hours_per_week: Annotated[float, Field(gt=0, le=80)]
    confirmed: bool
    note: Text | None = None
    sources: OptionalSources = ()


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
    rules_note_sources: OptionalSources = ()
    routes: Annotated[tuple[Route, ...], Field(min_length=1)]
    exam: Fact | None = None
    renewal: Renewal | None = None
    corrections: CorrectionIds = ()


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
    questions: tuple[Question, ...] = ()
    disclaimer: Text = "Certifying bodies decide eligibility; check their current rules before you apply."

    @cached_property
    def role_names(self) -> dict[str, str]:
        """Every accepted name, lower-case, mapped to its role id."""
        names: dict[str, str] = {}
        for role in self.roles:
            for name in (role.id, *role.aliases):
                names.setdefault(name.lower(), role.id)
        return names

    # Lookups by id, built on first use: the scorer asks them thousands of times in a batch.
    @cached_property
    def roles_by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    @cached_property
    def credentials_by_id(self) -> dict[str, Credential]:
        return {credential.id: credential for credential in self.credentials}

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        tables = [name for name in TABLES if issubclass(_item_type(type(self), name), Labelled)]
        return {table: {item.id: item.label for item in getattr(self, table)} for table in tables}

    @cached_property
    def level_ranks(self) -> dict[str, int]:
        return {level.id: rank for rank, level in enumerate(self.education_levels)}

    def role(self, role_id: str) -> Role:
        return self.roles_by_id[role_id]

    def credential(self, credential_id: str) -> Credential:
        return self.credentials_by_id[credential_id]

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def label(self, table: str, item_id: str) -> str:
        return self.labels[table].get(item_id, item_id)

    def level_rank(self, level_id: str) -> int:
        return self.level_ranks[level_id]

    def cited_sources(self, *models: BaseModel) -> list[Source]:
        """The sources the given models cite, in the order of the sources table."""
        cited = {ref for model in models for _, to, ref in iter_references(model) if to.table == "sources"}
        return [source for source in self.sources if source.id in cited]


def _item_type(model: type[BaseModel], table: str) -> type:
    """The item class of a tuple field, e.g. Skill for Catalog.skills."""
    annotation = model.model_fields[table].annotation
    while typing.get_origin(annotation) is not tuple:
        annotation = typing.get_args(annotation)[0]
    item: type = typing.get_args(annotation)[0]
    return item


# --- answers ------------------------------------------------------------------------------

Years = Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)]
Level = Literal["none", "high-school", "associate", "bachelor", "master", "doctorate"]
StudyFieldId = Literal[
    "nursing", "social-work", "counseling", "psychology", "public-health", "rehabilitation", "gerontology",
    "human-services", "other-related", "unrelated", "none",
]  # fmt: skip
EmploymentId = Literal["none", "nursing", "case-management", "care-management", "other"]


class EducationAnswers(Strict):
    level: Level = "none"
    field: StudyFieldId = "none"
    field_experience: bool = False


class LicenseAnswers(Strict):
    rn: bool = False
    other: bool = False


class ExperienceAnswers(Strict):
    """Full-time-equivalent years of each kind of experience; the catalog's experience kinds."""

    rn: Years = 0.0
    case_management: Years = 0.0
    case_management_ccm_supervised: Years = 0.0
    case_management_supervisor: Years = 0.0
    supervised_care_management: Years = 0.0
    direct_client_care: Years = 0.0


class CeAnswers(Strict):
    case_management_last_3_years: Annotated[float, Field(ge=0, le=2000, allow_inf_nan=False)] = 0.0


class EmploymentAnswers(Strict):
    current: EmploymentId = "none"
    hours_per_week: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 0.0


class PreferenceAnswers(Strict):
    work_setting: Literal["facility", "client-homes", "no-preference"] = "no-preference"
    care_style: Literal["indirect", "direct", "no-preference"] = "no-preference"


Rating = Annotated[int, Field(ge=1, le=5, strict=True)]


class Answers(Strict):
    """What a person told us. Anything omitted counts as zero, none or false."""

    # Defaults are made with model_construct (defaults need no validation): calling the
    # class would build its deferred validator, which the cached answers validator avoids.
    id: Annotated[str, Field(max_length=200)] | None = None
    education: EducationAnswers = Field(default_factory=EducationAnswers.model_construct)
    licenses: LicenseAnswers = Field(default_factory=LicenseAnswers.model_construct)
    certifications: tuple[Literal["crc", "cdms"], ...] = ()
    experience: ExperienceAnswers = Field(default_factory=ExperienceAnswers.model_construct)
    ce_hours: CeAnswers = Field(default_factory=CeAnswers.model_construct)
    employment: EmploymentAnswers = Field(default_factory=EmploymentAnswers.model_construct)
    preferences: PreferenceAnswers = Field(default_factory=PreferenceAnswers.model_construct)
    skills: dict[Id, Rating] = Field(default_factory=dict)


EXPERIENCE_FIELDS = tuple(ExperienceAnswers.model_fields)


# --- results -------------------------------------------------------------------------------
# The scorer's output: plain frozen dataclasses, typed for mypy and described for JSON Schema
# by pydantic, but never re-validated (they are built by our own code, once per person; see
# docs/performance.md). documents.py serialises them.


@dataclass(frozen=True, slots=True)
class Gap:
    kind: str
    message: str
    needed: float | None = None
    have: float | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    id: str
    points: int
    max_points: int
    message: str


@dataclass(frozen=True, slots=True)
class CredentialResult:
    id: str
    name: str
    abbreviation: str
    body: str
    confirmed: bool
    eligible: bool
    route: str | None
    route_label: str | None
    gaps: tuple[Gap, ...]
    eligible_on: date | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleResult:
    id: str
    title: str
    fit: Annotated[int, Field(ge=0, le=100)]
    eligible: bool
    gaps: tuple[Gap, ...]
    reasons: tuple[Reason, ...]
    certifications: tuple[CredentialResult, ...]


@dataclass(frozen=True, slots=True)
class Result:
    schema_version: Literal[1]
    id: str | None
    as_of: date
    ranking: tuple[str, ...]
    roles: tuple[RoleResult, ...]
    warnings: tuple[str, ...]
    disclaimer: str


# --- cross-references --------------------------------------------------------------------

TABLES = (
    "education_levels", "fields", "field_groups", "licenses", "certifications", "experience_kinds",
    "employment_kinds", "settings", "skills", "roles", "credentials", "corrections", "sources",
)  # fmt: skip


def iter_references(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, RefTo, str]]:
    """Yield (location, target, id) for every id a model cites through a `RefTo` field."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*loc, name)
        target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if target is not None and isinstance(value, str):
            yield here, target, value
        elif target is not None and isinstance(value, tuple):
            for index, ref in enumerate(value):
                yield (*here, index), target, ref
        elif isinstance(value, BaseModel):
            yield from iter_references(value, here)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_references(item, (*here, index))


def describe_unknown(kind: str, ref: str, known: list[str]) -> str:
    close = closest(ref, known)
    hint = f"; did you mean '{close}'?" if close else f" (known: {', '.join(known)})"
    return f"unknown {kind} '{ref}'{hint}"


def closest(word: str, choices: list[str]) -> str | None:
    """The choice a mistyped word most likely meant, if any is close."""
    import difflib  # only on a mistake: it costs startup

    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None


def find_reference_problems(catalog: Catalog) -> list[tuple[Loc, str]]:
    """Every id that is defined twice, used without being defined, or defined and never used."""
    problems: list[tuple[Loc, str]] = []
    known = {table: [item.id for item in getattr(catalog, table)] for table in TABLES}
    for table in TABLES:
        for index, item_id in enumerate(known[table]):
            if item_id in known[table][:index]:
                problems.append(((table, index, "id"), f"duplicate id '{item_id}'"))
    cited: set[str] = set()
    for loc, target, ref in iter_references(catalog):
        if ref not in known[target.table]:
            problems.append((loc, describe_unknown(target.kind, ref, known[target.table])))
        if target.table == "sources":
            cited.add(ref)
    problems += [
        (("sources", index, "id"), f"source '{source_id}' is never cited")
        for index, source_id in enumerate(known["sources"])
        if source_id not in cited
    ]
    problems += [
        (
            ("experience_kinds", index, "id"),
            describe_unknown("answers experience field", kind_id, list(EXPERIENCE_FIELDS)),
        )
        for index, kind_id in enumerate(known["experience_kinds"])
        if kind_id not in EXPERIENCE_FIELDS
    ]
    return problems + _name_clashes(catalog) + _question_problems(catalog)


_SAMPLE_VALUES: dict[str, Any] = {"yes-no": True, "years": 0, "hours": 0, "ratings": {}}


def _question_problems(catalog: Catalog) -> list[tuple[Loc, str]]:
    """Each question must fill a real answers field, with values that field accepts."""
    problems: list[tuple[Loc, str]] = []
    filled: set[str] = set()
    for index, question in enumerate(catalog.questions):
        if question.choices_from is not None:
            ids = [item.id for item in getattr(catalog, question.choices_from)]
        else:
            ids = [choice.id for choice in question.choices]
        if question.type == "choice":
            samples: list[Any] = ids
        elif question.type == "choices":
            samples = [[choice_id] for choice_id in ids]
        else:
            samples = [_SAMPLE_VALUES[question.type]]
        for value in samples:
            document: dict[str, Any] = {}
            *parents, last = question.answer.split(".")
            node = document
            for key in parents:
                node = node.setdefault(key, {})
            node[last] = value
            try:
                Answers.model_validate(document)
            except ValidationError as error:
                detail = error.errors(include_url=False)[0]
                where = ".".join(str(part) for part in detail["loc"])
                message = f"answers field '{question.answer}' cannot hold {value!r} ({where}: {detail['msg']})"
                problems.append((("questions", index, "answer"), message))
                break
        if question.ask_if is not None and question.ask_if.answer not in filled:
            problems.append((("questions", index, "ask_if", "answer"),
                             f"'{question.ask_if.answer}' is not answered by an earlier question"))  # fmt: skip
        filled.add(question.answer)
    return problems


def _name_clashes(catalog: Catalog) -> list[tuple[Loc, str]]:
    """Role ids and aliases are matched case-insensitively, so each may name one role only."""
    problems: list[tuple[Loc, str]] = []
    owners: dict[str, str] = {}
    for index, role in enumerate(catalog.roles):
        for a_index, name in enumerate((role.id, *role.aliases)):
            where: Loc = ("roles", index, "id") if a_index == 0 else ("roles", index, "aliases", a_index - 1)
            owner = owners.setdefault(name.lower(), role.id)
            if owner != role.id or (a_index > 0 and name.lower() == role.id):
                problems.append((where, f"name '{name}' is already used by role '{owner}'"))
    return problems
