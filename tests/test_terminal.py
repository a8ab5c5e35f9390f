"""The quiz in a real pseudo-terminal, as a person meets it."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

# The installed console script, beside this interpreter in the test venv.
CAREMGR = str(Path(sys.executable).parent / "caremgr")

# Three people, as the issue that shaped the quiz met them; each answer in the words people use.
RN_CASE_MANAGER = [
    "RN", "BSN", "6", "3", "3", "0", "5", "30", "RN case manager", "40", "office", "indirectly", "3, 13, 14", "",
]  # fmt: skip
LCSW_HOME_VISITS = [
    "LCSW", "MSW", "2", "1", "4", "care manager", "35", "home visits", "directly", "empathy, communication", "",
]  # fmt: skip
CAREER_CHANGER = ["", "", "bachelor's", "unrelated", "0", "0", "0", "0", "other", "40", "", "", "", ""]
ANSWERS = [*RN_CASE_MANAGER, ""]  # and Enter at the review

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(*args: str, env: dict[str, str] | None = None, width: int = 80) -> pexpect.spawn:
    return pexpect.spawn(
        CAREMGR, ["quiz", *args], encoding="utf-8", timeout=20,
        env={**os.environ, "TERM": "xterm", **(env or {})}, dimensions=(40, width),
    )  # fmt: skip


def finish(child: pexpect.spawn) -> tuple[int | None, str]:
    """Wait for the program to end: its exit status and everything it printed."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, (child.before or "")


def run(answers: list[str], *args: str, env: dict[str, str] | None = None, width: int = 80) -> tuple[int | None, str]:
    """Answer each prompt in turn; everything the terminal showed, without colour codes."""
    child = spawn(*args, env=env, width=width)
    shown = []
    for answer in answers:
        child.expect_exact("> ")
        shown.append(child.before + child.after)
        child.sendline(answer)
    status, rest = finish(child)
    return status, ANSI.sub("", "".join([*shown, rest]).replace("\r\n", "\n"))


def prompts(screen: str) -> list[tuple[str, str]]:
    return re.findall(r"^\((\d+) of (\d+)\) ", screen, flags=re.MULTILINE)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("answers", "count", "verdict"),
    [(RN_CASE_MANAGER, 14, "1. Case manager"), (LCSW_HOME_VISITS, 11, "1. Care manager"),
     (CAREER_CHANGER, 14, "Next steps:")],
    ids=["rn-case-manager", "lcsw-home-visits", "career-changer"],
)  # fmt: skip
def test_three_people_finish_in_at_most_15_prompts_and_see_the_answer_first(
    answers: list[str], count: int, verdict: str
) -> None:
    status, screen = run([*answers, ""], "--as-of", "2026-11-29")
    assert status == 0, screen
    asked = prompts(screen)
    assert [int(number) for number, _ in asked] == list(range(1, count + 1))
    assert asked[-1] == (str(count), str(count))  # the last prompt says it is the last
    results = screen[screen.index("Results as of 2026-11-29") :].splitlines()
    first_screen = "\n".join(results[:24])
    assert verdict in first_screen
    assert "2. " in first_screen  # both roles' verdicts
    assert "Next steps:" in first_screen
    assert "Below: each role's fit point by point" in first_screen
    assert "Traceback" not in screen


@pytest.mark.slow
def test_the_lcsw_is_told_msw_filled_two_answers() -> None:
    status, screen = run([*LCSW_HOME_VISITS, ""], "--as-of", "2026-11-29")
    assert status == 0
    assert "MSW: a master's degree in social work; that answers 'Field of study' too." in screen
    assert "In which field is that degree?" not in screen


@pytest.mark.slow
def test_help_back_at_the_first_question_and_quit() -> None:
    child = spawn()
    child.expect_exact("> ")
    child.sendline("back")
    child.expect_exact("(this is the first question: there is nothing before it)")
    child.expect_exact("> ")
    child.sendline("?")
    child.expect_exact("independent client assessment: What CCMC asks a license to allow")
    child.expect_exact("> ")
    child.sendline("quit")
    status, output = finish(child)
    assert status == 130
    assert "caremgr: quiz stopped; nothing was saved" in output
    assert "Traceback" not in output


@pytest.mark.slow
def test_ctrl_c_at_a_prompt_exits_130_with_its_message_on_its_own_line() -> None:
    child = spawn()
    child.expect_exact("> ")
    child.sendline("rn")
    child.expect_exact("> ")
    child.sendintr()
    status, output = finish(child)
    assert status == 130
    assert "\ncaremgr: quiz stopped; nothing was saved" in output.replace("\r\n", "\n")
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


URL = re.compile(r"https?://\S+")


def check_lines(screen: str, width: int) -> None:
    """No line wider than the screen (but one that is an address alone), none ending in a blank,
    and no address broken."""
    for shown in screen.splitlines():
        line = shown.removesuffix("> ") + (">" if shown.endswith("> ") else "")  # a prompt answered by Enter
        assert line == line.rstrip(), repr(line)
        if len(line) > width:
            assert URL.fullmatch(line.strip()), repr(line)
    for address in URL.findall(screen):
        assert address.startswith(("https://", "http://")), address


@pytest.mark.slow
@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}], ids=["colour", "no-colour"])
def test_every_prompt_and_result_line_fits_the_terminal(width: int, env: dict[str, str]) -> None:
    status, screen = run(
        ["?", "RN", "BSN", "99", "6", "3", "3", "0", "5", "30", "RN case manager", "40", "office", "indirectly",
         "3, 13, 14", "", ""],
        "--as-of", "2026-11-29", env=env, width=width,
    )  # fmt: skip
    assert status == 0, screen
    check_lines(screen, width)
    # Words are never split: every word of a question is whole somewhere on the screen.
    for word in ["What", "is", "the", "highest", "education", "you", "have", "completed?"]:
        assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", screen), word
    sources = screen[screen.index("Sources") :]
    assert "https://ccmcertification.org/get-certified/certification/ccmr-eligibility-glance" in sources


@pytest.mark.slow
def test_wrong_answer_back_and_review_change_in_a_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    child = spawn("--as-of", "2026-11-28", "--json", "--save", str(saved))
    child.expect_exact("> ")
    child.sendline("RN")
    child.expect_exact("> ")
    child.sendline("phd, maybe")
    child.expect_exact("! 'phd, maybe' is not a choice: type 1-7, or a name from the list")
    child.expect_exact("> ")
    child.sendline("BSN")
    child.expect_exact("(3 of ")
    child.expect_exact("> ")
    child.sendline("back")
    child.expect_exact("(2 of ")
    child.expect_exact("[bachelor's degree]")  # the earlier answer is what Enter keeps now
    child.sendline("")
    child.expect_exact("In which field is that degree?")  # no longer filled by the shorthand
    child.expect_exact("[nursing] > ")
    child.sendline("")
    for answer in RN_CASE_MANAGER[2:]:
        child.expect_exact("> ")
        child.sendline(answer)
    child.expect_exact("type a number to change that answer > ")
    child.sendline("3")  # the field
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
    check_lines(output, 40)
    assert "Sources" in output


@pytest.mark.slow
def test_quiz_answers_json_in_a_terminal() -> None:
    # The typer-free shortcut, in a pty: the whole document arrives before the process ends.
    answers = str(Path(__file__).parent / "data" / "ana.yaml")
    status, output = finish(spawn("--answers", answers, "--json", "--as-of", "2026-11-28"))
    assert status == 0
    document = json.loads(output.replace("\r\n", "\n"))
    assert (document["id"], document["as_of"]) == ("ana", "2026-11-28")


@pytest.mark.slow
@pytest.mark.parametrize("args", [["show", "ncm"], ["compare", "case", "care"], ["schema", "roles"]])
def test_a_reader_that_goes_away_ends_the_command_quietly_with_0(args: list[str]) -> None:
    import subprocess

    # `caremgr show ncm | head -1`: here the reader is gone before the first write.
    child = subprocess.Popen([CAREMGR, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()
    _, errors = child.communicate(timeout=20)
    assert (child.returncode, errors) == (0, b"")
