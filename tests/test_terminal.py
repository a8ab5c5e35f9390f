"""The quiz in a real pseudo-terminal, as a person meets it."""

from __future__ import annotations

import os
import sys

import pexpect
import pytest

ANSWERS = [
    "4", "1", "no", "yes", "no", "", "3", "1", "0", "0", "", "", "40", "case management", "40",
    "1", "1", *["4"] * 14, "",
]  # fmt: skip


def spawn(*args: str, env: dict[str, str] | None = None) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable, ["-m", "caremgr_cli", "quiz", *args], encoding="utf-8", timeout=20,
        env={**os.environ, "COLUMNS": "80", "TERM": "xterm", **(env or {})}, dimensions=(40, 80),
    )  # fmt: skip


@pytest.mark.slow
def test_ctrl_c_at_a_prompt_exits_130() -> None:
    child = spawn()
    child.expect_exact("> ")
    child.sendline("2")
    child.expect_exact("> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "cancelled" in (child.before or "")
    assert "Traceback" not in (child.before or "")


@pytest.mark.slow
def test_ctrl_d_at_a_prompt_ends_cleanly() -> None:
    child = spawn()
    child.expect_exact("> ")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "input ended before the questionnaire was finished" in (child.before or "")
    assert "Traceback" not in (child.before or "")


@pytest.mark.slow
@pytest.mark.parametrize("env", [{"ACCESSIBLE": "1"}, {}])
def test_full_run_to_the_result(env: dict[str, str]) -> None:
    child = spawn("--as-of", "2026-11-28", env=env)
    for answer in ANSWERS:
        child.expect_exact("> ")
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before or ""
    assert child.exitstatus == 0, output
    assert "Results as of 2026-11-28" in output
    assert "Traceback" not in output
    assert ("\x1b" in output) is not bool(env)  # a real terminal gets bold text unless ACCESSIBLE
    assert ("█" in output) is not bool(env)
