"""The answers model, built from the catalog.

Every vocabulary an answer may use (education levels, fields, licenses, certifications,
experience and continuing-education kinds, jobs, preference values) is read from the
catalog, so a license or a field of study added to roles.yaml needs no change here. What
stays in Python is the shape of an answers document and the bounds of a plausible answer.
"""

# No `from __future__ import annotations`: pydantic reads these annotations at class creation.

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    create_model,
    model_validator,
)

from caremgr_cli.catalog.models import Catalog, PreferenceValue

# The preference value that states none: it leaves its term out of the fit (engine/fit.py).
NO_PREFERENCE = "no-preference"

Years = Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)]
CeHours = Annotated[float, Field(ge=0, le=2000, allow_inf_nan=False)]
HoursPerWeek = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Rating = Annotated[int, Field(ge=1, le=5, strict=True)]
SkillId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=1, max_length=64)]

_STRICT = ConfigDict(extra="forbid", frozen=True)


# The sections are models made from the catalog by `answers_model`: here they are typed loosely.
class Answers(BaseModel):
    """What a person told us. Anything omitted counts as zero, none or false."""

    model_config = _STRICT

    id: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="Whose answers these are (a name or a roster id); the result carries it."
    )
    education: Any = None
    licenses: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    experience: Any = None
    ce_hours: Any = None
    employment: Any = None
    preferences: Any = None
    skills: dict[SkillId, Rating] = Field(default_factory=dict)

    # What reading the document had to assume (an answers version-1 form): said with the result.
    _notes: tuple[str, ...] = PrivateAttr(default=())
    # The version-1 licenses form ({rn: true, other: true}) as a model, and the keys a license
    # replaces: {key: (license id, what to tell the person)}. Set by `answers_model`.
    version_1_licenses: ClassVar[type[BaseModel] | None] = None
    formerly_licenses: ClassVar[dict[str, tuple[str, str]]] = {}

    @property
    def notes(self) -> tuple[str, ...]:
        return self._notes

    @model_validator(mode="wrap")
    @classmethod
    def _read_version_1(cls, data: Any, handler: ModelWrapValidatorHandler["Answers"]) -> "Answers":
        """Reads the version-1 licenses form, {rn: true, other: true}: each true key is the
        license of that id, or the one that names it `formerly` (saying how it was read)."""
        held = data.get("licenses") if isinstance(data, dict) else None
        if not isinstance(held, dict) or cls.version_1_licenses is None:
            return handler(data)
        # The old form's problems and the rest's are reported together, as one document's are.
        errors: list[Any] = []
        try:
            given = cls.version_1_licenses.model_validate(held).model_dump()
        except ValidationError as error:
            errors = [{**detail, "loc": ("licenses", *detail["loc"])} for detail in error.errors()]
            given = {}
        true_keys = [key for key, value in given.items() if value]
        listed = [cls.formerly_licenses.get(key, (key, ""))[0] for key in true_keys]
        notes = tuple(cls.formerly_licenses[key][1] for key in true_keys if key in cls.formerly_licenses)
        try:
            answers = handler({**data, "licenses": listed})
        except ValidationError as error:
            errors += error.errors()
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        answers._notes = notes
        return answers


def answers_model(catalog: Catalog) -> type[Answers]:
    """The model of an answers document for this catalog (build it once per catalog: ~20 ms)."""
    # Every field is described for `caremgr schema answers`: the shape in words here, each
    # allowed value with its label from the catalog.
    sections: dict[str, type[BaseModel]] = {
        "education": _section("EducationAnswers", {
            "level": _choice(catalog, "education.level", "The highest education completed, lowest first"),
            "field": _choice(catalog, "education.field", "The field of study of that education"),
            "field_experience": (bool, Field(False, description=(
                "Whether the degree included supervised field experience (a practicum or field placement)."
            ))),
        }, "The highest education completed and its field."),
        "experience": _section(
            "ExperienceAnswers",
            {kind.id: (Years, Field(0.0, description=_described(kind.label, kind.note)))
             for kind in catalog.experience_kinds},
            "Full-time-equivalent years of each kind of experience; the catalog's experience kinds.",
        ),
        "ce_hours": _section(
            "CeAnswers",
            {kind.id: (CeHours, Field(0.0, description=(
                f"Hours of {kind.label} within the last {kind.window_years} years."
             ))) for kind in catalog.ce_kinds},
            "Hours of continuing education of each kind; the catalog's continuing-education kinds.",
        ),
        "employment": _section("EmploymentAnswers", {
            "current": _choice(catalog, "employment.current", "The current job"),
            "hours_per_week": (HoursPerWeek, Field(0.0, description=(
                "Hours a week worked in the current job; its experience is projected at these hours."
            ))),
            **{detail.id: (bool, Field(False, description=(
                f"Whether the current job is {detail.label}; it counts only when the current job"
                f" is one of: {', '.join(detail.jobs)}."
               ))) for detail in catalog.employment_details},
        }, "The current job, which adds to experience while it goes on (for projected dates)."),
        "preferences": _section("PreferenceAnswers", {
            item.id: _preference(item.label, item.values) for item in catalog.preferences
        }, f"What the person would rather do; '{NO_PREFERENCE}' leaves a preference out of the fit."),
    }  # fmt: skip
    fields_of_answers: dict[str, Any] = {
        name: (model, Field(default_factory=model.model_construct)) for name, model in sections.items()
    }
    fields_of_answers["certifications"] = (
        _ids_of(catalog.certifications),
        Field((), description="Certifications held, as ids: " + _values(catalog.certifications) + "."),
    )
    fields_of_answers["licenses"] = (
        _ids_of(catalog.licenses),
        Field((), description=(
            "Current, active licenses held, as ids: " + _values(catalog.licenses) + ". The version-1"
            " form, a mapping of license keys to true (licenses: {rn: true}), is read too."
        )),
    )  # fmt: skip
    fields_of_answers["skills"] = _skills(catalog)
    model: type[Answers] = create_model(
        "Answers",
        __base__=Answers,
        __doc__=Answers.__doc__,
        **fields_of_answers,
    )
    model.formerly_licenses = {
        item.formerly: (item.id, item.formerly_note or f"'{item.formerly}' is read as '{item.id}'.")
        for item in catalog.licenses
        if item.formerly
    }
    keys = [item.formerly or item.id for item in catalog.licenses]
    model.version_1_licenses = _section("LicenseAnswersVersion1", dict.fromkeys(keys, (bool, False)))
    return model


def _ids_of(table: tuple[Any, ...]) -> Any:
    """A list of ids of a catalog table (as a tuple, so answers never change)."""
    ids = tuple(item.id for item in table)
    return tuple[_one_of(ids), ...] if ids else Annotated[tuple[str, ...], Field(max_length=0)]  # type: ignore[misc]


# The answers that choose one id of a catalog table.
CHOICE_TABLES = {
    "education.level": "education_levels",
    "education.field": "fields",
    "employment.current": "employment_kinds",
}


def default_answer(catalog: Catalog, path: str) -> str | None:
    """The id an omitted choice at `path` takes: its question's default, else the table's first
    (so the answer "no field of study" is whatever the catalog calls it)."""
    ids = [item.id for item in getattr(catalog, CHOICE_TABLES[path])]
    default = next((q.default for q in catalog.questions if q.answer == path and q.default is not None), None)
    if isinstance(default, str) and default in ids:
        return default
    return ids[0] if ids else None


def _preference(label: str, values: tuple[PreferenceValue, ...]) -> tuple[Any, Any]:
    ids = tuple(value.id for value in values)
    default = NO_PREFERENCE if NO_PREFERENCE in ids else ids[0]
    return (_one_of(ids), Field(default, description=f"{label}: {_values(values)}."))


def _choice(catalog: Catalog, path: str, what: str) -> tuple[Any, Any]:
    """A choice among the ids of a catalog table, with its default and each value's label."""
    items = getattr(catalog, CHOICE_TABLES[path])
    if not items:
        return (None, None)
    ids = tuple(item.id for item in items)
    return (_one_of(ids), Field(default_answer(catalog, path), description=f"{what}: {_values(items)}."))


def _skills(catalog: Catalog) -> tuple[Any, Any]:
    """Ratings of the catalog's skills: the schema names each skill with its label (checking
    that a rated skill is known is left to documents.check_skills, for its messages)."""

    def schema(field: dict[str, Any]) -> None:
        (rating,) = field.pop("patternProperties").values()  # a Rating's bounds, as pydantic gives them
        field["properties"] = {
            skill.id: {**rating, "description": _described(skill.label, skill.note)} for skill in catalog.skills
        }
        field["propertyNames"] = {"enum": [skill.id for skill in catalog.skills]}

    return (
        dict[SkillId, Rating],
        Field(
            default_factory=dict,
            description="Ratings from 1 (weak) to 5 (strong) of the catalog's skills, by id; a skill left out"
            " neither helps nor hurts the fit.",
            json_schema_extra=schema,
        ),
    )


def _values(items: tuple[Any, ...]) -> str:
    """Each id of a catalog table with its label: 'rn = registered nurse (RN); lpn = ...'."""
    return "; ".join(f"{item.id} = {item.label}" for item in items)


def _one_of(ids: tuple[str, ...]) -> Any:
    """The type of one of these ids (a Literal made at run time, from the catalog)."""
    return Literal[ids]


def _section(name: str, fields: dict[str, Any], doc: str | None = None) -> type[BaseModel]:
    model: type[BaseModel] = create_model(name, __config__=_STRICT, __doc__=doc, **fields)
    return model


def _described(label: str, note: str | None) -> str:
    """A field's description in the answers schema: its label, and its note when it has one."""
    return f"{label[:1].upper()}{label[1:]}." + (f" {note}" if note else "")
