"""The question flow over injected ask()/say(): no terminal code, so tests script it fully.

Answers build up as a plain nested dict (the answers document); each typed answer is checked
against the Answers model at once, so a wrong answer is re-asked with the model's reason.
Which questions are asked, how people may answer them (abbreviations, synonyms, shorthands
such as "MSW") and what the terms mean all come from the catalog.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from caremgr_cli.catalog.models import CHOICE_TYPES, AskIf, Catalog, Choice, GlossaryTerm, Question, Shorthand
from caremgr_cli.engine.results import advice
from caremgr_cli.reading import describe_error

from .model import Answers

if TYPE_CHECKING:
    from datetime import date

    from caremgr_cli.engine.score import Engine

Ask = Callable[[str], str]
Say = Callable[[str], None]
# Whether a question's answer could change the advice, given the answers so far.
Matters = Callable[[dict[str, Any], Question], bool]

BACK = {"back", "b"}
QUIT = {"quit", "exit", "q"}
HELP = {"?", "help", "h"}
YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}
INDENT = "   "
SEVERAL = tuple(t for t in CHOICE_TYPES if t != "choice")  # the types answered by a list of picks
INTRO = "Answer each question and press Enter. Type ? for help, back to go back, quit to stop."


class InvalidAnswer(ValueError):
    pass


class Quit(Exception):
    """The person typed quit or pressed Ctrl-C: the questionnaire ends, with the answers given
    so far (the caller may keep them: they can be finished later)."""

    def __init__(self, document: dict[str, Any] | None = None) -> None:
        super().__init__("quit")
        self.document = document or {}


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


def path_of(question: Question) -> tuple[str, ...]:
    return tuple(question.answer.split("."))


def choices(catalog: Catalog, question: Question, document: dict[str, Any] | None = None) -> tuple[Choice, ...]:
    """A choice question's options with the names people may type: its own, a table's items,
    or a preference's values. A job's details are only those of the current job."""
    source = question.choices_from
    if source is None:
        return question.choices
    if source.startswith("preferences."):
        values = next(p.values for p in catalog.preferences if p.id == source.removeprefix("preferences."))
        return tuple(Choice(id=v.id, label=v.label, aliases=v.aliases) for v in values)
    items = getattr(catalog, source)
    if source == "employment_details" and document is not None:
        job = get_value(document, ("employment", "current"))
        items = [item for item in items if job in item.jobs]
    return tuple(Choice(id=item.id, label=item.label, aliases=(*item.aliases, *_abbreviation(item))) for item in items)


def _abbreviation(item: Any) -> tuple[str, ...]:
    abbreviation = getattr(item, "abbreviation", None)
    return (abbreviation,) if abbreviation else ()


def answer_of(catalog: Catalog, question: Question, document: dict[str, Any]) -> Any:
    """The question's answer in the document, as the question sees it (None: not answered).
    A flags or skill-picks answer is the list of ids picked."""
    value = get_value(document, path_of(question))
    if value is None:
        return None
    if question.type == "flags":
        ids = [choice.id for choice in choices(catalog, question, document)]
        return [i for i in ids if value.get(i) is True] if any(i in value for i in ids) else None
    if question.type == "skill-picks":
        return [skill for skill, rating in value.items() if rating == question.rating]
    return value


def with_answer(catalog: Catalog, question: Question, document: dict[str, Any], value: Any) -> dict[str, Any]:
    """A copy of the document with the question answered `value` (its parsed form)."""
    result = _copy(document)
    path = path_of(question)
    if value is None and question.type == "flags":
        for choice in choices(catalog, question):
            set_value(result, (*path, choice.id), None)
    elif value is None:
        set_value(result, path, None)
    elif question.type == "flags":
        ids = [choice.id for choice in choices(catalog, question, document)]
        for item in ids:
            set_value(result, (*path, item), item in value)
    elif question.type == "skill-picks":
        set_value(result, path, _picked_skills(catalog, question, get_value(document, path) or {}, value))
    else:
        set_value(result, path, value)
    return result


def _picked_skills(catalog: Catalog, question: Question, ratings: dict[str, int], picked: list[str]) -> dict[str, int]:
    """Picked skills get the question's rating; one it no longer picks, and any other skill once
    anything is rated, gets `others`: every skill then informs the fit."""
    assert question.rating is not None
    assert question.others is not None
    result: dict[str, int] = {}
    for skill in catalog.skills:
        current = ratings.get(skill.id)
        if skill.id in picked:
            result[skill.id] = question.rating
        elif current is not None and current != question.rating:
            result[skill.id] = current
        elif picked or ratings:
            result[skill.id] = question.others
    return result


def extremes(
    catalog: Catalog, model: type[Answers], question: Question, document: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document with the least and with the most this question can answer: if the advice
    is the same for both, the answer cannot matter (every rule asks for at least something)."""
    if question.type in SEVERAL:
        low: Any = []
        high: Any = [choice.id for choice in choices(catalog, question, document)]
    elif question.type == "yes-no":
        low, high = False, True
    elif question.type in ("years", "hours"):
        low, high = 0, _upper_bound(model, path_of(question))
    else:
        raise ValueError(f"a {question.type} question always matters")
    return with_answer(catalog, question, document, low), with_answer(catalog, question, document, high)


def advice_changes(catalog: Catalog, model: type[Answers], engine: Engine, today: date) -> Matters:
    """Could a question's answer change the advice? Score the least and the most it can say."""

    def matters(document: dict[str, Any], question: Question) -> bool:
        low, high = extremes(catalog, model, question, document)
        try:
            least, most = model.model_validate(low), model.model_validate(high)
        except ValidationError:
            return True  # an earlier answer the model refuses: ask rather than guess
        return advice(engine.score(least, today)) != advice(engine.score(most, today))

    return matters


def _upper_bound(model: type[Any], path: tuple[str, ...]) -> float:
    """The largest number the answers model accepts at `path` (its `le`)."""
    fields = model.model_fields
    for key in path[:-1]:
        fields = fields[key].annotation.model_fields
    return float(next(m.le for m in fields[path[-1]].metadata if hasattr(m, "le")))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def applies(question: Question, document: dict[str, Any]) -> bool:
    return all(_holds(test, document) for test in question.ask_if)


def _holds(rule: AskIf, document: dict[str, Any]) -> bool:
    value = get_value(document, tuple(rule.answer.split(".")))
    items = value if isinstance(value, list) else [value]
    shown = {"false" if item is None or item is False else ("true" if item is True else _text(item)) for item in items}
    if rule.one_of is not None:
        return not shown.isdisjoint(rule.one_of)
    if rule.none_of is not None:
        return shown.isdisjoint(rule.none_of)
    return not shown <= set(rule.not_in or ())


def normalise(text: str) -> str:
    """What people type, compared loosely: case, curly apostrophes and spacing do not matter."""
    return " ".join(text.replace("\u2019", "'").replace("`", "'").lower().strip().rstrip(".").split())


def parse(catalog: Catalog, question: Question, raw: str, document: dict[str, Any] | None = None) -> Any:
    """The typed text as a value for the answers document, or InvalidAnswer saying why."""
    text = raw.strip()
    if question.type == "choice":
        return _pick(choices(catalog, question, document), text)
    if question.type in SEVERAL:
        options = choices(catalog, question, document)
        if normalise(text) in ("none", "neither", "-"):
            return []
        parts = text.split(",") if "," in text or not all(p.isdigit() for p in text.split()) else text.split()
        return list(dict.fromkeys(_pick(options, part) for part in parts if part.strip()))
    if question.type == "yes-no":
        if normalise(text) in YES:
            return True
        if normalise(text) in NO:
            return False
        raise InvalidAnswer("type yes or no")
    try:
        number = float(text)
    except ValueError:
        raise InvalidAnswer("type a number, such as 2 or 1.5") from None
    if not math.isfinite(number):
        raise InvalidAnswer("type a finite number")
    return number


def _pick(options: tuple[Choice, ...], typed: str) -> str:
    """A number, an id, a label, an alias or abbreviation, or the start of one label."""
    text = normalise(typed)
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1].id
    for option in options:
        if text in {normalise(name) for name in (option.id, option.label, *option.aliases)}:
            return option.id
    # The start of a label, else words within one ("bedside manner"): taken when only one has them.
    for test in (str.startswith, str.__contains__):
        found = [o for o in options if len(text) >= 3 and test(normalise(o.label), text)]
        if len(found) == 1:
            return found[0].id
        if len(found) > 1:
            raise InvalidAnswer(f"'{typed.strip()}' could be: " + "; ".join(o.label for o in found))
    raise InvalidAnswer(
        f"'{typed.strip()}' is not a choice{_close_to(options, text)}: type 1-{len(options)}, or a name from the list"
    )


def _close_to(options: tuple[Choice, ...], text: str) -> str:
    """'; did you mean LCSW?' for a near miss of a short name (a typo such as LSCW)."""
    import difflib

    names = {normalise(name): name for option in options for name in (option.id, *option.aliases)}
    swapped = [name for name in names if sorted(name) == sorted(text)]  # letters typed out of order
    close = swapped or difflib.get_close_matches(text, list(names), n=1, cutoff=0.7)
    return f"; did you mean {names[close[0]]}?" if close else ""


def labels_of(catalog: Catalog, question: Question, value: Any, document: dict[str, Any]) -> Any:
    """A choice answer as the person saw it: labels, not ids."""
    by_id = {option.id: option.label for option in choices(catalog, question, document)}
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


# --- prompts -----------------------------------------------------------------------------


def prompt_for(catalog: Catalog, question: Question, document: dict[str, Any], where: str) -> str:
    """The question, its choices one per line, and what Enter gives. Lines are unwrapped: the
    terminal side wraps them, keeping "1) " and the like as hanging indents."""
    lines = [f"({where}) {question.text}"]
    if question.type in CHOICE_TYPES:
        options = choices(catalog, question, document)
        lines += [f"{INDENT}{i}) {option.label}" for i, option in enumerate(options, start=1)]
    lines.append(f"{INDENT}{_hint(catalog, question, document)}> ")
    return "\n".join(lines)


def _hint(catalog: Catalog, question: Question, document: dict[str, Any]) -> str:
    current = answer_of(catalog, question, document)
    several = question.type in SEVERAL
    how = "numbers or names, with commas " if several else ""
    if question.must_answer and current is None:
        return how
    shown = current if current is not None else ([] if several else question.default)
    if shown is None:
        return how
    return f"{how}[{_text(labels_of(catalog, question, shown, document))}] "


def help_for(catalog: Catalog, question: Question, document: dict[str, Any]) -> list[str]:
    """The question's help, the glossary's terms it uses, and how to answer."""
    lines = [f"{INDENT}{question.help}"] if question.help else []
    for term in terms_in(catalog, question, document):
        lines.append(f"{INDENT}- {term.term}: {explain(catalog, term)}")
    several = question.type in SEVERAL
    how = {
        "yes-no": "yes or no",
        "years": "a number of years, such as 2 or 1.5",
        "hours": "a number of hours, such as 40",
    }.get(question.type, "numbers or names, separated by commas" if several else "a number or a name")
    lines.append(f"{INDENT}Type {how}; Enter keeps what is in [brackets]; 'back' goes back; 'quit' stops.")
    return lines


def explain(catalog: Catalog, term: GlossaryTerm) -> str:
    """A glossary term's explanation, with the addresses of its sources."""
    sources = term.sources
    text = term.text or ""
    if term.credential is not None:
        credential = catalog.credential(term.credential)
        text = f"{credential.name}, by {credential.body}: {credential.summary}"
        sources = credential.sources
    addresses = [catalog.source(s).url or catalog.source(s).title for s in sources]
    return text + (f" (source: {'; '.join(addresses)})" if addresses else "")


def terms_in(catalog: Catalog, question: Question, document: dict[str, Any]) -> list[GlossaryTerm]:
    """The glossary's terms that the question's text, help or choices use, as whole words."""
    options = choices(catalog, question, document) if question.type != "skill-picks" else ()
    words = " ".join([question.text, question.help or "", *(o.label for o in options)]).lower()
    return [term for term in catalog.glossary if any(_uses(words, name) for name in (term.term, *term.aliases))]


def _uses(words: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", words) is not None


# --- asking ------------------------------------------------------------------------------


@dataclass
class Flow:
    """One run of the questionnaire: what it may ask and what it has learnt."""

    catalog: Catalog
    model: type[Answers]
    ask: Ask
    say: Say
    document: dict[str, Any]
    matters: Matters | None = None
    only_missing: bool = False
    given: set[str] = field(default_factory=set)  # answers the start document held
    filled: dict[str, str] = field(default_factory=dict)  # answer -> the question whose shorthand filled it
    asked: list[Question] = field(default_factory=list)
    # Answers dropped when a change in the review closed their question: offered again if it reopens.
    dropped: dict[str, Any] = field(default_factory=dict)
    started: bool = False  # the first question has been asked

    def wanted(self, question: Question) -> bool:
        """Ask this question now? Not when the file gave it, a shorthand filled it, it does not
        apply, or its answer could not change the advice."""
        if self.only_missing and question.answer in self.given:
            return False
        if question.answer in self.filled or not applies(question, self.document):
            return False
        return not (question.only_if_it_matters and self.matters and not self.matters(self.document, question))

    def total(self, index: int) -> int:
        """Questions asked so far, this one, and those still to come as things stand."""
        later = [q for q in self.catalog.questions[index + 1 :] if self.wanted(q)]
        return len(self.asked) + 1 + len(later)

    def ask_question(self, question: Question, where: str) -> bool:
        """Ask until a valid answer; False when the person typed 'back'."""
        while True:
            raw = self.ask(prompt_for(self.catalog, question, self.document, where))
            word = normalise(raw)
            if word in QUIT:
                raise Quit
            if word in BACK:
                return False
            if word in HELP:
                for line in help_for(self.catalog, question, self.document):
                    self.say(line)
                continue
            problem = self._answer(question, raw)
            if problem is None:
                return True
            self.say(f"{INDENT}! {problem}")

    def _answer(self, question: Question, raw: str) -> str | None:
        """Take the typed answer into the document, or say what is wrong with it."""
        shorthand = self._shorthand(question, raw)
        if shorthand is not None:
            return self._fill(question, shorthand)
        current = answer_of(self.catalog, question, self.document)
        if not raw.strip():
            if question.must_answer and current is None:
                return "this one needs an answer: type a number or a name from the list"
            if current is not None:
                value = current
            elif question.type in SEVERAL:
                value = []
            else:
                value = question.default
        else:
            try:
                value = parse(self.catalog, question, raw, self.document)
            except InvalidAnswer as error:
                return str(error)
        candidate = with_answer(self.catalog, question, self.document, value)
        problem = check(self.model, candidate, path_of(question))
        if problem:
            return problem
        self.document = candidate
        self.filled = {path: by for path, by in self.filled.items() if by != question.id}
        return None

    def _shorthand(self, question: Question, raw: str) -> Shorthand | None:
        if question.type != "choice":
            return None
        typed = normalise(raw)
        return next(
            (
                s
                for s in self.catalog.shorthands
                if question.answer in s.answers and typed in {normalise(x) for x in s.spellings}
            ),
            None,
        )

    def _fill(self, question: Question, shorthand: Shorthand) -> str | None:
        candidate = _copy(self.document)
        for answer, value in shorthand.answers.items():
            set_value(candidate, tuple(answer.split(".")), value)
        for answer in shorthand.answers:
            problem = check(self.model, candidate, tuple(answer.split(".")))
            if problem:
                return problem
        self.document = candidate
        others = [q for q in self.catalog.questions if q.answer in shorthand.answers and q is not question]
        self.filled = {path: by for path, by in self.filled.items() if by != question.id}
        self.filled |= {q.answer: question.id for q in others}
        named = ", ".join(f"'{q.short}'" for q in others)
        self.say(f"{INDENT}{shorthand.spellings[0]}: {shorthand.label}; that answers {named} too.")
        return None


def _copy(document: dict[str, Any]) -> dict[str, Any]:
    return {key: _copy(value) if isinstance(value, dict) else value for key, value in document.items()}


def run_questionnaire(
    catalog: Catalog,
    model: type[Answers],
    ask: Ask,
    say: Say,
    start: dict[str, Any] | None = None,
    only_missing: bool = False,
    matters: Matters | None = None,
) -> dict[str, Any]:
    """Ask every question that applies (or only those `start` lacks), then review; returns the document."""
    document = _copy(start or {})
    given = {q.answer for q in catalog.questions if answer_of(catalog, q, document) is not None}
    flow = Flow(catalog, model, ask, say, document, matters, only_missing, given)
    try:
        _ask_all(flow)
    except (Quit, KeyboardInterrupt):
        raise Quit(flow.document) from None
    return flow.document


def _ask_all(flow: Flow) -> None:
    questions = flow.catalog.questions
    index = 0
    while index < len(questions):
        question = questions[index]
        if not flow.wanted(question):
            index += 1
            continue
        if not flow.started:  # said before the first question, and only when there is one
            flow.say(INTRO)
            flow.started = True
        if flow.ask_question(question, f"{len(flow.asked) + 1} of {flow.total(index)}"):
            flow.asked.append(question)
            index += 1
        elif flow.asked:
            index = questions.index(flow.asked.pop())
        else:
            flow.say(f"{INDENT}(this is the first question: there is nothing before it)")
    if flow.asked or flow.filled:
        review(flow)


def review_lines(catalog: Catalog, document: dict[str, Any]) -> list[tuple[Question, str]]:
    """Each answered question that applies, with its answer as a short line of text."""
    shown = []
    for question in catalog.questions:
        value = answer_of(catalog, question, document)
        if value is None or not applies(question, document):
            continue
        if question.type in CHOICE_TYPES:
            value = labels_of(catalog, question, value, document)
        shown.append((question, _text(value)))
    return shown


def review(flow: Flow) -> None:
    """One line per answer; the person may change any by its number before scoring."""
    catalog = flow.catalog
    while True:
        shown = review_lines(catalog, flow.document)
        flow.say("\nYour answers:")
        for number, (question, text) in enumerate(shown, start=1):
            flow.say(f"{number:4}. {question.short}: {text}")
        while True:
            raw = normalise(flow.ask("Press Enter to see your results, or type a number to change that answer > "))
            if raw in QUIT:
                raise Quit
            if not raw:
                return
            if raw.isdigit() and 1 <= int(raw) <= len(shown):
                break
            flow.say(f"{INDENT}! type a number from 1 to {len(shown)}, or press Enter")
        question = shown[int(raw) - 1][0]
        this_run = {q.answer for q in flow.asked} | set(flow.filled)  # before the change unfills any
        flow.ask_question(question, f"change {raw}")
        _follow_up(flow, question, this_run)


def _follow_up(flow: Flow, changed: Question, this_run: set[str]) -> None:
    """A changed answer can open questions skipped before (ask them now) and close others
    (drop the answers given or filled in this run)."""
    catalog = flow.catalog
    for question in catalog.questions:
        if question.answer in this_run and not applies(question, flow.document):
            flow.dropped[question.answer] = answer_of(catalog, question, flow.document)
            flow.document = with_answer(catalog, question, flow.document, None)
    for question in catalog.questions:
        opened = question is not changed and answer_of(catalog, question, flow.document) is None
        if not (opened and flow.wanted(question)):
            continue
        earlier = flow.dropped.pop(question.answer, None)
        if earlier is not None:  # what was typed before is what Enter keeps
            flow.document = with_answer(catalog, question, flow.document, earlier)
        if flow.ask_question(question, "follow-up"):
            flow.asked.append(question)
