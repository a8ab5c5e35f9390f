"""Mutation testing on demand: how well do the tests pin down a set of modules?

    .venv/bin/python tests/tools/mutate.py [--jobs N] [--timeout SECONDS] [--json REPORT] [--only LINES]
        FILE [FILE ...] -- TEST COMMAND...

Each mutant changes one AST node of one FILE. It is written by replacing the exact source span of
that node (or of its operator token), never by ast.unparse, so the rest of the module keeps its
formatting and comments, and a survivor reads as the source does.

The working tree is never written to. The project (src/, data/, tests/, pyproject.toml, README.md)
is copied once per worker into a temporary folder; a mutant is written into a worker's copy, the
test command runs there with the copy's src/ first on PYTHONPATH, and the original text is put back.
A mutant is killed when the test command exits non-zero or times out; the others survive.

Not in CI: it runs the test command once per mutant. `--only 120-180` keeps the mutants whose
node starts on those lines, for quick iteration on one function. Exit status: 0 after a completed
run whatever the figures (this measures, it does not gate), 2 on usage errors or a failing baseline.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import contextlib
import io
import itertools
import json
import math
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

SNAPSHOT_DIRS = ("src", "data", "tests")
SNAPSHOT_FILES = ("pyproject.toml", "README.md")
# Caches from the working tree would be stale in the copy, or (bytecode) even shadow the mutant.
SNAPSHOT_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", "*.egg-info"
)
PRAGMA = re.compile(r"#.*\bpragma:\s*no\s+mutate\b")
MIN_TIMEOUT = 10.0
TIMEOUT_FACTOR = 5.0
PROGRESS_EVERY = 10
SHOW_WIDTH = 100
TAIL_LINES = 40

Status = Literal["killed", "timeout", "survived"]

_BINARY: dict[type[ast.operator], tuple[str, tuple[str, ...]]] = {
    ast.Add: ("+", ("-",)),
    ast.Sub: ("-", ("+",)),
    ast.Mult: ("*", ("/",)),
    ast.Div: ("/", ("*",)),
    ast.FloorDiv: ("//", ("/", "*")),
    ast.Mod: ("%", ("*",)),
}
# The tokens that spell each comparison, and what it becomes.
_COMPARE: dict[type[ast.cmpop], tuple[tuple[str, ...], str]] = {
    ast.Lt: (("<",), "<="),
    ast.LtE: (("<=",), "<"),
    ast.Gt: ((">",), ">="),
    ast.GtE: ((">=",), ">"),
    ast.Eq: (("==",), "!="),
    ast.NotEq: (("!=",), "=="),
    ast.In: (("in",), "not in"),
    ast.NotIn: (("not", "in"), "in"),
    ast.Is: (("is",), "is not"),
    ast.IsNot: (("is", "not"), "is"),
}
_BOOLEAN: dict[type[ast.boolop], tuple[str, str]] = {ast.And: ("and", "or"), ast.Or: ("or", "and")}
_CALLS = {"min": "max", "max": "min", "round": "int"}
# Nodes that exist only on newer Pythons and hold types or template text, never runtime logic to mutate.
_SKIPPED_NODES: tuple[type[ast.AST], ...] = tuple(
    node for name in ("TypeAlias", "TemplateStr") if isinstance(node := getattr(ast, name, None), type)
)


@dataclass(frozen=True)
class Mutant:
    """One change to one module: the characters [start, end) of its text become `mutated`."""

    path: str  # relative to the project root, with forward slashes
    node_line: int  # where the mutated node starts: what --only selects on
    line: int  # where the changed text starts: what the report shows
    column: int  # 0-based, in characters
    start: int
    end: int
    original: str
    mutated: str
    kind: str

    def apply(self, source: str) -> str:
        return source[: self.start] + self.mutated + source[self.end :]


class _Token(NamedTuple):
    start: int
    end: int
    type: int
    string: str


class _Change(NamedTuple):
    start: int
    end: int
    mutated: str
    kind: str


class _Source:
    """A module's text with the lookups the operators need: character offsets of AST and token positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Only "\n" ends a line for offsets; a "\r" before it stays part of the line, as tokenize leaves it.
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.tokens: list[_Token] = []
        self.pragma_lines: set[int] = set()
        for token in tokenize.generate_tokens(io.StringIO(text, newline="\n").readline):
            if token.type == tokenize.COMMENT and PRAGMA.search(token.string):
                self.pragma_lines.add(token.start[0])
            elif token.type in {tokenize.OP, tokenize.NAME, tokenize.STRING}:
                start = self.starts[token.start[0] - 1] + token.start[1]
                end = self.starts[token.end[0] - 1] + token.end[1]
                self.tokens.append(_Token(start, end, token.type, token.string))
        self.token_starts = [token.start for token in self.tokens]

    def offset(self, lineno: int, byte_col: int) -> int:
        """AST columns count UTF-8 bytes; everything here counts characters."""
        line = self.lines[lineno - 1]
        if line.isascii():
            return self.starts[lineno - 1] + byte_col
        return self.starts[lineno - 1] + len(line.encode()[:byte_col].decode(errors="ignore"))

    def span(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        end_line = node.end_lineno if node.end_lineno is not None else node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return self.offset(node.lineno, node.col_offset), self.offset(end_line, end_col)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def tokens_between(self, start: int, end: int) -> list[_Token]:
        first = bisect.bisect_left(self.token_starts, start)
        last = bisect.bisect_left(self.token_starts, end)
        return [token for token in self.tokens[first:last] if token.end <= end]

    def find(self, start: int, end: int, words: tuple[str, ...]) -> tuple[int, int] | None:
        """The span of `words` as consecutive tokens in [start, end): an operator between two operands.

        Between the end of one operand and the start of the next there are only brackets and the
        operator itself, so the first match is the operator.
        """
        tokens = self.tokens_between(start, end)
        for i in range(len(tokens) - len(words) + 1):
            if all(tokens[i + k].string == word for k, word in enumerate(words)):
                return tokens[i].start, tokens[i + len(words) - 1].end
        return None

    def touches_pragma(self, start: int, end: int) -> bool:
        lines = range(self.line_of(start), self.line_of(max(start, end - 1)) + 1)
        return any(line in self.pragma_lines for line in lines)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_type_alias(annotation: ast.expr) -> bool:
    return (isinstance(annotation, ast.Name) and annotation.id == "TypeAlias") or (
        isinstance(annotation, ast.Attribute) and annotation.attr == "TypeAlias"
    )


def _is_string_statement(node: ast.AST) -> bool:
    """Docstrings of modules, classes and functions, and the attribute docstrings some write after a field."""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _children(node: ast.AST) -> Iterator[ast.AST]:
    """The child nodes worth mutating: no annotations, docstrings, f-strings or TYPE_CHECKING blocks."""
    if isinstance(node, (ast.JoinedStr, *_SKIPPED_NODES)) or _is_string_statement(node):
        return
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from node.decorator_list
        yield from node.args.defaults
        yield from (default for default in node.args.kw_defaults if default is not None)
        yield from node.body
    elif isinstance(node, ast.ClassDef):
        yield from node.decorator_list
        yield from node.bases
        yield from node.keywords
        yield from node.body
    elif isinstance(node, ast.AnnAssign):
        yield node.target
        if node.value is not None and not _is_type_alias(node.annotation):
            yield node.value
    elif isinstance(node, ast.If) and _is_type_checking(node.test):
        yield from node.orelse
    else:
        yield from ast.iter_child_nodes(node)


def _walk(tree: ast.AST) -> Iterator[ast.AST]:
    # A stack rather than recursion: deeply nested expressions must not hit the recursion limit.
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(_children(node))))


def _binop(node: ast.BinOp, src: _Source) -> Iterator[_Change]:
    if type(node.op) not in _BINARY:
        return
    symbol, replacements = _BINARY[type(node.op)]
    found = src.find(src.span(node.left)[1], src.span(node.right)[0], (symbol,))
    if found is not None:
        for replacement in replacements:
            yield _Change(*found, replacement, "arithmetic")


def _compare(node: ast.Compare, src: _Source) -> Iterator[_Change]:
    operands = [node.left, *node.comparators]
    for i, op in enumerate(node.ops):
        words, replacement = _COMPARE[type(op)]
        found = src.find(src.span(operands[i])[1], src.span(operands[i + 1])[0], words)
        if found is not None:
            yield _Change(*found, replacement, "comparison")


def _boolop(node: ast.BoolOp, src: _Source) -> Iterator[_Change]:
    """Every `and` of one node becomes `or` (or the reverse): one node, so one mutant, however many operands."""
    word, replacement = _BOOLEAN[type(node.op)]
    found = [src.find(src.span(a)[1], src.span(b)[0], (word,)) for a, b in itertools.pairwise(node.values)]
    spans = [span for span in found if span is not None]
    if not spans or len(spans) != len(found):
        return
    start, end = spans[0][0], spans[-1][1]
    pieces, cursor = [], start
    for token_start, token_end in spans:
        pieces += [src.text[cursor:token_start], replacement]
        cursor = token_end
    pieces.append(src.text[cursor:end])
    yield _Change(start, end, "".join(pieces), "boolean")


def _not(node: ast.UnaryOp, src: _Source) -> Iterator[_Change]:
    if isinstance(node.op, ast.Not):
        start, end = src.span(node)
        yield _Change(start, end, re.sub(r"^not\s*", "", src.text[start:end]), "not")


def _constant(node: ast.Constant, src: _Source) -> Iterator[_Change]:
    start, end = src.span(node)
    value = node.value
    if isinstance(value, bool):
        yield _Change(start, end, str(not value), "constant")
    elif isinstance(value, int):
        yield _Change(start, end, str({0: 1, 1: 0}.get(value, value + 1)), "constant")
    elif isinstance(value, float) and math.isfinite(value + 1.0):
        yield _Change(start, end, repr(value + 1.0), "constant")
    elif isinstance(value, str) and value:
        strings = [token for token in src.tokens_between(start, end) if token.type == tokenize.STRING]
        if strings:
            # After the first piece's prefix and opening quote(s): "s" -> "XXs", r'''s''' -> r'''XXs'''.
            body = strings[0].string.lstrip("rbuRBU")
            quote = body[:3] if body[:3] in {'"""', "'''"} else body[:1]
            at = strings[0].start + len(strings[0].string) - len(body) + len(quote)
            yield _Change(start, end, src.text[start:at] + "XX" + src.text[at:end], "constant")


def _call(node: ast.Call, src: _Source) -> Iterator[_Change]:
    if isinstance(node.func, ast.Name) and node.func.id in _CALLS:
        yield _Change(*src.span(node.func), _CALLS[node.func.id], "call")


def _return(node: ast.Return, src: _Source) -> Iterator[_Change]:
    value = node.value
    if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
        yield _Change(*src.span(node), "return None", "return")


def _augassign(node: ast.AugAssign, src: _Source) -> Iterator[_Change]:
    if isinstance(node.op, ast.Add):
        found = src.find(src.span(node.target)[1], src.span(node.value)[0], ("+=",))
        if found is not None:
            yield _Change(*found, "-=", "augmented assignment")


def _changes(node: ast.AST, src: _Source) -> Iterator[_Change]:
    if isinstance(node, ast.BinOp):
        yield from _binop(node, src)
    elif isinstance(node, ast.Compare):
        yield from _compare(node, src)
    elif isinstance(node, ast.BoolOp):
        yield from _boolop(node, src)
    elif isinstance(node, ast.UnaryOp):
        yield from _not(node, src)
    elif isinstance(node, ast.Constant):
        yield from _constant(node, src)
    elif isinstance(node, ast.Call):
        yield from _call(node, src)
    elif isinstance(node, ast.Return):
        yield from _return(node, src)
    elif isinstance(node, ast.AugAssign):
        yield from _augassign(node, src)


def generate_mutants(source: str, path: str = "<module>", only: range | None = None) -> list[Mutant]:
    """Every mutant of `source` (of the nodes starting on `only` lines, if given), in source order.

    Raises SyntaxError if `source` does not parse.
    """
    tree = ast.parse(source, filename=path)
    src = _Source(source)
    mutants: dict[tuple[int, int, str], Mutant] = {}
    for node in _walk(tree):
        node_line: int = getattr(node, "lineno", 0)
        if only is not None and node_line not in only:
            continue
        for change in _changes(node, src):
            key = (change.start, change.end, change.mutated)
            if key in mutants or src.touches_pragma(change.start, change.end):
                continue
            line = src.line_of(change.start)
            mutant = Mutant(
                path=path,
                node_line=node_line,
                line=line,
                column=change.start - src.starts[line - 1],
                start=change.start,
                end=change.end,
                original=source[change.start : change.end],
                mutated=change.mutated,
                kind=change.kind,
            )
            # A mutant that does not parse would be "killed" for free and flatter the score: that is a bug here.
            try:
                ast.parse(mutant.apply(source))
            except SyntaxError:
                print(f"mutate: skipped a mutant that does not parse: {_describe(mutant)}", file=sys.stderr)
                continue
            mutants[key] = mutant
    return sorted(mutants.values(), key=lambda mutant: (mutant.start, mutant.end, mutant.mutated))


def _show(text: str) -> str:
    one_line = re.sub(r"\s*\n\s*", " ", text)
    return one_line if len(one_line) <= SHOW_WIDTH else one_line[: SHOW_WIDTH - 3] + "..."


def _describe(mutant: Mutant) -> str:
    return f"{mutant.path}:{mutant.line}: {_show(mutant.original)} -> {_show(mutant.mutated)}"


# --- running ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Module:
    path: str
    data: bytes
    text: str
    encoding: str


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    status: Status
    seconds: float


class _Runner:
    """Runs the test command in a copy; remembers live processes so that Ctrl-C can stop them all."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.stopping = threading.Event()
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def run(self, copy: Path, timeout: float | None, output: Any = subprocess.DEVNULL) -> int | None:
        """The command's exit status, or None when it timed out."""
        # A session of its own, so that a timeout also ends whatever the tests started.
        process = subprocess.Popen(
            self.command, cwd=copy, env=_environment(copy), stdout=output, stderr=output, start_new_session=True
        )
        with self._lock:
            self._live.add(process)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            return None
        except BaseException:
            # Ctrl-C reaches only this process, not the test command's own session.
            _kill(process)
            raise
        finally:
            with self._lock:
                self._live.discard(process)

    def stop(self) -> None:
        self.stopping.set()
        with self._lock:
            for process in self._live:
                _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    # The process is not reaped yet, so its group id cannot have been reused by anything else.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    # First on the path, so the copy's package wins over the editable install of the working tree.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(copy / "src"), env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def find_root() -> Path:
    for folder in Path(__file__).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise SystemExit("mutate: no pyproject.toml above this tool")


def _snapshot(root: Path, copy: Path) -> None:
    copy.mkdir()
    for name in SNAPSHOT_DIRS:
        if (root / name).is_dir():
            shutil.copytree(root / name, copy / name, ignore=SNAPSHOT_IGNORE, symlinks=True)
    for name in SNAPSHOT_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, copy / name)


def _read_module(copy: Path, path: str) -> _Module:
    data = (copy / path).read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return _Module(path, data, data.decode(encoding), encoding)


def _drop_bytecode(target: Path) -> None:
    for compiled in (target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"):
        compiled.unlink(missing_ok=True)


def _run_mutant(
    runner: _Runner, slots: queue.Queue[Path], module: _Module, mutant: Mutant, timeout: float
) -> Outcome | None:
    if runner.stopping.is_set():
        return None
    copy = slots.get()
    target = copy / mutant.path
    began = time.monotonic()
    try:
        target.write_bytes(mutant.apply(module.text).encode(module.encoding))
        _drop_bytecode(target)
        status = runner.run(copy, timeout)
    finally:
        target.write_bytes(module.data)
        _drop_bytecode(target)
        slots.put(copy)
    verdict: Status = "timeout" if status is None else "survived" if status == 0 else "killed"
    return Outcome(mutant, verdict, time.monotonic() - began)


def _check_shadowing(copy: Path, paths: Sequence[str]) -> str | None:
    """A reason why the tests would not import the mutated modules from the copy, if there is one.

    If the installed package won over the copy's, every mutant would survive and the report would lie.
    """
    names = {}
    for path in paths:
        parts = Path(path).with_suffix("").parts
        if parts[0] == "src" and len(parts) > 1:
            module = parts[1:-1] if parts[-1] == "__init__" else parts[1:]
            names[".".join(module)] = (copy / path).resolve()
    if not names:
        return None
    code = "import importlib.util, sys\nfor name in sys.argv[1:]: print(importlib.util.find_spec(name).origin)"
    found = subprocess.run(
        [sys.executable, "-c", code, *names],
        cwd=copy,
        env=_environment(copy),
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        print(f"mutate: warning: could not check where the modules import from:\n{found.stderr}", file=sys.stderr)
        return None
    for (name, expected), origin in zip(names.items(), found.stdout.splitlines(), strict=False):
        if Path(origin).resolve() != expected:
            return f"{name} imports from {origin}, not from the copy's src/: the mutants would go untested"
    return None


# --- reporting -------------------------------------------------------------------------------


def _counts(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    total = len(outcomes)
    survived = sum(outcome.status == "survived" for outcome in outcomes)
    killed = total - survived
    return {
        "mutants": total,
        "killed": killed,
        "survived": survived,
        "timeouts": sum(outcome.status == "timeout" for outcome in outcomes),
        "killed_percent": round(100 * killed / total, 1) if total else None,
    }


def build_report(paths: Sequence[str], outcomes: Sequence[Outcome], settings: dict[str, Any]) -> dict[str, Any]:
    survivors = sorted(
        (outcome.mutant for outcome in outcomes if outcome.status == "survived"),
        key=lambda mutant: (mutant.path, mutant.line, mutant.column),
    )
    return {
        **settings,
        "files": [
            {"path": path, **_counts([outcome for outcome in outcomes if outcome.mutant.path == path])}
            for path in paths
        ],
        "total": _counts(outcomes),
        "survivors": [
            {
                "path": mutant.path,
                "line": mutant.line,
                "column": mutant.column,
                "kind": mutant.kind,
                "original": mutant.original,
                "mutated": mutant.mutated,
            }
            for mutant in survivors
        ],
    }


def format_report(report: dict[str, Any]) -> str:
    rows = [*report["files"], {**report["total"], "path": "total"}]
    width = max(len(row["path"]) for row in rows)
    lines = [f"{'file':<{width}}  {'mutants':>7}  {'killed':>6}  {'survived':>8}  {'killed %':>8}"]
    for row in rows:
        percent = "-" if row["killed_percent"] is None else f"{row['killed_percent']:.1f}%"
        lines.append(
            f"{row['path']:<{width}}  {row['mutants']:>7}  {row['killed']:>6}  {row['survived']:>8}  {percent:>8}"
        )
    if report["total"]["timeouts"]:
        lines.append(f"(of the killed, {report['total']['timeouts']} by timeout after {report['timeout_seconds']} s)")
    lines += ["", f"survivors: {len(report['survivors'])}"]
    lines += [f"{s['path']}:{s['line']}: {_show(s['original'])} -> {_show(s['mutated'])}" for s in report["survivors"]]
    return "\n".join(lines)


# --- command line ----------------------------------------------------------------------------


def _line_range(text: str) -> range:
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text.strip())
    if not match or int(match[2] or match[1]) < int(match[1]):
        raise argparse.ArgumentTypeError(f"expected LINE or FIRST-LAST, got {text!r}")
    return range(int(match[1]), int(match[2] or match[1]) + 1)


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mutate.py",
        usage="%(prog)s [--jobs N] [--timeout SECONDS] [--json REPORT] [--only LINES] FILE [FILE ...]"
        " -- TEST COMMAND...",
        description="Mutation testing: how many small changes to FILEs does the test command notice?",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="modules to mutate, under src/ (or tests/)")
    parser.add_argument("--jobs", type=_positive(int), default=os.cpu_count() or 1, help="parallel workers")
    parser.add_argument("--timeout", type=_positive(float), help="per mutant; default 5x the baseline run, >= 10 s")
    parser.add_argument("--json", type=Path, metavar="REPORT", help="also write the report here as JSON")
    parser.add_argument("--only", type=_line_range, metavar="LINES", help="only nodes starting on these lines: 120-180")
    return parser


def parse_arguments(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = _parser()
    if "--" not in argv:
        parser.error("give the test command after --")
    split = list(argv).index("--")
    args = parser.parse_args(argv[:split])
    if args.json is not None and not args.json.resolve().parent.is_dir():
        parser.error(f"--json: no folder {args.json.resolve().parent}")
    command = list(argv[split + 1 :])
    if not command:
        parser.error("the test command after -- is empty")
    if command[0] in {"python", "python3"}:
        command[0] = sys.executable
    return args, command


def resolve_targets(root: Path, files: Sequence[str]) -> list[str]:
    paths: list[str] = []
    for name in files:
        path = Path(name).resolve()
        if not path.is_file() or path.suffix != ".py":
            raise ValueError(f"{name}: not a Python file")
        if not path.is_relative_to(root) or path.relative_to(root).parts[0] not in SNAPSHOT_DIRS:
            raise ValueError(f"{name}: not under {', '.join(SNAPSHOT_DIRS)} of {root}")
        relative = path.relative_to(root).as_posix()
        if relative not in paths:
            paths.append(relative)
    return paths


def _progress(message: str) -> None:
    print(f"mutate: {message}", file=sys.stderr, flush=True)


def _baseline(runner: _Runner, copy: Path) -> float:
    """Seconds the unmutated tests take; exits with status 2 if they fail, as nothing could be measured."""
    began = time.monotonic()
    with tempfile.TemporaryFile() as output:
        try:
            status = runner.run(copy, None, output)
        except OSError as error:
            _progress(f"cannot run the test command: {error}")
            raise SystemExit(2) from None
        output.seek(0)
        text = output.read().decode(errors="replace")
    if status != 0:
        tail = "\n".join(text.splitlines()[-TAIL_LINES:])
        _progress(f"the test command fails without any mutant (exit status {status}):\n{tail}")
        raise SystemExit(2)
    return time.monotonic() - began


def _run_all(
    runner: _Runner, copies: list[Path], modules: dict[str, _Module], mutants: list[Mutant], timeout: float
) -> list[Outcome]:
    slots: queue.Queue[Path] = queue.Queue()
    for copy in copies:
        slots.put(copy)
    pool = ThreadPoolExecutor(max_workers=len(copies))
    began, outcomes = time.monotonic(), []
    try:
        futures: list[Future[Outcome | None]] = [
            pool.submit(_run_mutant, runner, slots, modules[mutant.path], mutant, timeout) for mutant in mutants
        ]
        for done, future in enumerate(as_completed(futures), 1):
            outcome = future.result()
            if outcome is not None:
                outcomes.append(outcome)
            if done % PROGRESS_EVERY == 0 or done == len(futures):
                survived = sum(outcome.status == "survived" for outcome in outcomes)
                elapsed = time.monotonic() - began
                _progress(f"{done}/{len(futures)}: {done - survived} killed, {survived} survived ({elapsed:.0f} s)")
    except BaseException:
        # Ctrl-C (or a bug): stop the running tests now, start no more, and let the workers restore the copies.
        runner.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return outcomes


def run(args: argparse.Namespace, command: list[str], root: Path, paths: list[str], workdir: Path) -> dict[str, Any]:
    # One snapshot, then copies of it: every worker must test the same tree, even if the working tree moves on.
    first = workdir / "copy-0"
    _snapshot(root, first)
    modules = {path: _read_module(first, path) for path in paths}
    mutants = [mutant for path in paths for mutant in generate_mutants(modules[path].text, path, args.only)]
    runner = _Runner(command)
    seconds = _baseline(runner, first)
    problem = _check_shadowing(first, paths)
    if problem is not None:
        _progress(problem)
        raise SystemExit(2)
    timeout = args.timeout or max(MIN_TIMEOUT, TIMEOUT_FACTOR * seconds)
    copies = [first]
    for i in range(1, min(args.jobs, len(mutants))):
        copies.append(workdir / f"copy-{i}")
        shutil.copytree(first, copies[-1], symlinks=True)
    _progress(
        f"{len(mutants)} mutants in {len(paths)} file(s); baseline {seconds:.1f} s, "
        f"timeout {timeout:.1f} s, {len(copies)} worker(s)"
    )
    outcomes = _run_all(runner, copies, modules, mutants, timeout)
    settings = {
        "command": command,
        "only": None if args.only is None else [args.only.start, args.only.stop - 1],
        "baseline_seconds": round(seconds, 2),
        "timeout_seconds": round(timeout, 1),
    }
    return build_report(paths, outcomes, settings)


def main(argv: Sequence[str] | None = None) -> int:
    args, command = parse_arguments(sys.argv[1:] if argv is None else argv)
    root = find_root()
    try:
        paths = resolve_targets(root, args.files)
    except ValueError as error:
        _parser().error(str(error))
    workdir = Path(tempfile.mkdtemp(prefix="caremgr-mutate-"))
    try:
        report = run(args, command, root, paths, workdir)
    except SyntaxError as error:
        _progress(f"cannot parse {error.filename}: {error}")
        return 2
    except KeyboardInterrupt:
        _progress("interrupted; no report")
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(format_report(report))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
