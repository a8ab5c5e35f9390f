from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from caremgr_cli.answers.model import answers_model
from caremgr_cli.answers.questionnaire import INTRO, Quit, advice_changes, parse, run_questionnaire
from caremgr_cli.catalog.load import load_catalog
from caremgr_cli.engine.score import compile_catalog

CATALOG = load_catalog()
MODEL = answers_model(CATALOG)
MATTERS = advice_changes(CATALOG, MODEL, compile_catalog(CATALOG), date(2026, 11, 29))


class Script:
    """Feeds answers to ask() and keeps every prompt and message."""

    def __init__(self, answers: list[str]) -> None:
        self.answers: Iterator[str] = iter(answers)
        self.prompts: list[str] = []
        self.said: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        try:
            return next(self.answers)
        except StopIteration:
            raise EOFError from None

    def say(self, text: str) -> None:
        self.said.append(text)

    def run(self, start: dict[str, Any] | None = None, only_missing: bool = False) -> dict[str, Any]:
        return run_questionnaire(CATALOG, MODEL, self.ask, self.say, start, only_missing=only_missing, matters=MATTERS)

    def questions(self) -> list[str]:
        """The first line of each question prompt (not the review's)."""
        return [p.splitlines()[0] for p in self.prompts if p.startswith("(")]


def test_only_missing_asks_what_the_file_lacks() -> None:
    start = {
        "education": {"level": "none"}, "licenses": [], "certifications": [],
        "experience": {"case_management": 0, "case_management_supervisor": 0, "supervised_care_management": 0,
                       "direct_client_care": 0},
        "employment": {"current": "none"},
        "preferences": {"work_setting": "facility", "care_style": "direct"},
        "skills": {skill.id: 2 for skill in CATALOG.skills},
    }  # fmt: skip
    script = Script([""])  # nothing to ask; Enter at the review
    assert script.run(start, only_missing=True) == start
    assert INTRO not in script.said  # no "answer each question" when there is none
    script = Script(["bachelor", "2", "no", ""])
    del start["education"]
    document = script.run(start, only_missing=True)
    assert document["education"] == {"level": "bachelor", "field": "social-work", "field_experience": False}
    assert script.questions() == [
        "(1 of 3) What is the highest education you have completed?",
        "(2 of 3) In which field is that degree?",
        "(3 of 3) Did that degree include supervised field experience (a practicum or field placement)?",
    ]


RN_CASE_MANAGER = [
    "rn", "bsn", "6", "3", "3", "0", "5", "30", "RN case manager", "40", "office", "indirectly", "3, 13, 14", "",
]  # fmt: skip


def test_an_rn_case_manager_answers_14_questions_and_what_cannot_matter_is_not_asked() -> None:
    script = Script([*RN_CASE_MANAGER, ""])
    document = script.run()
    asked = script.questions()
    assert len(asked) == 14
    assert all(line.startswith(f"({n} of ") for n, line in enumerate(asked, start=1))
    assert asked[-1].startswith("(14 of 14) ")
    # With an RN license and 3 years of case management the CCM is met whatever these say.
    never = ["certifications", "supervised field experience", "supervised by a board", "supervised people",
             "true of your current job"]  # fmt: skip
    assert not [line for line in asked for word in never if word in line]
    assert document["education"] == {"level": "bachelor", "field": "nursing"}
    assert document["skills"]["project-management"] == 5
    assert document["skills"]["clinical"] == 3  # not picked: the middle of the scale
    assert "   BSN: a bachelor's degree in nursing; that answers 'Field of study' too." in script.said


def test_a_case_manager_short_of_24_months_is_asked_what_decides_the_ccm() -> None:
    # Half a year: 18 more months by any supervisor, or 12 supervised by a CCM.
    answers = [
        "rn",
        "bsn",
        "6",
        "0.5",
        "0.5",
        "0",
        "0",
        "0",
        "5",
        "30",
        "RN case manager",
        "40",
        "1",
        "",
        "",
        "",
        "",
        "",
    ]
    script = Script(answers)
    document = script.run()
    asked = script.questions()
    assert any("supervised by a board-certified case manager (CCM)?" in line for line in asked)
    assert any("Which of these are true of your current job?" in line for line in asked)
    assert document["employment"] == {
        "current": "rn-case-management", "hours_per_week": 40.0, "supervised_by_ccm": True,
        "supervises_case_managers": False,
    }  # fmt: skip


def test_the_count_follows_the_answers() -> None:
    # An RN license opens questions about RN work (and closes the certifications one, which it
    # makes moot); two years of case management with no license or degree closes questions
    # about other ways to the CCM's experience, which is then met.
    script = Script(["rn", "", "", "", ""])
    with pytest.raises(EOFError):
        script.run()
    totals = [int(re.search(r"of (\d+)\)", line).group(1)) for line in script.questions()]  # type: ignore[union-attr]
    assert totals[0] < totals[1]
    script = Script(["", "", "none", "2", "", ""])
    with pytest.raises(EOFError):
        script.run()
    totals = [int(re.search(r"of (\d+)\)", line).group(1)) for line in script.questions()]  # type: ignore[union-attr]
    assert totals[3] > totals[4]
    assert not [line for line in script.questions() if "supervised people who provide" in line]


def test_changing_an_answer_at_review_asks_the_questions_it_opens_and_drops_those_it_closes() -> None:
    # No license, an associate degree in nursing, no experience: then the review changes the degree.
    answers = ["", "", "associate", "nursing", *[""] * 9]
    script = Script([*answers, "3", "bachelor", "yes", ""])
    document = script.run()
    assert "   3. Highest education: associate degree" in script.said
    assert document["education"] == {"level": "bachelor", "field": "nursing", "field_experience": True}
    assert script.prompts[-2].startswith("(follow-up) Did that degree include supervised field experience")
    script = Script([*answers, "3", "high school", ""])
    document = script.run()
    assert document["education"] == {"level": "high-school"}  # the field no longer applies


def test_back_on_the_first_question_says_so_and_stays_there() -> None:
    script = Script(["back", "2"])
    with pytest.raises(EOFError):
        script.run()
    assert "   (this is the first question: there is nothing before it)" in script.said
    assert script.prompts[1].startswith("(1 of ")
    assert script.said.count(INTRO) == 1


def test_quit_ends_the_questionnaire() -> None:
    with pytest.raises(Quit):
        Script(["rn", "QUIT"]).run()


def test_help_explains_the_terms_the_question_uses_with_sources() -> None:
    script = Script(["?"])
    with pytest.raises(EOFError):
        script.run()
    help_lines = "\n".join(script.said)
    assert "independent client assessment: What CCMC asks a license to allow" in help_lines
    assert "https://ccmcertification.org/blog/" in help_lines
    assert "'back' goes back; 'quit' stops" in help_lines


QUESTIONS = {question.id: question for question in CATALOG.questions}


@pytest.mark.parametrize(
    ("typed", "filled"),
    [("MSW", "a master's degree in social work"), ("msw", "a master's degree in social work"),
     ("ADN", "an associate degree in nursing"), ("master's", None), ("Master\u2019s", None), ("6", None)],
)  # fmt: skip
def test_education_by_the_names_people_use(typed: str, filled: str | None) -> None:
    script = Script(["", "", typed])
    with pytest.raises(EOFError):
        script.run()
    prompt = script.prompts[-1]
    if filled is None:
        assert parse(CATALOG, QUESTIONS["education-level"], typed) == "master"
        assert "In which field is that degree?" in prompt
        assert "[" not in prompt.splitlines()[-1]  # the field has no default to take by Enter
    else:
        assert f"{typed.upper()}: {filled}; that answers 'Field of study' too." in script.said[-1]
        assert "In which field" not in prompt


@pytest.mark.parametrize(
    ("typed", "value"),
    [("LCSW", ["lcsw"]), ("lvn", ["lpn"]), ("rn, LMSW", ["rn", "lmsw"]), ("1 4", ["rn", "lpc"]), ("none", [])],
)
def test_licenses_by_abbreviation(typed: str, value: list[str]) -> None:
    assert parse(CATALOG, QUESTIONS["licenses"], typed) == value


def test_a_field_must_be_given_and_a_wrong_answer_lists_what_fits() -> None:
    script = Script(["", "", "bachelor's", "", "astrology"])
    with pytest.raises(EOFError):
        script.run()
    assert script.said[-2] == "   ! this one needs an answer: type a number or a name from the list"
    assert script.said[-1] == "   ! 'astrology' is not a choice: type 1-11, or a name from the list"


def test_a_field_experience_question_is_not_asked_of_an_unrelated_degree() -> None:
    script = Script(["", "", "bachelor's", "unrelated", "0"])
    with pytest.raises(EOFError):
        script.run()
    assert not [p for p in script.questions() if "field experience" in p]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("abc", "type a number, such as 2 or 1.5"), ("-1", "must be at least 0, not -1"),
     ("nan", "type a finite number"), ("61", "must be at most 60, not 61")],
)  # fmt: skip
def test_wrong_years_are_reasked_with_the_reason(typed: str, reason: str) -> None:
    script = Script(["", "", "1", typed])  # no licenses, certifications or education
    with pytest.raises(EOFError):
        script.run()
    assert f"   ! {reason}" in script.said
    assert "How many years of case management" in script.prompts[-1]


def test_an_invalid_review_entry_is_answered_next_to_the_prompt() -> None:
    script = Script([*RN_CASE_MANAGER, "99", ""])
    script.run()
    assert script.said[-1] == "   ! type a number from 1 to 15, or press Enter"
    assert script.prompts[-1] == script.prompts[-2]  # asked again, without the list in between


def test_no_skills_picked_leaves_skills_out_and_says_it_was_answered() -> None:
    answers = [*RN_CASE_MANAGER[:-2], "", ""]
    document = Script([*answers, ""]).run()
    assert document["skills"] == {}
    again = Script([""])
    assert again.run(document, only_missing=True) == document
    assert again.questions() == []


def test_a_reopened_follow_up_offers_what_was_typed_before() -> None:
    # A job at 35 hours; the review makes it 'not working' (the hours go), then care management again.
    answers = ["", "", "none", "0", "0", "0", "0", "care management", "35", "", "", "", ""]
    script = Script([*answers, "8", "not working", "8", "care management", "", ""])
    document = script.run()
    assert "[35] > " in script.prompts[-2]
    assert document["employment"] == {"current": "care-management", "hours_per_week": 35.0}


@pytest.mark.parametrize(
    ("question", "typed", "said"),
    [("strengths", "bedside manner", None), ("licenses", "LSCW", "; did you mean LCSW?"),
     ("current-job", "LPN", None), ("care-style", "direct", None)],
)  # fmt: skip
def test_words_within_a_label_and_near_misses(question: str, typed: str, said: str | None) -> None:
    from caremgr_cli.answers.questionnaire import InvalidAnswer

    if said is None:
        assert parse(CATALOG, QUESTIONS[question], typed)
    else:
        with pytest.raises(InvalidAnswer, match=re.escape(said)):
            parse(CATALOG, QUESTIONS[question], typed)


def test_a_field_filled_by_a_shorthand_goes_when_the_review_drops_the_degree() -> None:
    answers = ["lcsw", "MSW", "0", "0", "0", *[""] * 6]  # 11 questions
    script = Script([*answers, "2", "high school", ""])
    document = script.run()
    assert document["education"] == {"level": "high-school"}
