"""tests/tools/mutate.py: mutants land on the right source spans, and a weak test lets one survive."""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).parent / "tools" / "mutate.py"

CALC = '''"""Tiny calculator: this docstring must not be mutated."""


def f(a, b):
    """Add b when a is positive: neither must this one."""
    return a + b if a > 0 else b


def g(x):
    return x * 2  # pragma: no mutate
'''

# Passes for the original, but f(1, 2) cannot tell `a > 0` from `a >= 0`.
WEAK_TEST = """from pkg.calc import f


def test_f() -> None:
    assert f(1, 2) == 3
"""


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("caremgr_mutate_tool", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is created.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def changes(tool: ModuleType, source: str) -> set[tuple[int, str, str]]:
    """(line, original, mutated) of every mutant, after checking each still parses and changes its span only."""
    found = set()
    for mutant in tool.generate_mutants(source, "calc.py"):
        mutated: str = mutant.apply(source)
        ast.parse(mutated)
        assert mutated[: mutant.start] == source[: mutant.start]
        assert mutated.endswith(source[mutant.end :])
        assert source[mutant.start : mutant.end] == mutant.original
        found.add((mutant.line, mutant.original, mutant.mutated))
    return found


def test_mutants_of_calc_have_exact_positions(tool: ModuleType) -> None:
    mutants = {(m.line, m.column, m.original, m.mutated) for m in tool.generate_mutants(CALC, "src/pkg/calc.py")}
    assert mutants == {
        (6, 13, "+", "-"),
        (6, 22, ">", ">="),
        (6, 24, "0", "1"),
        (6, 4, "return a + b if a > 0 else b", "return None"),
    }
    # Neither docstring, nor g's line with its pragma.
    assert changes(tool, CALC) == {(line, original, mutated) for line, _, original, mutated in mutants}


def test_operators(tool: ModuleType) -> None:
    source = """x = [1, 2.5, "s", True]
if a not in x and b is not None or not c:
    t = (a // 2 % 3,  # comments stay
         a <= b < c == d != e)
    t += min(a, max(b, round(c)))
"""
    assert changes(tool, source) == {
        (1, "1", "0"),
        (1, "2.5", "3.5"),
        (1, '"s"', '"XXs"'),
        (1, "True", "False"),
        (2, "not in", "in"),
        (2, "and", "or"),
        (2, "is not", "is"),
        (2, "or", "and"),
        (2, "not c", "c"),
        (3, "//", "/"),
        (3, "//", "*"),
        (3, "%", "*"),
        (3, "2", "3"),
        (3, "3", "4"),
        (4, "<=", "<"),
        (4, "<", "<="),
        (4, "==", "!="),
        (4, "!=", "=="),
        (5, "+=", "-="),
        (5, "min", "max"),
        (5, "max", "min"),
        (5, "round", "int"),
    }


def test_skips_annotations_type_checking_fstrings_and_pragmas(tool: ModuleType) -> None:
    source = '''from typing import TYPE_CHECKING

if TYPE_CHECKING:
    LIMIT = 1 + 1


class C:
    """Class docstring."""

    size: "int" = 0
    """An attribute docstring."""


def f(a: "int" = 0, *, b: "str" = "") -> "int":
    c = a * 2  # pragma: no mutate
    return f"{a + c}"
'''
    assert changes(tool, source) == {(10, "0", "1"), (14, "0", "1"), (16, 'return f"{a + c}"', "return None")}


def test_multibyte_text_before_an_operator(tool: ModuleType) -> None:
    # AST columns count UTF-8 bytes: the tool must turn them into characters.
    assert changes(tool, 'label = "façade" + suffix\n') == {(1, "+", "-"), (1, '"façade"', '"XXfaçade"')}


def test_a_multi_operand_boolop_is_one_mutant(tool: ModuleType) -> None:
    assert changes(tool, "ok = a and (b) and c\n") == {(1, "and (b) and", "or (b) or")}


def test_only_keeps_nodes_starting_on_those_lines(tool: ModuleType) -> None:
    lines = {mutant.node_line for mutant in tool.generate_mutants(CALC, "calc.py", range(1, 6))}
    assert lines == set()
    assert {mutant.node_line for mutant in tool.generate_mutants(CALC, "calc.py", range(6, 7))} == {6}


@pytest.mark.slow
def test_weak_test_lets_a_mutant_survive(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "tiny"\nversion = "0"\n', encoding="utf-8")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "pkg" / "calc.py").write_text(CALC, encoding="utf-8")
    (tmp_path / "tests" / "tools").mkdir(parents=True)
    (tmp_path / "tests" / "test_calc.py").write_text(WEAK_TEST, encoding="utf-8")
    # The tool takes the project it copies from its own location.
    shutil.copy(TOOL, tmp_path / "tests" / "tools" / "mutate.py")
    report = tmp_path / "report.json"
    command = ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_calc.py"]
    options = ["--jobs", "2", "--json", str(report)]
    done = subprocess.run(
        [sys.executable, "tests/tools/mutate.py", *options, "src/pkg/calc.py", "--", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "src/pkg/calc.py:6: > -> >=" in done.stdout
    document: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert document["total"] == {"mutants": 4, "killed": 3, "survived": 1, "timeouts": 0, "killed_percent": 75.0}
    assert [(s["line"], s["original"], s["mutated"]) for s in document["survivors"]] == [(6, ">", ">=")]
    # The working tree stays as it was.
    assert (tmp_path / "src" / "pkg" / "calc.py").read_text(encoding="utf-8") == CALC
