"""`caremgr --version`, `--help` and completion must stay cheap: no heavy imports on those paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Typer itself imports pydantic to build the command being run, so help and completion may load
# it; our models, yaml and rich must wait for a command that needs them.
HEAVY = ("yaml", "rich", "caremgr_cli.catalog.models", "caremgr_cli.reading", "caremgr_cli.output.text")

PROBE = """
import json, sys
sys.argv = ["caremgr", *json.loads(sys.argv[1])]
from caremgr_cli.__main__ import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def loaded_modules(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return set(json.loads(result.stderr.splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_version_imports_nothing_heavy_not_even_typer() -> None:
    modules = loaded_modules(["--version"])
    assert heavy_in(modules) == []
    assert "pydantic" not in modules
    assert "typer" not in modules


@pytest.mark.parametrize("args", [["--help"], ["compare", "--help"], ["schema", "--help"]])
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    assert heavy_in(loaded_modules(args)) == []


def test_completion_of_commands_imports_nothing_heavy() -> None:
    env = {"_CAREMGR_COMPLETE": "complete_bash", "COMP_WORDS": "caremgr co", "COMP_CWORD": "1"}
    assert heavy_in(loaded_modules([], env)) == []


def test_the_probe_can_see_heavy_imports() -> None:
    # Guards the guard: a command that draws a table must show up as heavy.
    assert {"caremgr_cli.catalog.models", "rich"} <= set(heavy_in(loaded_modules(["roles"])))


@pytest.mark.parametrize(
    "args", [["roles", "--json"], ["compare", "case", "care", "--json"], ["show", "gcm", "--json"]]
)
def test_json_from_a_warm_cache_needs_no_models_yaml_or_rich(args: list[str]) -> None:
    loaded_modules(args)  # warms the cache
    assert heavy_in(loaded_modules(args)) == []


def test_role_completion_from_a_warm_cache_needs_no_models_yaml_or_rich() -> None:
    env = {"_CAREMGR_COMPLETE": "complete_bash", "COMP_WORDS": "caremgr compare ca", "COMP_CWORD": "2"}
    loaded_modules([], env)
    assert heavy_in(loaded_modules([], env)) == []


def test_quiz_json_draws_nothing_so_loads_no_rich(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text("{}")
    args = ["quiz", "--answers", str(answers), "--json"]
    modules = loaded_modules(args)
    assert "caremgr_cli.catalog.models" in modules  # the probe saw the command run
    assert [m for m in modules if m == "rich" or m.startswith("rich.")] == []
