"""The fast completion path answers exactly as typer's own completion does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CAREMGR = str(Path(sys.executable).parent / "caremgr")
TYPER_ONLY = "from caremgr_cli.cli import app; app(prog_name='caremgr')"
LINES = [
    "caremgr compare ", "caremgr compare ca", "caremgr compare case c", "caremgr compare case care ",
    "caremgr show ", "caremgr show G", "caremgr show geri", "caremgr show case ", "caremgr compare --json ",
    "caremgr compare -", "caremgr co", "caremgr ", "caremgr compare x", "caremgr --roles f.yaml compare ",
    "caremgr compare 'ca",
]  # fmt: skip
SHELLS = ["bash", "zsh", "fish:get-args", "fish:is-args"]


def environment(shell: str, line: str) -> dict[str, str]:
    name, _, action = shell.partition(":")
    env = {**os.environ, "_CAREMGR_COMPLETE": f"complete_{name}"}
    if name == "bash":
        words = line.split()
        env["COMP_WORDS"] = line
        env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
    if action:
        env["_TYPER_COMPLETE_FISH_ACTION"] = action
    return env


def answer(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("line", LINES)
def test_fast_completion_matches_typer(shell: str, line: str) -> None:
    env = environment(shell, line)
    fast_code, fast_out = answer([CAREMGR], env)
    typer_code, typer_out = answer([sys.executable, "-c", TYPER_ONLY], env)
    # typer lists options in no fixed order; role names come in catalog order (checked below)
    assert (fast_code, unordered(fast_out)) == (typer_code, unordered(typer_out))


def unordered(output: str) -> tuple[str, list[str]]:
    """Completion output as (zsh wrapper, sorted items), so that item order does not matter."""
    if output.startswith("_arguments '*: :(("):
        inner = output.removeprefix("_arguments '*: :((").rstrip().removesuffix("))'")
        return "_arguments", sorted(inner.splitlines())
    return "", sorted(output.splitlines())


def test_role_names_are_completed_for_compare() -> None:
    assert answer([CAREMGR], environment("bash", "caremgr compare ca")) == (
        0,
        "case-manager\ncase\ncare-manager\ncare\n",
    )
