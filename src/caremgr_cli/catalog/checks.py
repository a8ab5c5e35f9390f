"""What pydantic cannot check in a catalog: ids that must exist, be unique or be used; questions
and warnings that must fit the answers model; and hand-written texts that state a rule's
numbers, which must be numbers the rule contains (so a changed rule cannot leave its old
number standing in a label)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from caremgr_cli.reading import describe_unknown

from .models import TABLES, Catalog, Condition, Loc, Question, Role, Route, iter_references, walk

Problems = list[tuple[Loc, str]]


def find_problems(catalog: Catalog) -> Problems:
    """Every problem of a validated catalog, each with its location in the file."""
    problems = _reference_problems(catalog) + _name_clashes(catalog) + _preference_problems(catalog)
    problems += _unshown_corrections(catalog)
    problems += _number_problems(catalog) + _impossible_windows(catalog)
    if problems:  # the answers model is made from these tables: only check it against sound ones
        return problems
    from caremgr_cli.answers.model import answers_model

    model = answers_model(catalog)
    return _question_problems(catalog, model) + _warning_problems(catalog, model) + _shorthand_problems(catalog)


def _reference_problems(catalog: Catalog) -> Problems:
    """Every id that is defined twice, used without being defined, or defined and never used."""
    problems: Problems = []
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
    return problems


def _unshown_corrections(catalog: Catalog) -> Problems:
    """Every correction of the seed is shown under a role (show, compare): none may be lost."""
    shown = {ref for role in catalog.roles for ref in role.corrections}
    return [
        (("corrections", index, "id"), f"correction '{correction.id}' is not listed under any role's corrections")
        for index, correction in enumerate(catalog.corrections)
        if correction.id not in shown
    ]


def _name_clashes(catalog: Catalog) -> Problems:
    """Role ids and aliases are matched case-insensitively, so each may name one role only."""
    problems: Problems = []
    owners: dict[str, str] = {}
    for index, role in enumerate(catalog.roles):
        for a_index, name in enumerate((role.id, *role.aliases)):
            where: Loc = ("roles", index, "id") if a_index == 0 else ("roles", index, "aliases", a_index - 1)
            owner = owners.setdefault(name.lower(), role.id)
            if owner != role.id or (a_index > 0 and name.lower() == role.id):
                problems.append((where, f"name '{name}' is already used by role '{owner}'"))
    return problems


def _preference_problems(catalog: Catalog) -> Problems:
    """What roles offer, settings are and fit terms weigh must be values of the preferences table."""
    values = {item.id: [value.id for value in item.values] for item in catalog.preferences}
    problems: Problems = []

    def check(loc: Loc, preference: str, value: str | None) -> None:
        if preference not in values:
            problems.append((loc, f"no preference '{preference}' is defined in 'preferences'"))
        elif value is not None and value not in values[preference]:
            problems.append((loc, describe_unknown(preference.replace("_", " "), value, values[preference])))

    for index, role in enumerate(catalog.roles):
        check(("roles", index, "care_style", "value"), "care_style", role.care_style.value)
        check(("roles", index, "work_setting", "value"), "work_setting", role.work_setting.value)
        for t_index, term in enumerate(role.fit):
            if term.preference is not None:
                check(("roles", index, "fit", t_index, "preference"), term.preference, None)
    for index, setting in enumerate(catalog.settings):
        check(("settings", index, "kind"), "work_setting", setting.kind)
    for index, question in enumerate(catalog.questions):
        source = question.choices_from or ""
        if source.startswith("preferences."):
            check(("questions", index, "choices_from"), source.removeprefix("preferences."), None)
    return problems


# --- questions and warnings against the answers model -------------------------------------

_SAMPLE_VALUES: dict[str, Any] = {"yes-no": True, "years": 0, "hours": 0}


def _question_problems(catalog: Catalog, model: type[BaseModel]) -> Problems:
    """Each question must fill a real answers field, with values that field accepts."""
    problems: Problems = []
    filled: set[str] = set()
    for index, question in enumerate(catalog.questions):
        for value in _samples(catalog, question):
            message = _refusal(model, question.answer, value)
            if message:
                problems.append((("questions", index, "answer"), message))
                break
        problems += [
            (
                ("questions", index, "ask_if", t_index, "answer"),
                f"'{test.answer}' is not answered by an earlier question",
            )
            for t_index, test in enumerate(question.ask_if)
            if test.answer not in filled
        ]
        filled.add(question.answer)
    return problems


def _samples(catalog: Catalog, question: Question) -> list[Any]:
    from caremgr_cli.answers.questionnaire import choices

    ids = [choice.id for choice in choices(catalog, question)]
    if question.type == "choice":
        return ids
    if question.type == "choices":
        return [[choice_id] for choice_id in ids]
    if question.type == "flags":
        return [{choice_id: True} for choice_id in ids]
    if question.type == "skill-picks":
        return [{choice_id: question.rating} for choice_id in ids]
    return [_SAMPLE_VALUES[question.type]]


def _shorthand_problems(catalog: Catalog) -> Problems:
    """A shorthand answers choice questions, each with one of that question's choices."""
    from caremgr_cli.answers.questionnaire import choices

    asked = {q.answer: q for q in catalog.questions if q.type == "choice"}
    problems: Problems = []
    for index, shorthand in enumerate(catalog.shorthands):
        for answer, value in shorthand.answers.items():
            question = asked.get(answer)
            if question is None:
                problems.append((("shorthands", index, "answers", answer), "is not the answer of a choice question"))
            elif value not in {choice.id for choice in choices(catalog, question)}:
                problems.append((("shorthands", index, "answers", answer), f"'{value}' is not one of its choices"))
    return problems


def _warning_problems(catalog: Catalog, model: type[BaseModel]) -> Problems:
    """Each warning's tests read real answers fields, with values those fields can hold."""
    problems: Problems = []
    for index, warning in enumerate(catalog.warnings):
        for t_index, test in enumerate(warning.all_of):
            where: Loc = ("warnings", index, "all_of", t_index)
            sample = _sample_of(test.answer, model)
            checks = [("answer", test.answer, sample)]
            if test.above_answer is not None:
                checks.append(("above_answer", test.above_answer, _sample_of(test.above_answer, model)))
            if test.equals is not None:
                checks.append(("equals", test.answer, test.equals))
            # A list answer is tested item by item: each value must be a possible item.
            listed = [
                [value] if isinstance(sample, tuple) else value
                for value in (*(test.one_of or ()), *(test.not_one_of or ()))
            ]
            checks += [("one_of" if test.one_of else "not_one_of", test.answer, value) for value in listed]
            for key, path, value in checks:
                message = _refusal(model, path, value)
                if message:
                    problems.append(((*where, key), message))
                    break
    return problems


def _sample_of(path: str, model: type[BaseModel]) -> Any:
    """The default of an answers field, or a value that names the path as unknown."""
    section, _, name = path.partition(".")
    section_field = model.model_fields.get(section)
    if section_field is not None and not name:
        return section_field.default
    if section_field is None or section_field.default_factory is None:
        return object()
    default = section_field.default_factory()  # type: ignore[call-arg]
    return getattr(default, name, object())


def _refusal(model: type[BaseModel], path: str, value: Any) -> str | None:
    """Why the answers model refuses `value` at the dotted `path`, or None when it takes it."""
    document: dict[str, Any] = {}
    *parents, last = path.split(".")
    node = document
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    try:
        model.model_validate(document)
    except ValidationError as error:
        detail = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in detail["loc"])
        shown = "a value" if type(value) is object else repr(value)
        return f"answers field '{path}' cannot hold {shown} ({where}: {detail['msg']})"
    return None


def _impossible_windows(catalog: Catalog) -> Problems:
    """A rule asking for more months than its look-back window holds could never be met."""
    problems: Problems = []
    for c_index, credential in enumerate(catalog.credentials):
        for r_index, route in enumerate(credential.routes):
            for condition in walk(route.all_of):
                rule = condition.experience
                if rule is not None and rule.months and rule.within_years and rule.months > 12 * rule.within_years:
                    problems.append((
                        ("credentials", c_index, "routes", r_index),
                        f"asks for {rule.months} months of {catalog.label('experience_kinds', rule.of)}, more than"
                        f" its {rule.within_years}-year window holds",
                    ))  # fmt: skip
    return problems


# --- numbers in texts ---------------------------------------------------------------------

# "2,000" and "12" and "1.5"; not the digits inside codes such as "29-1141".
_NUMBER = re.compile(r"(?<![\w.-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w-])")


def _number_problems(catalog: Catalog) -> Problems:
    """Texts that state a rule's numbers may state only numbers their rules contain."""
    problems: Problems = []
    for loc, text, allowed in _rule_texts(catalog):
        for number in stated_numbers(text):
            if not any(abs(number - other) < 1e-9 for other in allowed):
                said = ", ".join(f"{value:g}" for value in sorted(allowed)) or "none"
                problems.append((loc, f"states {number:g}, a number its rules do not contain (they give: {said})"))
    return problems


def stated_numbers(text: str) -> list[float]:
    return [float(match.replace(",", "")) for match in _NUMBER.findall(text)]


def _rule_texts(catalog: Catalog) -> Iterator[tuple[Loc, str, set[float]]]:
    """(where, text, the numbers it may state) for every text written about a rule."""
    by_credential: dict[str, set[float]] = {}
    for c_index, credential in enumerate(catalog.credentials):
        here: Loc = ("credentials", c_index)
        yield from _route_texts(here, credential.routes)
        numbers = _numbers_of(credential.routes)
        by_credential[credential.id] = numbers
        yield (*here, "summary"), credential.summary, numbers
        if credential.rules_note is not None:
            yield (*here, "rules_note"), credential.rules_note, numbers | set(credential.rules_note_numbers)
        if credential.full_time.note is not None:
            yield (*here, "full_time", "note"), credential.full_time.note, {credential.full_time.hours_per_week}
        renewal = credential.renewal
        if renewal is not None:
            stated = {renewal.every_years, renewal.ce_hours, renewal.ethics_hours} - {None}
            yield (*here, "renewal", "text"), renewal.text, {float(value) for value in stated if value is not None}
    by_role: dict[str, set[float]] = {}
    for r_index, role in enumerate(catalog.roles):
        here = ("roles", r_index)
        yield from _route_texts(here, role.entry)
        by_role[role.id] = _numbers_of(role.entry).union(*(by_credential.get(c, set()) for c in role.credentials))
        yield from ((loc, text, by_role[role.id]) for loc, text in _role_texts(here, role))
    for index, correction in enumerate(catalog.corrections):
        citing = [
            numbers for cited_by, numbers in _citers(catalog, by_role, by_credential) if correction.id in cited_by
        ]
        yield ("corrections", index, "correct"), correction.correct, set().union(*citing)


def _citers(
    catalog: Catalog, by_role: dict[str, set[float]], by_credential: dict[str, set[float]]
) -> Iterator[tuple[tuple[str, ...], set[float]]]:
    for role in catalog.roles:
        yield role.corrections, by_role[role.id]
    for credential in catalog.credentials:
        yield credential.corrections, by_credential[credential.id]


def _role_texts(here: Loc, role: Role) -> Iterator[tuple[Loc, str]]:
    yield (*here, "experience", "text"), role.experience.text
    yield (*here, "license", "text"), role.license.text


def _route_texts(here: Loc, routes: tuple[Route, ...]) -> Iterator[tuple[Loc, str, set[float]]]:
    key = "entry" if here[0] == "roles" else "routes"
    for index, route in enumerate(routes):
        yield (*here, key, index, "label"), route.label, _numbers_of([route])
        yield from _option_texts((*here, key, index), route.all_of)
        for p_index, preference in enumerate(getattr(route, "preferences", ())):
            where: Loc = (*here, key, index, "preferences", p_index)
            yield (*where, "label"), preference.label, _numbers_of([preference])
            yield from _option_texts(where, preference.all_of)


def _option_texts(here: Loc, conditions: tuple[Condition, ...]) -> Iterator[tuple[Loc, str, set[float]]]:
    for c_index, condition in enumerate(conditions):
        for o_index, option in enumerate(condition.any_of or ()):
            where: Loc = (*here, "all_of", c_index, "any_of", o_index)
            yield (*where, "label"), option.label, _numbers_of([option])
            yield from _option_texts(where, option.all_of)


def _numbers_of(routes: Iterable[Route | Any]) -> set[float]:
    """The numbers routes state: each amount, in months and years, and each route's total years."""
    numbers: set[float] = set()
    for route in routes:
        total_months = 0.0
        for condition in walk(route.all_of):
            if condition.experience is not None:
                rule = condition.experience
                if rule.months is not None:
                    numbers |= {rule.months, rule.months / 12}
                    total_months += rule.months
                numbers |= {value for value in (rule.hours, rule.within_years) if value is not None}
            if condition.ce_hours is not None:
                numbers |= {value for value in (condition.ce_hours.hours, condition.ce_hours.within_years) if value}
        if total_months:
            numbers.add(total_months / 12)
    return numbers
