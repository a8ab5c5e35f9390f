"""docs/cli.md is generated from --help; the README's test command is the one CI runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke, check_golden

ROOT = Path(__file__).resolve().parents[1]
COMMANDS: list[list[str]] = [
    [], ["quiz"], ["score"], ["summary"], ["roles"], ["show"], ["compare"], ["validate"], ["schema"],
]  # fmt: skip


def render_cli_reference(invoke: Invoke) -> str:
    parts = ["# caremgr command reference\n\nGenerated from `--help`; `pytest --update-golden` rewrites it.\n"]
    for command in COMMANDS:
        result = invoke([*command, "--help"])
        assert result.exit_code == 0, result.output
        title = " ".join(["caremgr", *command])
        parts.append(f"\n## `{title}`\n\n```text\n{result.stdout.rstrip()}\n```\n")
    return "".join(parts)


def test_cli_reference_is_current(invoke: Invoke, update_golden: bool) -> None:
    check_golden(ROOT / "docs" / "cli.md", render_cli_reference(invoke), update_golden)


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    (command,) = [line.split("=", 1)[1].strip("'") for line in ci.splitlines() if line.startswith("TEST_COMMAND=")]
    assert f"\n{command}\n" in (ROOT / "README.md").read_text()


def test_readme_mentions_every_command() -> None:
    readme = (ROOT / "README.md").read_text()
    for command in COMMANDS[1:]:
        assert f"caremgr {command[0]}" in readme


@pytest.mark.parametrize("name", ["roles", "answers", "result"])
def test_json_schemas_in_docs_are_current(invoke: Invoke, update_golden: bool, name: str) -> None:
    result = invoke(["schema", name])
    assert result.exit_code == 0
    check_golden(ROOT / "docs" / "schema" / f"{name}.json", result.stdout, update_golden)
