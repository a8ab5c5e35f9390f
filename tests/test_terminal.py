"""The quiz in a real pseudo-terminal, as a person meets it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

# The installed console script, beside this interpreter in the test venv.
CAREMGR = str(Path(sys.executable).parent / "caremgr")

ANSWERS = [
    "5", "1", "no", "rn", "", "case management as an RN", "40", "no", "no", "3", "1", "1", "0", "0", "", "",
    "40", "1", "1", *["4"] * 14, "",
]  # fmt: skip


def spawn(*args: str, env: dict[str, str] | None = None) -> pexpect.spawn:
    return pexpect.spawn(
        CAREMGR, ["quiz", *args], encoding="utf-8", timeout=20,
        env={**os.environ, "COLUMNS": "80", "TERM": "xterm", **(env or {})}, dimensions=(40, 80),
    )  # fmt: skip


def finish(child: pexpect.spawn) -> tuple[int | None, str]:
    """Wait for the program to end: its exit status and everything it printed."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, (child.before or "")


@pytest.mark.slow
def test_ctrl_c_at_a_prompt_exits_130() -> None:
    child = spawn()
    child.expect_exact("> ")
    child.sendline("2")
    child.expect_exact("> ")
    child.sendintr()
    status, output = finish(child)
    assert status == 130
    assert "cancelled" in output
    assert "Traceback" not in output


@pytest.mark.slow
def test_ctrl_d_at_a_prompt_ends_cleanly() -> None:
    child = spawn()
    child.expect_exact("> ")
    child.sendeof()
    status, output = finish(child)
    assert status == 1
    assert "input ended before the questionnaire was finished" in output
    assert "Traceback" not in output


@pytest.mark.slow
@pytest.mark.parametrize("env", [{"ACCESSIBLE": "1"}, {}])
def test_full_run_to_the_result(env: dict[str, str]) -> None:
    child = spawn("--as-of", "2026-11-28", env=env)
    for answer in ANSWERS:
        child.expect_exact("> ")
        child.sendline(answer)
    status, output = finish(child)
    assert status == 0, output
    assert "Results as of 2026-11-28" in output
    assert "Traceback" not in output
    assert ("\x1b" in output) is not bool(env)  # a real terminal gets bold text unless ACCESSIBLE
    assert ("█" in output) is not bool(env)


@pytest.mark.slow
def test_wrong_answer_back_and_review_change_in_a_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    child = spawn("--as-of", "2026-11-28", "--json", "--save", str(saved))
    child.expect_exact("> ")
    child.sendline("phd")
    child.expect_exact("! type a number from 1 to 7, or a choice's name")
    child.expect_exact("> ")
    child.sendline("5")  # bachelor
    child.expect_exact("2. In which field is that degree?")
    child.expect_exact("> ")
    child.sendline("back")
    child.expect_exact("1. What is the highest education you have completed?")
    child.expect_exact("[bachelor's degree]")  # the earlier answer is the default now
    for answer in ANSWERS[:-1]:  # all but the final Enter at the review
        child.expect_exact("> ")
        child.sendline(answer)
    child.expect_exact("type a number to change that answer > ")
    child.sendline("2")  # the field
    child.expect_exact("> ")
    child.sendline("social work")
    child.expect_exact("type a number to change that answer > ")
    child.sendline("")
    status, output = finish(child)
    assert status == 0
    assert '"ranking"' in output
    assert yaml.safe_load(saved.read_text())["education"]["field"] == "social-work"


@pytest.mark.slow
@pytest.mark.parametrize("args", [["compare", "case", "care"], ["show", "care"]])
def test_narrow_terminal_and_no_color(args: list[str]) -> None:
    child = pexpect.spawn(CAREMGR, args, encoding="utf-8", timeout=20,
                          env={**os.environ, "TERM": "xterm", "NO_COLOR": "1"}, dimensions=(40, 40))  # fmt: skip
    status, output = finish(child)
    output = output.replace("\r\n", "\n")
    assert status == 0
    assert "\x1b" not in output
    assert max(len(line) for line in output.splitlines()) <= 40
    assert "Sources" in output


@pytest.mark.slow
def test_quiz_answers_json_in_a_terminal() -> None:
    # The typer-free shortcut, in a pty: the whole document arrives before the process ends.
    answers = str(Path(__file__).parent / "data" / "ana.yaml")
    status, output = finish(spawn("--answers", answers, "--json", "--as-of", "2026-11-28"))
    assert status == 0
    document = json.loads(output.replace("\r\n", "\n"))
    assert (document["id"], document["as_of"]) == ("ana", "2026-11-28")
