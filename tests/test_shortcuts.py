"""The typer-free shortcut for `quiz --answers FILE --json` must behave exactly as typer does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caremgr_cli import shortcuts
from caremgr_cli.files import default_roles_path
from caremgr_cli.shortcuts import QuizArgs, parse_quiz_json

DATA = Path(__file__).parent / "data"
GOOD = str(DATA / "ana.yaml")
BAD_ANSWERS = str(DATA / "bad" / "answers" / "unknown-skill.yaml")
BROKEN = str(DATA / "bad" / "answers" / "broken.json")
BAD_ROLES = str(DATA / "bad" / "roles" / "duplicate-id.yaml")
DAY = ["--as-of", "2026-11-28"]
TYPER = "import sys; from caremgr_cli.cli import app; sys.argv[0] = 'caremgr'; app(prog_name='caremgr')"


def both_ways(args: list[str], env: dict[str, str], stdin: str = "") -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) through the shortcut, then through typer alone."""
    outcomes = []
    for command in ([sys.executable, "-m", "caremgr_cli"], [sys.executable, "-c", TYPER]):
        done = subprocess.run(
            [*command, *args], input=stdin, capture_output=True, text=True, check=False,
            env={**os.environ, "COLUMNS": "80", **env},
        )  # fmt: skip
        outcomes.append((done.returncode, done.stdout, done.stderr))
    return outcomes


CASES = {
    "answers then json": (["quiz", "--answers", GOOD, "--json", *DAY], {}, ""),
    "equals signs, other order": (["quiz", "--as-of=2026-11-28", "--json", f"--answers={GOOD}"], {}, ""),
    "no date: today": (["quiz", "--json", "--answers", GOOD], {}, ""),
    "stdin": (["quiz", "--answers", "-", "--json", *DAY], {}, "licenses: {rn: true}\n"),
    "stdin, broken": (["quiz", "--answers", "-", "--json", *DAY], {}, "education: [\n"),
    "roles given": (["--roles", str(default_roles_path()), "quiz", "--answers", GOOD, "--json", *DAY], {}, ""),
    "bad roles": ([f"--roles={BAD_ROLES}", "quiz", "--answers", GOOD, "--json"], {}, ""),
    "bad roles from env": (["quiz", "--answers", GOOD, "--json"], {"CAREMGR_ROLES": BAD_ROLES}, ""),
    "missing roles": (["--roles", "no-such.yaml", "quiz", "--answers", GOOD, "--json"], {}, ""),
    "missing answers": (["quiz", "--answers", "no-such.yaml", "--json"], {}, ""),
    "bad answers": (["quiz", "--answers", BAD_ANSWERS, "--json", *DAY], {}, ""),
    "broken answers": (["quiz", "--answers", BROKEN, "--json", *DAY], {}, ""),
    "bad date": (["quiz", "--answers", GOOD, "--json", "--as-of", "2026-02-30"], {}, ""),
    "answers is a folder": (["quiz", "--answers", str(DATA), "--json"], {}, ""),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_shortcut_matches_typer(name: str) -> None:
    args, env, stdin = CASES[name]
    assert parse_quiz_json(args, {**os.environ, **env}) is not None, "the case must exercise the shortcut"
    shortcut, typer = both_ways(args, env, stdin)
    assert shortcut == typer
    assert "Traceback" not in shortcut[2]


def test_the_cases_cover_success_and_each_exit_code() -> None:
    codes = {both_ways(*CASES[name])[0][0] for name in ("answers then json", "bad answers", "bad date")}
    assert codes == {0, 1, 2}


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "--answers", GOOD],  # text output: rich, through typer
        ["quiz", "--json"],  # interactive
        ["quiz", "--answers", GOOD, "--json", "--save", "out.yaml"],
        ["quiz", "--answers", GOOD, "--json", "--json"],
        ["quiz", "--answers", GOOD, "--answers", GOOD, "--json"],
        ["quiz", "--answers", "--json"],  # typer would take --json as the file name
        ["quiz", "--answers", GOOD, "--json", "--as-of"],
        ["quiz", "--answers=", "--json"],
        ["quiz", "--answers", GOOD, "--json", "--help"],
        ["quiz", "--answers", GOOD, "--json", "--"],
        ["quiz", "--answers", GOOD, "--json", "extra"],
        ["quiz", "--answers", GOOD, "--json", "--roles", "r.yaml"],  # --roles belongs before the command
        ["--roles", "quiz", "--answers", GOOD, "--json"],
        ["score", "--answers", GOOD, "--json"],
        ["--version"],
        [],
    ],
)
def test_anything_else_goes_to_typer(args: list[str]) -> None:
    assert parse_quiz_json(args, {}) is None


def test_an_empty_roles_variable_goes_to_typer() -> None:
    assert parse_quiz_json(["quiz", "--answers", GOOD, "--json"], {"CAREMGR_ROLES": ""}) is None


def test_the_option_beats_the_environment() -> None:
    parsed = parse_quiz_json(["--roles", "a.yaml", "quiz", "--json", "--answers", "-"], {"CAREMGR_ROLES": "b.yaml"})
    assert parsed == QuizArgs(answers="-", as_of=None, roles=Path("a.yaml"))


def test_a_bug_in_the_shortcut_is_reported_as_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_: QuizArgs) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(shortcuts, "quiz_json", broken)
    with pytest.raises(SystemExit) as ended:
        shortcuts.run(["quiz", "--answers", GOOD, "--json"])
    assert ended.value.code == 3
    stderr = capsys.readouterr().err
    assert "RuntimeError: boom" in stderr
    assert stderr.endswith("Please report it with the command you ran and the traceback above.\n")


def test_the_shortcut_ends_the_process_only_after_answering(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    left: list[str] = []
    monkeypatch.setattr(shortcuts, "leave", lambda: left.append(capsys.readouterr().out))
    assert shortcuts.run(["quiz", "--answers", GOOD, "--json", *DAY])
    assert json.loads(left[0])["id"] == "ana"
