from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from conftest import DATA, Invoke, check_golden

GOLDEN = DATA / "golden"

ANSWERS = {
    "id": "ana",
    "education": {"level": "associate", "field": "nursing"},
    "licenses": ["rn"],
    "experience": {"rn": 3, "case_management": 1.5, "nursing_case_management": 1.5},
    "employment": {"current": "rn-case-management", "hours_per_week": 30},
    "preferences": {"care_style": "indirect", "work_setting": "facility"},
    "skills": {"clinical": 4, "empathy": 5},
}


def test_quiz_answers_json(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(ANSWERS))
    result = invoke(["quiz", "--answers", str(path), "--as-of", "2026-11-28", "--json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema_version"] == 2
    assert document["id"] == "ana"
    assert document["ranking"] == ["case-manager", "care-manager"]
    ccm = document["roles"][0]["credentials"][0]
    # 6 months short at 30 of 40 hours: 8 months.
    assert (ccm["id"], ccm["eligible_on"]) == ("ccm", "2027-07-28")
    assert ccm["assumes"] == "if you keep your current job (case management as an RN) at 30 hours a week"
    assert (
        document["roles"][0]["summary"]
        == "fits 98/100 · meets the entry by the nursing route · CCM eligible on 2027-07-28"
    )
    numbers = {source["id"]: source["number"] for source in document["sources"]}
    assert (numbers["seed"], numbers["ccmc-eligibility"]) == (1, 6)
    from_stdin = invoke(["quiz", "--answers", "-", "--as-of", "2026-11-28", "--json"], input=json.dumps(ANSWERS))
    assert from_stdin.stdout == result.stdout


def test_quiz_without_terminal_or_answers_says_how(invoke: Invoke) -> None:
    result = invoke(["quiz"])
    assert result.exit_code == 2
    assert "caremgr quiz --answers FILE" in result.stderr
    assert result.stdout == ""


def test_bad_answers_file_names_line_and_field(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("education:\n  level: phd\nskills:\n  clinicl: 3\n  empathy: 6\n")
    result = invoke(["quiz", "--answers", str(path), "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:2: education.level: must be one of 'none', 'high-school', 'rn-diploma', 'associate', 'bachelor',"
        " 'master' or 'doctorate', not 'phd'",
        f"{path}:5: skills.empathy: must be at most 5, not 6",
    ]


def test_scripted_questionnaire_with_wrong_answer_back_and_review(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("caremgr_cli.cli.quiz.terminal_attached", lambda: True)
    saved = tmp_path / "saved.yaml"
    lines = [
        "rn",  # 1 licenses, by id
        "bachelor's degree",  # 2 level, by label
        "12",  # 3 field: out of range, re-asked
        "2",  # 3 field: social work
        "back",  # at 4: back to the field, social work now in [brackets]
        "nursing",  # 3 field, by label
        "2.5",  # 4 RN years
        "0.5",  # 5 case management years
        "0.5",  # 6 of those as an RN
        "0",  # 7 supervised by a CCM: asked, as it could bring the CCM sooner
        "0",  # 8 supervising case managers
        "",  # 9 care management (Enter: 0)
        "",  # 10 direct client contact
        "30",  # 11 CE hours
        "case management as an RN",  # 12 current job, by label
        "40",  # 13 hours
        "1",  # 14 supervised by a CCM now
        "office",  # 15 work setting, by alias
        "indirectly",  # 16 care style, by alias
        "none",  # 17 no strengths
        "",  # 18 nothing to avoid: skills left out
        "2",  # review: change answer 2
        "master's",  # now a master's
        "",  # score
    ]
    result = invoke(["quiz", "--as-of", "2026-11-28", "--json", "--save", str(saved)], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "   ! '12' is not a choice: type 1-11, or a name from the list" in result.stderr
    assert "(18 of 18) Which would you rather not rely on?" in result.stderr
    assert "[social work] > " in result.stderr
    document = json.loads(result.stdout)
    assert document["ranking"][0] == "case-manager"
    stored = yaml.safe_load(saved.read_text())
    assert stored == {  # every answer given, the noes and zeros included
        "licenses": ["rn"],
        "education": {"level": "master", "field": "nursing"},
        "experience": {"rn": 2.5, "case_management": 0.5, "nursing_case_management": 0.5,
                       "case_management_ccm_supervised": 0.0, "case_management_supervisor": 0.0,
                       "supervised_care_management": 0.0, "direct_client_care": 0.0},
        "ce_hours": {"case_management_last_3_years": 30.0},
        "employment": {"current": "rn-case-management", "hours_per_week": 40.0, "supervised_by_ccm": True,
                       "supervises_case_managers": False},
        "preferences": {"work_setting": "facility", "care_style": "indirect"},
        "skills": {},
    }  # fmt: skip
    again = invoke(["quiz", "--answers", str(saved), "--as-of", "2026-11-28", "--json"])
    assert again.stdout == result.stdout
    # Nothing answered is asked again: only the review, where Enter scores.
    asked = invoke(["quiz", "--answers", str(saved), "--ask-missing", "--as-of", "2026-11-28", "--json"], input="\n")
    assert asked.exit_code == 0, asked.stderr
    assert " of " not in asked.stderr.split("Your answers:")[0]
    assert asked.stdout == result.stdout


def test_end_of_input_mid_questionnaire(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("caremgr_cli.cli.quiz.terminal_attached", lambda: True)
    result = invoke(["quiz"], input="1\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "caremgr: input ended before the questionnaire was finished"


def test_quiz_text_output(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(ANSWERS))
    out = invoke(["quiz", "--answers", str(path), "--as-of", "2026-11-28", "--plain"]).stdout
    words = " ".join(out.split())  # lines wrap at 80 columns
    assert "1. Case manager fits 98/100 · meets the entry by the nursing route · CCM eligible on 2027-07-28" in words
    assert "needs 6 more months of full-time case management (has 18 of 24)" in words
    assert "eligible on 2027-07-28 if you keep your current job (case management as an RN) at 30 hours a week" in words
    assert "█" not in out


def test_schemas(invoke: Invoke) -> None:
    assert "education" in json.loads(invoke(["schema", "answers"]).stdout)["properties"]
    assert "ranking" in json.loads(invoke(["schema", "result"]).stdout)["properties"]


@pytest.mark.parametrize("plain", [False, True])
def test_quiz_text_exact_at_80_columns(invoke: Invoke, tmp_path: Path, update_golden: bool, plain: bool) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(ANSWERS))
    args = ["quiz", "--answers", str(path), "--as-of", "2026-11-28", *(["--plain"] if plain else [])]
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    check_golden(GOLDEN / f"quiz-ana-80{'-plain' if plain else ''}.txt", result.stdout, update_golden)
    # Only an address too long for a line is longer: alone on its line, whole.
    assert [line for line in result.stdout.splitlines() if len(line) > 80] == [
        "https://ccmcertification.org/blog/what-you-need-know-about-eligibility-you-apply-ccmr-exam-fast-facts"
    ]
    assert ("█" in result.stdout) is not plain


def test_accessible_environment_means_plain(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(ANSWERS))
    args = ["quiz", "--answers", str(path), "--as-of", "2026-11-28"]
    assert invoke(args, env={"ACCESSIBLE": "1"}).stdout == invoke([*args, "--plain"]).stdout


def test_save_is_atomic_and_keeps_the_old_file_on_bad_answers(invoke: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    saved.write_text("id: old\n")
    bad = tmp_path / "bad.json"
    bad.write_text('{"experience": {"rn": -2}}')
    result = invoke(["quiz", "--answers", str(bad), "--save", str(saved)])
    assert result.exit_code == 1
    assert saved.read_text() == "id: old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "bad.json"]
    unwritable = tmp_path / "no-such-folder" / "answers.yaml"
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ANSWERS))
    result = invoke(["quiz", "--answers", str(good), "--save", str(unwritable), "--as-of", "2026-11-28"])
    # The save failed: the results are still shown, and the answers are printed to keep.
    assert result.exit_code == 1
    assert result.stdout.startswith("Results as of 2026-11-28 for ana")
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"{unwritable}: cannot save:")
    assert errors[1] == "Your answers (copy them into a file to use with --answers):"
    assert yaml.safe_load("\n".join(errors[2:])) == ANSWERS
    under_a_file = good / "answers.yaml"  # a file where a folder should be
    result = invoke(["quiz", "--answers", str(good), "--save", str(under_a_file)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{under_a_file}: cannot save: Not a directory"


def test_bad_as_of_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke(["quiz", "--answers", "-", "--as-of", "28/11/2026"], input="{}")
    assert result.exit_code == 2
    assert result.stderr == "caremgr: --as-of must be a date as YYYY-MM-DD, not '28/11/2026'\n"


def save(invoke: Invoke, tmp_path: Path, target: Path | str) -> Result:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ANSWERS))
    return invoke(["quiz", "--answers", str(good), "--save", str(target), "--json", "--as-of", "2026-11-28"])


def test_save_creates_a_private_file_and_keeps_the_mode_of_one_it_replaces(invoke: Invoke, tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    assert save(invoke, tmp_path, new).exit_code == 0
    assert new.stat().st_mode & 0o777 == 0o600  # answers are personal data
    shared = tmp_path / "shared.yaml"
    shared.write_text("id: old\n")
    shared.chmod(0o640)
    assert save(invoke, tmp_path, shared).exit_code == 0
    assert (shared.stat().st_mode & 0o777, yaml.safe_load(shared.read_text())["id"]) == (0o640, ANSWERS["id"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.json", "new.yaml", "shared.yaml"]


def test_save_over_a_symlink_replaces_its_target(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_text("id: old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert save(invoke, tmp_path, link).exit_code == 0
    assert link.is_symlink()
    assert yaml.safe_load(target.read_text())["id"] == ANSWERS["id"]


def test_save_refuses_a_fifo_and_a_folder(invoke: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = save(invoke, tmp_path, fifo)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, f"{fifo}: is not a regular file (a FIFO)")
    assert json.loads(result.stdout)["id"] == "ana"  # the results all the same
    folder = tmp_path / "folder"
    folder.mkdir()
    # A folder, or a name ending in '/', is refused before anything is asked or scored.
    for name in (str(folder), f"{tmp_path}/new-folder/"):
        result = save(invoke, tmp_path, name)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"caremgr: --save needs a file name; {name} is a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "good.json", "pipe"]


def test_save_to_stdout_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    result = save(invoke, tmp_path, "-")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "caremgr: --save needs a file name; '-' (stdout) is where the results go\n"


@pytest.mark.parametrize("suffix", [".html", ".svg", ".txt"])
def test_export_holds_the_verdict_the_date_the_answers_and_every_source(
    invoke: Invoke, tmp_path: Path, suffix: str
) -> None:
    import html
    import xml.etree.ElementTree as ET
    from html.parser import HTMLParser

    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump(ANSWERS))
    target = tmp_path / f"results{suffix}"
    args = ["quiz", "--answers", str(answers), "--as-of", "2026-11-28", "--export", str(target), "--json"]
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"results written to {target}\n"
    document = json.loads(result.stdout)
    content = target.read_text(encoding="utf-8")
    if suffix == ".svg":
        root = ET.fromstring(content)  # noqa: S314 - our own file, parsed to prove it is XML
        text = "".join(root.itertext()).replace("\xa0", " ")
    elif suffix == ".html":
        HTMLParser().feed(content)
        text = html.unescape(re.sub(r"<[^>]+>", "", content))
    else:
        text = content
        assert all(line == line.rstrip() for line in text.splitlines())
    # An SVG places each run of text apart, spaces included: compare without blanks.
    squeezed = "".join(text.split())
    for phrase in ["Results as of 2026-11-28 for ana", "1. Case manager", "Next steps:",
                   "Highest education: associate degree"]:  # fmt: skip
        assert "".join(phrase.split()) in squeezed, phrase
    for source in document["sources"]:
        if source["url"]:
            assert source["url"] in squeezed, source["url"]
    assert target.stat().st_mode & 0o777 == 0o600  # it holds the answers: personal data
    if suffix == ".html":
        assert content.count('href="http') == len([s for s in document["sources"] if s["url"]])


def test_export_to_an_unknown_kind_is_a_usage_error_before_anything_is_asked(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(["quiz", "--answers", "-", "--export", str(tmp_path / "r.pdf")], input="{}")
    assert result.exit_code == 2
    assert result.stderr == (
        f"caremgr: --export writes .html, .htm, .svg, .txt files, told by the name's ending; not '{tmp_path}/r.pdf'\n"
    )
    assert not (tmp_path / "r.pdf").exists()


def test_quit_with_save_keeps_the_answers_so_far_to_finish_later(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("caremgr_cli.cli.quiz.terminal_attached", lambda: True)
    saved = tmp_path / "partial.yaml"
    result = invoke(["quiz", "--save", str(saved)], input="rn\nBSN\n4\nquit\n")
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == (
        f"caremgr: quiz stopped; to finish it later: caremgr quiz --answers {saved} --ask-missing"
    )
    assert yaml.safe_load(saved.read_text()) == {
        "licenses": ["rn"], "education": {"level": "bachelor", "field": "nursing"}, "experience": {"rn": 4.0},
    }  # fmt: skip
    without = invoke(["quiz"], input="rn\nquit\n")
    assert without.exit_code == 130
    assert without.stderr.endswith("> caremgr: quiz stopped; nothing was saved\n")  # input is not echoed here
