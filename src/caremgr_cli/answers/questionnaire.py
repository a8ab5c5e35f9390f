"""The question flow over injected ask()/say(): no terminal code, so tests script it fully.

Answers build up as a plain nested dict (the answers document); each typed answer is checked
against the Answers model at once, so a wrong answer is re-asked with the model's reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from caremgr_cli.catalog.models import AskIf, Catalog, Choice, Question
from caremgr_cli.reading import describe_error

from .model import Answers

Ask = Callable[[str], str]
Say = Callable[[str], None]

BACK = "back"
YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}


class InvalidAnswer(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    """One prompt: a question, or one skill of a ratings question."""

    question: Question
    path: tuple[str, ...]
    label: str


def get_value(document: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = document
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def set_value(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    if value is None and get_value(document, path) is None:
        return  # nothing to clear, and no empty parents to create
    node = document
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if value is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def expand_steps(catalog: Catalog) -> list[Step]:
    steps = []
    for question in catalog.questions:
        if question.type == "ratings":
            steps += [Step(question, ("skills", skill.id), skill.label) for skill in catalog.skills]
        else:
            steps.append(Step(question, tuple(question.answer.split(".")), question.text))
    return steps


def choices(catalog: Catalog, question: Question) -> tuple[Choice, ...]:
    """A choice question's options: its own, a table's items, or a preference's values."""
    source = question.choices_from
    if source is None:
        return question.choices
    if source.startswith("preferences."):
        labels = catalog.preference_labels.get(source.removeprefix("preferences."), {})
        return tuple(Choice(id=value, label=label) for value, label in labels.items())
    return tuple(Choice(id=item.id, label=item.label) for item in getattr(catalog, source))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def applies(step: Step, document: dict[str, Any]) -> bool:
    return all(_holds(test, document) for test in step.question.ask_if)


def _holds(rule: AskIf, document: dict[str, Any]) -> bool:
    value = get_value(document, tuple(rule.answer.split(".")))
    items = value if isinstance(value, list) else [value]
    shown = {"false" if item is None or item is False else ("true" if item is True else _text(item)) for item in items}
    if rule.one_of is not None:
        return not shown.isdisjoint(rule.one_of)
    return not shown <= set(rule.not_in or ())


def parse(catalog: Catalog, step: Step, raw: str) -> Any:
    """The typed text as a value for the answers document, or InvalidAnswer saying why."""
    text = raw.strip()
    question = step.question
    if question.type == "choice":
        return _pick(choices(catalog, question), text)
    if question.type == "choices":
        if text.lower() == "none":
            return []
        picked = [_pick(choices(catalog, question), part.strip()) for part in text.split(",") if part.strip()]
        return list(dict.fromkeys(picked))
    if question.type == "yes-no":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise InvalidAnswer("type yes or no")
    if question.type == "ratings":
        if text not in {"1", "2", "3", "4", "5"}:
            raise InvalidAnswer("type a whole number from 1 to 5, or press Enter to skip")
        return int(text)
    try:
        number = float(text)
    except ValueError:
        raise InvalidAnswer("type a number, such as 2 or 1.5") from None
    if not math.isfinite(number):
        raise InvalidAnswer("type a finite number")
    return number


def _pick(options: tuple[Choice, ...], text: str) -> str:
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1].id
    for option in options:
        if text.lower() in (option.id.lower(), option.label.lower()):
            return option.id
    raise InvalidAnswer(f"type a number from 1 to {len(options)}, or a choice's name")


def _labels(catalog: Catalog, question: Question, value: Any) -> Any:
    """A choice answer as the person saw it: labels, not ids."""
    by_id = {option.id: option.label for option in choices(catalog, question)}
    if isinstance(value, list):
        return [by_id.get(item, item) for item in value]
    return by_id.get(value, value) if isinstance(value, str) else value


def check(model: type[Answers], document: dict[str, Any], path: tuple[str, ...]) -> str | None:
    """The answers model's objection to the value at `path`, if any."""
    try:
        model.model_validate(document)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            if tuple(detail["loc"])[: len(path)] == path:
                return describe_error(detail, model)
    return None


def prompt_for(catalog: Catalog, step: Step, document: dict[str, Any], number: int) -> str:
    question = step.question
    lines = [f"{number}. {step.label}"]
    if question.type == "ratings" and step.path[-1] == catalog.skills[0].id:
        lines.insert(0, question.text)
    if question.help:
        lines.append(f"   ({question.help})")
    if question.type in ("choice", "choices"):
        lines += [f"   {i}) {option.label}" for i, option in enumerate(choices(catalog, question), start=1)]
    current = get_value(document, step.path)
    default = current if current is not None else question.default
    if question.type == "choice" and default is not None:
        hint = f"[{_labels(catalog, question, default)}]"
    elif question.type == "choices":
        hint = f"[{_text(_labels(catalog, question, default or []))}] numbers or names, separated by commas"
    elif question.type == "ratings":
        hint = f"[{_text(default) or 'skip'}] 1-5"
    elif question.type == "yes-no":
        hint = f"[{_text(default)}] yes/no"
    else:
        hint = f"[{_text(default)}]"
    lines.append(f"   {hint} (or 'back') > ")
    return "\n".join(lines)


def ask_step(
    catalog: Catalog, model: type[Answers], step: Step, document: dict[str, Any], *, number: int, ask: Ask, say: Say
) -> bool:
    """Ask one step until it gets a valid answer; False when the person typed 'back'."""
    while True:
        raw = ask(prompt_for(catalog, step, document, number))
        if raw.strip().lower() == BACK:
            return False
        current = get_value(document, step.path)
        if not raw.strip():
            value = current if current is not None else step.question.default
        else:
            try:
                value = parse(catalog, step, raw)
            except InvalidAnswer as error:
                say(f"   ! {error}")
                continue
        candidate = _copy(document)
        set_value(candidate, step.path, value)
        problem = check(model, candidate, step.path)
        if problem:
            say(f"   ! {problem}")
            continue
        set_value(document, step.path, value)
        return True


def _copy(document: dict[str, Any]) -> dict[str, Any]:
    return {key: _copy(value) if isinstance(value, dict) else value for key, value in document.items()}


def run_questionnaire(
    catalog: Catalog,
    model: type[Answers],
    ask: Ask,
    say: Say,
    start: dict[str, Any] | None = None,
    only_missing: bool = False,
) -> dict[str, Any]:
    """Ask every step that applies (or only those `start` lacks), then review; returns the document."""
    document = _copy(start or {})
    steps = expand_steps(catalog)
    wanted = [s for s in steps if not (only_missing and get_value(document, s.path) is not None)]
    asked: list[Step] = []
    index = 0
    while index < len(wanted):
        step = wanted[index]
        if not applies(step, document):
            index += 1
            continue
        if ask_step(catalog, model, step, document, number=len(asked) + 1, ask=ask, say=say):
            asked.append(step)
            index += 1
        elif asked:
            index = wanted.index(asked.pop())
        else:
            say("   (this is the first question)")
    if asked:
        review(catalog, model, document, ask, say)
    return document


def _not_given(step: Step) -> str:
    if step.question.type == "choices":
        return "(not given: none)"
    if step.question.default is None:
        return "(not given: skipped)"
    return f"(not given: {_text(step.question.default)})"


def review(catalog: Catalog, model: type[Answers], document: dict[str, Any], ask: Ask, say: Say) -> None:
    """Show every answer; the person may change any before scoring."""
    while True:
        shown = [s for s in expand_steps(catalog) if applies(s, document)]
        say("\nYour answers:")
        for number, step in enumerate(shown, start=1):
            value = get_value(document, step.path)
            if step.question.type in ("choice", "choices"):
                value = _labels(catalog, step.question, value)
            say(f"  {number:2}. {step.label}: {_text(value) if value is not None else _not_given(step)}")
        raw = ask("Press Enter to see your results, or type a number to change that answer > ").strip()
        if not raw:
            return
        if raw.isdigit() and 1 <= int(raw) <= len(shown):
            ask_step(catalog, model, shown[int(raw) - 1], document, number=int(raw), ask=ask, say=say)
            # A changed answer can open questions that were skipped before: ask them now.
            for step in expand_steps(catalog):
                if step not in shown and applies(step, document):
                    ask_step(catalog, model, step, document, number=len(shown) + 1, ask=ask, say=say)
        else:
            say(f"   ! type a number from 1 to {len(shown)}, or press Enter")
