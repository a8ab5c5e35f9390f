"""Reading YAML (and JSON) documents into models, or every problem as `file:line: key.path: message`.

Used for roles files (catalog/) and answers files and records (answers/) alike.

PyYAML's composer gives nodes with line numbers; we build plain Python values from them
ourselves so that duplicate keys, unsafe tags and alias bombs are caught with a line each,
then map each pydantic error's `loc` back to the node it came from.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import excerpt
from .files import DocumentError, Problem

Loc = tuple[str | int, ...]

# Values after aliases are expanded: far above any real file, far below a "billion laughs".
MAX_VALUES = 100_000
# Levels of nesting: a roles file uses about 13, an answers document 3.
MAX_DEPTH = 32

ModelT = TypeVar("ModelT", bound=BaseModel)

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_TAG_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date",
              "null": "null", "str": "text"}  # fmt: skip
_TYPE_WORDS = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    type(None): "nothing (null)",
    list: "a list",
    dict: "a mapping",
    date: "a date",
    datetime: "a date and time",
}


def parse_yaml(text: str, name: str) -> tuple[Any, yaml.Node]:
    """Parse one YAML (or JSON) document into plain values and its node tree."""
    if not text.strip():
        raise DocumentError([Problem(name, "is empty")])
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader_class)
    except yaml.MarkedYAMLError as error:
        raise DocumentError([_syntax_problem(name, error)]) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        character = error.character if isinstance(error.character, str) else chr(error.character)
        raise DocumentError(
            [
                Problem(
                    name,
                    f"YAML syntax: control character U+{ord(character):04X} is not allowed; "
                    "write it as an escape inside double quotes",
                    line,
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise DocumentError([Problem(name, f"YAML error: {excerpt(str(error), 200)}")]) from None
    except RecursionError:  # the pure-Python parser, on nesting deeper than Python's stack
        raise DocumentError([Problem(name, f"is nested more than {MAX_DEPTH} levels deep")]) from None
    if root is None:
        raise DocumentError([Problem(name, "has no content (only comments?)")])
    shape = _shape_problem(name, root)
    if shape is not None:
        raise DocumentError([shape])
    builder = _Builder(name)
    if builder.count_values(root) > MAX_VALUES:
        raise DocumentError(
            [Problem(name, f"expands to more than {MAX_VALUES:,} values through anchors and aliases", line_of(root))]
        )
    value = builder.build(root)
    if builder.problems:
        raise DocumentError(builder.problems)
    return value, root


_SYNTAX_HINTS = {
    "found character '\\t' that cannot start any token": "a tab character: YAML indents with spaces",
    "mapping values are not allowed here": "a ':' where YAML did not expect one (indentation, or missing quotes?)",
    "found duplicate anchor": "the same anchor is defined twice",
    "could not find expected ':'": "a key without its ':' (or a value that needs quotes)",
}


def _syntax_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    # For a key missing its ':' the scanner stops a line late; the key's own line is the context.
    late = error.context == "while scanning a simple key" and error.context_mark is not None
    mark = error.context_mark if late else (error.problem_mark or error.context_mark)
    problem = error.problem or "invalid YAML"
    line = mark.line + 1 if mark is not None else None
    if problem.startswith("exceeded maximum nesting depth"):  # LibYAML's own limit, far above ours
        return Problem(name, f"is nested more than {MAX_DEPTH} levels deep", line)
    message = _SYNTAX_HINTS.get(problem, problem)
    if error.context and problem not in _SYNTAX_HINTS:
        message = f"{message} ({error.context})"
    column = f", column {mark.column + 1}" if mark is not None else ""
    return Problem(name, f"YAML syntax: {message}{column}", line)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _shape_problem(name: str, root: yaml.Node) -> Problem | None:
    """A node tree nested deeper than MAX_DEPTH, or an alias inside its own anchor, found without
    recursion (so any depth gets a message) and visiting each node once (so an alias bomb is cheap)."""
    done: set[int] = set()
    on_path = {id(root)}
    stack = [(root, iter(_children(root)))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            done.add(id(node))
        elif id(child) in on_path:
            return Problem(name, "an alias refers to its own anchor", line_of(child))
        elif id(child) not in done:
            if len(stack) >= MAX_DEPTH:
                return Problem(name, f"is nested more than {MAX_DEPTH} levels deep", line_of(child))
            on_path.add(id(child))
            stack.append((child, iter(_children(child))))
    return None


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.built: dict[int, Any] = {}

    def count_values(self, root: yaml.Node) -> int:
        """Size of the document with aliases expanded, counted without expanding them."""
        sizes: dict[int, int] = {}
        on_path: set[int] = set()

        def size(node: yaml.Node) -> int:
            key = id(node)
            if key in sizes:
                return sizes[key]
            if key in on_path:
                self.problems.append(Problem(self.name, "an alias refers to its own anchor", line_of(node)))
                return MAX_VALUES + 1
            on_path.add(key)
            total = 1
            if isinstance(node, yaml.SequenceNode):
                total += sum(size(child) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                total += sum(size(k) + size(v) for k, v in node.value)
            on_path.discard(key)
            sizes[key] = min(total, MAX_VALUES + 1)
            return sizes[key]

        return size(root)

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.built:
            return self.built[id(node)]
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            self._check_tag(node, f"{_YAML}seq")
            value = [self.build(child) for child in node.value]
        else:
            assert isinstance(node, yaml.MappingNode)  # compose makes only these three kinds
            self._check_tag(node, f"{_YAML}map")
            value = self._mapping(node)
        self.built[id(node)] = value
        return value

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            self.problems.append(Problem(self.name, f"tag {excerpt(node.tag, 60)} is not allowed", line_of(node)))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problems.append(Problem(self.name, f"tag {excerpt(node.tag, 60)} is not allowed", line_of(node)))
            return node.value
        try:
            return self.constructor.construct_object(node)
        except Exception:  # PyYAML's constructors fail in many ways on an explicit tag's bad value
            kind = _TAG_WORDS.get(node.tag.removeprefix(_YAML), node.tag)
            self.problems.append(Problem(self.name, f"cannot read {excerpt(node.value)} as {kind}", line_of(node)))
            return node.value

    def _mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.problems.append(Problem(self.name, "a key must be plain text", line_of(key_node)))
                continue
            if key in result:
                self.problems.append(
                    Problem(
                        self.name,
                        f"duplicate key {excerpt(str(key))} (first at line {first_line[key]})",
                        line_of(key_node),
                    )
                )
                continue
            first_line[key] = line_of(key_node)
            result[key] = self.build(value_node)
        return result


# --- pydantic errors -> problems ---------------------------------------------------------


def format_key_path(loc: Loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        if part == "[key]":  # pydantic's mark for "the key itself" after the key
            continue
        name = part if len(part) <= 40 else f"{part[:40]}..."  # a key from the input: quoted in part only
        text += f".{name}" if text else name
    return text


def locate(root: yaml.Node, loc: Loc) -> int:
    """The line of the node at `loc`, or of its nearest existing parent."""
    node, line = root, line_of(root)
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = line_of(match[0]), match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = line_of(node)
        else:
            break
    return line


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated, Optional and containers down to the model a location refers to."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next((a for a in args if a is not type(None)), args[0])
        elif origin in (tuple, list):
            annotation = args[0]
        elif origin is dict:
            annotation = args[1]
        else:
            return annotation


def _allowed_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = current.model_fields[part].annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _number(value: Any) -> str:
    """0.0 and 60.0 read as 0 and 60 to a person; other values as `shown` gives them."""
    return f"{value:g}" if isinstance(value, float) else shown(value)


def shown(value: Any) -> str:
    """A value from the input as a message may quote it: short, escaped, and never an error of
    its own (Python will not write an int of more than 4,300 digits)."""
    if isinstance(value, str):
        return excerpt(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a whole number of {len(str(abs(value))) if value.bit_length() < 14_000 else 'more than 4,300'} digits"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:60]}..."


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping of fields",
    "date_type": "a date",
    "date_parsing": "a date",
}


_LENGTHS = {
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has more than the limit of {max_length} items",
    "string_too_short": "must not be empty",
    "string_too_long": "is longer than the limit of {max_length} characters",
}


def _wrong_type(expected: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and expected == "a number":
        return f"is too large a number ({shown(value)})"  # pydantic: "expected a number, got a whole number"
    return f"expected {expected}, got {type_word(value)} ({shown(value)})"


def describe_error(error: ErrorDetails, model: type[BaseModel]) -> str:
    """Pydantic's wording rewritten as a plain sentence for a person editing a file."""
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    loc = tuple(error["loc"])
    if kind == "missing":
        return "required field is missing"
    if kind == "invalid_key":
        return f"a key must be text, not {type_word(value)} ({shown(value)})"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        close = closest(str(loc[-1]), allowed)
        hint = f"; did you mean '{close}'?" if close else (f" (allowed: {', '.join(allowed)})" if allowed else "")
        return f"unknown field {excerpt(str(loc[-1]))}{hint}"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = closest(str(value), allowed)
        hint = f"; did you mean '{close}'?" if close else ""
        return f"must be one of {ctx.get('expected', '')}, not {shown(value)}{hint}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") in (r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$",):
            return f"{shown(value)} is not a valid id (lower-case letters, digits, '-' or '_')"
        return f"{shown(value)} does not have the expected form"
    expected = _EXPECTED.get(kind)
    if expected:
        return _wrong_type(expected, value)
    bounds = {
        "greater_than_equal": ("must be at least", "ge"),
        "greater_than": ("must be more than", "gt"),
        "less_than_equal": ("must be at most", "le"),
        "less_than": ("must be less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{words} {_number(ctx.get(key))}, not {_number(value)}"
    if kind in _LENGTHS:
        return _LENGTHS[kind].format(**ctx)
    if kind == "finite_number":
        return f"must be a finite number, not {shown(value)}"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def validate_document(data: Any, root: yaml.Node | None, name: str, model: type[ModelT]) -> ModelT:
    """Validate plain values against a model, reporting every error at its line (when the
    values came from a file: `root` is its node tree)."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        details = error.errors(include_url=False)
        problems = [
            Problem(
                name,
                describe_error(detail, model),
                locate(root, tuple(detail["loc"])) if root is not None else None,
                format_key_path(tuple(detail["loc"])),
            )
            for detail in details
            if not _is_echo(detail, details)
        ]
        raise DocumentError(sorted(problems, key=by_line)) from None


def _is_echo(detail: ErrorDetails, details: list[ErrorDetails]) -> bool:
    """A list 'too short' only because one of its items failed adds nothing to that item's error."""
    loc = tuple(detail["loc"])
    return detail["type"] == "too_short" and any(
        len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc for other in details
    )


def by_line(problem: Problem) -> int:
    return problem.line or 0


def type_word(value: Any) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


def not_a_mapping(name: str, data: Any, root: yaml.Node) -> DocumentError:
    return DocumentError([Problem(name, f"must be a mapping of fields, not {type_word(data)}", line_of(root))])


def describe_unknown(kind: str, ref: str, known: list[str]) -> str:
    close = closest(ref, known)
    hint = f"; did you mean '{close}'?" if close else f" (known: {', '.join(known)})"
    return f"unknown {kind} '{ref}'{hint}"


def closest(word: str, choices: list[str]) -> str | None:
    """The choice a mistyped word most likely meant, if any is close."""
    import difflib  # only on a mistake: it costs startup

    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None
