from __future__ import annotations

from collections.abc import Iterator

import pytest

from caremgr_cli.answers.model import answers_model
from caremgr_cli.answers.questionnaire import run_questionnaire
from caremgr_cli.catalog.load import load_catalog

CATALOG = load_catalog()
MODEL = answers_model(CATALOG)


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


def test_only_missing_asks_what_the_file_lacks() -> None:
    start = {
        "education": {"level": "none"}, "licenses": [], "certifications": [],
        "experience": {"case_management": 0, "case_management_supervisor": 0, "supervised_care_management": 0,
                       "direct_client_care": 0},
        "ce_hours": {"case_management_last_3_years": 0}, "employment": {"current": "none"},
        "preferences": {"work_setting": "facility", "care_style": "direct"},
        "skills": {skill.id: 2 for skill in CATALOG.skills},
    }  # fmt: skip
    script = Script(["", ""])  # nothing to ask; Enter at the review
    assert run_questionnaire(CATALOG, MODEL, script.ask, script.say, start, only_missing=True) == start
    script = Script(["bachelor", "2", "no", ""])
    del start["education"]
    document = run_questionnaire(CATALOG, MODEL, script.ask, script.say, start, only_missing=True)
    assert document["education"] == {"level": "bachelor", "field": "social-work", "field_experience": False}
    assert [p.splitlines()[0] for p in script.prompts[:3]] == [
        "1. What is the highest education you have completed?",
        "2. In which field is that degree?",
        "3. Did that degree include supervised field experience (a practicum or field placement)?",
    ]


def test_changing_an_answer_at_review_asks_the_questions_it_opens() -> None:
    # Associate in nursing, an RN, no job, 3 years as an RN, no case management: the rest skipped.
    answers = ["4", "1", "rn", "", "", "3", "0", *[""] * 6, *[""] * 14]
    script = Script([*answers, "1", "5", "yes", ""])  # review: level -> bachelor, then field experience
    document = run_questionnaire(CATALOG, MODEL, script.ask, script.say)
    assert document["education"] == {"level": "bachelor", "field": "nursing", "field_experience": True}
    assert "skills" not in document  # every skill skipped


def test_back_on_the_first_question_stays_there() -> None:
    script = Script(["back", "2"])
    with pytest.raises(EOFError):
        run_questionnaire(CATALOG, MODEL, script.ask, script.say)
    assert "   (this is the first question)" in script.said
    assert script.prompts[1].startswith("1. What is the highest education")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("abc", "type a number, such as 2 or 1.5"), ("-1", "must be at least 0, not -1"),
     ("nan", "type a finite number"), ("61", "must be at most 60, not 61")],
)  # fmt: skip
def test_wrong_years_are_reasked_with_the_reason(typed: str, reason: str) -> None:
    script = Script(["1", "", "", "", typed])  # no education, licenses, certifications or job
    with pytest.raises(EOFError):
        run_questionnaire(CATALOG, MODEL, script.ask, script.say)
    assert f"   ! {reason}" in script.said
    assert script.prompts[-1].startswith("5. How many years of full-time case management")
