"""Pydantic models of the roles catalog (data/roles.yaml). checks.py does what pydantic cannot:
cross-references, and texts whose numbers must match their rules."""

# No `from __future__ import annotations` here: pydantic would evaluate every field's
# annotation from a string when the classes are made (~10 ms on each start). Forward
# references are quoted instead.

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

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
CeKindId = Annotated[Id, RefTo("ce_kinds", "continuing-education kind")]
EmploymentKindIds = Annotated[Ids, NonEmpty, RefTo("employment_kinds", "employment kind")]
SettingIds = Annotated[Ids, NonEmpty, RefTo("settings", "setting")]
SkillIds = Annotated[Ids, NonEmpty, RefTo("skills", "skill")]
CredentialIds = Annotated[Ids, RefTo("credentials", "credential")]


class Strict(BaseModel):
    """Unknown keys are errors (a typo must not pass silently) and loaded data never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# Other names people type for an item (abbreviations, synonyms): the questionnaire accepts them.
Aliases = tuple[Annotated[str, Field(min_length=1, max_length=80)], ...]


class Labelled(Strict):
    id: Id
    label: Text
    note: Text | None = None
    aliases: Aliases = ()


class EducationLevel(Labelled):
    # A level that is always in one field (a hospital nursing diploma): no field is asked.
    field: Annotated[Id, RefTo("fields", "field")] | None = None


class StudyField(Labelled):
    pass


class FieldGroup(Labelled):
    fields: FieldIds
    sources: OptionalSources = ()


class License(Labelled):
    abbreviation: Text | None = None
    # Lets its holder assess clients independently: what CCMC asks of a license.
    independent_assessment: bool
    confirmed: bool = True
    # The key of the answers' version-1 form ({rn: true, other: true}) this license replaces,
    # and what to tell a person who still uses it.
    formerly: Id | None = None
    formerly_note: Text | None = None
    sources: SourceIds


class Certification(Labelled):
    pass


class ExperienceKind(Labelled):
    pass


class EmploymentKind(Labelled):
    accrues: ExperienceKindIds = ()


class EmploymentDetail(Labelled):
    """A yes-or-no fact about a current job of the kinds `jobs`; when true, the job also adds
    to the experience kinds `accrues`."""

    jobs: EmploymentKindIds
    accrues: Annotated[ExperienceKindIds, NonEmpty]
    sources: SourceIds


class CeKind(Labelled):
    """Hours of continuing education of one kind, as the answers give them: within a window."""

    window_years: Annotated[int, Field(ge=1, le=50)]


class PreferenceValue(Strict):
    id: Id
    label: Text
    aliases: Aliases = ()


class Preference(Strict):
    """Something a person may prefer, which each role offers one value of (its field of this name)."""

    id: Literal["care_style", "work_setting"]
    label: Text
    values: Annotated[tuple[PreferenceValue, ...], Field(min_length=2)]


class Setting(Labelled):
    kind: Id  # a value of the work_setting preference (checks.py)


class Skill(Labelled):
    pass


# --- conditions: the rule language of entry requirements and credential routes -------------


class LicenseCondition(Strict):
    """One of these licenses, or any license that allows independent client assessment."""

    any_of: Annotated[LicenseIds, NonEmpty] | None = None
    independent_assessment: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_way(self) -> "LicenseCondition":
        if (self.any_of is None) == (self.independent_assessment is None):
            raise ValueError("give exactly one of 'any_of' or 'independent_assessment: true'")
        return self


class EducationCondition(Strict):
    min_level: LevelId
    field_group: FieldGroupId | None = None
    field_experience: bool = False


class CertificationCondition(Strict):
    any_of: CertificationIds


class AlsoCounts(Strict):
    """Another experience kind that counts too, past the months another rule asks of it."""

    of: ExperienceKindId
    beyond_months: Annotated[int, Field(ge=0, le=600)]


class ExperienceCondition(Strict):
    of: ExperienceKindId
    months: Annotated[int, Field(ge=1, le=600)] | None = None
    hours: Annotated[int, Field(ge=1, le=100_000)] | None = None
    within_years: Annotated[int, Field(ge=1, le=50)] | None = None
    also_counts: AlsoCounts | None = None
    # How caremgr reads a body's rule where its words leave room (shown with the result).
    reading: Text | None = None

    @model_validator(mode="after")
    def _one_amount(self) -> "ExperienceCondition":
        if (self.months is None) == (self.hours is None):
            raise ValueError("give exactly one of 'months' or 'hours'")
        if self.also_counts is not None and (self.reading is None or self.months is None):
            raise ValueError("'also_counts' needs 'months' and a 'reading' that says how caremgr reads the rule")
        return self


class CeCondition(Strict):
    of: CeKindId
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


def walk(conditions: tuple["Condition", ...]) -> Iterator["Condition"]:
    """Every condition, with those nested in `any_of` options, each before its options'."""
    for condition in conditions:
        yield condition
        for option in condition.any_of or ():
            yield from walk(option.all_of)


class Route(Option):
    sources: SourceIds
    note: Text | None = None


class EmployerPreference(Option):
    """What employers prefer of people on one entry route: shown met or not, never a gap."""

    sources: SourceIds
    confirmed: bool = True  # False: the label says what caremgr assumes where no source gives a figure


class EntryRoute(Route):
    name: Text  # short, for sentences: "the social-work route"
    preferences: tuple[EmployerPreference, ...] = ()


# --- the questionnaire and the fit terms -------------------------------------------------


class Choice(Strict):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    label: Text
    aliases: Aliases = ()


class AskIf(Strict):
    """Ask only when an earlier answer is (`one_of`) or is not (`not_in`) one of these values;
    for a list answer, when any of its items is (`none_of`: when none of them is)."""

    answer: Annotated[str, Field(pattern=r"^[a-z_]+(?:\.[a-z_]+)?$")]
    one_of: Annotated[tuple[str, ...], Field(min_length=1)] | None = None
    not_in: Annotated[tuple[str, ...], Field(min_length=1)] | None = None
    none_of: Annotated[tuple[str, ...], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> "AskIf":
        if sum(test is not None for test in (self.one_of, self.not_in, self.none_of)) != 1:
            raise ValueError("give exactly one of 'one_of', 'not_in' or 'none_of'")
        return self


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


CHOICE_TYPES = ("choice", "choices", "flags", "skill-picks")
MATTERS_TYPES = ("choices", "flags", "yes-no", "years", "hours")


class Question(Strict):
    id: Id
    answer: Annotated[str, Field(pattern=r"^[a-z_]+(?:\.[a-z_0-9]+)?$")]
    text: Text
    short: Annotated[str, Field(min_length=1, max_length=40)]  # the answer's name in the review
    help: Text | None = None
    # choice: one of a list; choices: any of a list; flags: any of a list of yes-or-no answers
    # under `answer` (each one picked is true, the others false); skill-picks: the skills picked
    # get `rating`, and the skills not rated get `others`.
    type: Literal["choice", "choices", "flags", "skill-picks", "yes-no", "years", "hours"]
    # A table of the catalog, or "preferences.<id>" for a preference's values.
    choices_from: (
        Annotated[
            str,
            Field(
                pattern=r"^(education_levels|fields|employment_kinds|employment_details|licenses|certifications"
                r"|skills|preferences\.[a-z_]+)$"
            ),
        ]
        | None
    ) = None
    choices: tuple[Choice, ...] = ()
    default: str | float | bool | None = None
    # Enter does not take the default: the person must say (a degree's field has no sensible default).
    must_answer: bool = False
    # Asked only when its answer could change the advice, given the answers before it.
    only_if_it_matters: bool = False
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    others: Annotated[int, Field(ge=1, le=5)] | None = None
    # Asked only when every test holds: one test, or a list of them.
    ask_if: Annotated[tuple[AskIf, ...], BeforeValidator(_one_or_many)] = ()

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "Question":
        has_choices = self.type in CHOICE_TYPES
        if has_choices and (self.choices_from is None) == (not self.choices):
            raise ValueError("a choice question needs exactly one of 'choices' or 'choices_from'")
        if not has_choices and (self.choices or self.choices_from):
            raise ValueError("only a choice question has choices")
        if (self.type == "skill-picks") != (self.rating is not None and self.others is not None):
            raise ValueError("a skill-picks question, and only it, gives 'rating' and 'others'")
        if self.only_if_it_matters and self.type not in MATTERS_TYPES:
            # Whether an answer matters is tried with its least and its most: these types have both.
            raise ValueError(f"only a question of type {', '.join(MATTERS_TYPES)} can be only_if_it_matters")
        return self


class GlossaryTerm(Strict):
    """A term the questions use, explained on `?`; with sources where it states a rule. A
    credential's term is explained by the credential itself (its name, body and summary)."""

    term: Text
    aliases: Aliases = ()
    text: Text | None = None
    credential: Annotated[Id, RefTo("credentials", "credential")] | None = None
    sources: OptionalSources = ()

    @model_validator(mode="after")
    def _text_or_credential(self) -> "GlossaryTerm":
        if (self.text is None) == (self.credential is None):
            raise ValueError("give exactly one of 'text' or 'credential'")
        return self


class Shorthand(Strict):
    """One thing people type that answers several questions at once: "MSW" is a master's
    degree (education.level) in social work (education.field)."""

    spellings: Annotated[Aliases, Field(min_length=1)]
    label: Text
    answers: Annotated[dict[Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_0-9]+$")], str], Field(min_length=2)]


FIT_KINDS = ("preference", "skills")


class FitTerm(Strict):
    """One weighted term of a role's fit: a preference, or the ratings of the role's (or the
    shared) skills. Qualifications are readiness, never fit."""

    id: Id
    points: Annotated[int, Field(ge=1, le=100)]
    preference: Literal["care_style", "work_setting"] | None = None
    skills: Literal["role", "shared"] | None = None
    label: Text
    sources: OptionalSources = ()

    @model_validator(mode="after")
    def _exactly_one(self) -> "FitTerm":
        given = [kind for kind in FIT_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError("a fit term needs exactly one of: " + ", ".join(FIT_KINDS))
        return self


class AnswerTest(Strict):
    """One test of one answer: exactly one of the comparisons."""

    answer: Annotated[str, Field(pattern=r"^[a-z_]+(?:\.[a-z0-9_-]+)?$")]
    equals: str | bool | float | None = None
    one_of: tuple[str, ...] | None = None
    not_one_of: tuple[str, ...] | None = None
    above: float | None = None
    above_answer: Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z0-9_-]+$")] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "AnswerTest":
        given = [name for name in TEST_KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("an answer test needs exactly one of: " + ", ".join(TEST_KINDS))
        return self


TEST_KINDS = ("equals", "one_of", "not_one_of", "above", "above_answer")


class AnswersWarning(Strict):
    """Answers that make a poor basis for advice (a contradiction): said when all tests hold."""

    id: Id
    message: Text
    all_of: Annotated[tuple[AnswerTest, ...], Field(min_length=1)]


# --- roles -------------------------------------------------------------------------------


class Fact(Strict):
    text: Text
    sources: SourceIds


class CareStyle(Fact):
    value: Id  # a value of the care_style preference (checks.py)


class WorkSetting(Fact):
    value: Id  # a value of the work_setting preference (checks.py)


class SettingList(Strict):
    ids: SettingIds
    sources: SourceIds


class SkillList(Strict):
    ids: SkillIds
    sources: SourceIds


class SharedSkills(Strict):
    skills: SkillIds
    sources: SourceIds


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
    license: Fact
    experience: Fact
    entry: Annotated[tuple[EntryRoute, ...], Field(min_length=1)]
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
    ethics_hours: Annotated[int, Field(ge=1, le=1000)] | None = None  # of the CE hours
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
    # Rules caremgr states but cannot check from answers; their numbers are listed so that
    # `validate` can hold the note to them.
    rules_note: Text | None = None
    rules_note_numbers: tuple[Annotated[float, Field(ge=0)], ...] = ()
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
    schema_version: Literal[2]
    education_levels: Annotated[tuple[EducationLevel, ...], Field(min_length=1)]
    fields: Annotated[tuple[StudyField, ...], Field(min_length=1)]
    field_groups: tuple[FieldGroup, ...] = ()
    licenses: tuple[License, ...] = ()
    certifications: tuple[Certification, ...] = ()
    experience_kinds: tuple[ExperienceKind, ...] = ()
    ce_kinds: tuple[CeKind, ...] = ()
    employment_kinds: tuple[EmploymentKind, ...] = ()
    employment_details: tuple[EmploymentDetail, ...] = ()
    settings: tuple[Setting, ...] = ()
    preferences: tuple[Preference, ...] = ()
    skills: tuple[Skill, ...] = ()
    shared_skills: SharedSkills | None = None
    roles: Annotated[tuple[Role, ...], Field(min_length=1)]
    credentials: tuple[Credential, ...] = ()
    corrections: tuple[Correction, ...] = ()
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]
    questions: tuple[Question, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    shorthands: tuple[Shorthand, ...] = ()
    warnings: tuple[AnswersWarning, ...] = ()
    disclaimer: Text = "Certifying bodies decide eligibility; check their current rules before you apply."

    @cached_property
    def role_names(self) -> dict[str, str]:
        """Every accepted name, lower-case, mapped to its role id."""
        names: dict[str, str] = {}
        for role in self.roles:
            for name in (role.id, *role.aliases):
                names.setdefault(name.lower(), role.id)
        return names

    # Lookups by id, built on first use.
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

    @cached_property
    def preference_labels(self) -> dict[str, dict[str, str]]:
        """Each preference's values and their labels."""
        return {item.id: {value.id: value.label for value in item.values} for item in self.preferences}

    def role(self, role_id: str) -> Role:
        return self.roles_by_id[role_id]

    def credential(self, credential_id: str) -> Credential:
        return self.credentials_by_id[credential_id]

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    @cached_property
    def source_numbers(self) -> dict[str, int]:
        """One numbering for the whole catalog, the order of `sources`: [3] is the same page everywhere."""
        return {source.id: number for number, source in enumerate(self.sources, start=1)}

    def label(self, table: str, item_id: str) -> str:
        return self.labels[table].get(item_id, item_id)

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


# --- cross-references --------------------------------------------------------------------

TABLES = (
    "education_levels", "fields", "field_groups", "licenses", "certifications", "experience_kinds", "ce_kinds",
    "employment_kinds", "employment_details", "settings", "skills", "roles", "credentials", "corrections", "sources",
)  # fmt: skip


def iter_references(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, RefTo, str]]:
    """Yield (location, target, id) for every id a model cites through a `RefTo` field."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*loc, name)
        target = _reference_target(info.metadata, info.annotation)
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


def _reference_target(metadata: list[Any], annotation: Any) -> RefTo | None:
    """The RefTo of a field: in its metadata, or inside an optional one (`Annotated[...] | None`,
    whose metadata pydantic leaves on the union's member)."""
    found = next((m for m in metadata if isinstance(m, RefTo)), None)
    if found is not None:
        return found
    for member in (
        typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else ()
    ):
        if typing.get_origin(member) is Annotated:
            found = next((m for m in member.__metadata__ if isinstance(m, RefTo)), None)
            if found is not None:
                return found
    return None
