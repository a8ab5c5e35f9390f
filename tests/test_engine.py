"""The engine (src/caremgr_cli/engine/) pinned down to exact points, gaps, dates and messages.

Expected values are worked out by hand from the certifying bodies' rules in data/roles.yaml,
with the arithmetic in a comment where it is not obvious. tests/tools/mutate.py measures how
much of the engine these tests pin down (docs/testing.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caremgr_cli.answers.model import answers_model
from caremgr_cli.catalog.load import catalog_from_bytes, load_catalog
from caremgr_cli.catalog.models import AnswerTest, Catalog, Condition, Route
from caremgr_cli.engine.dates import days_in
from caremgr_cli.engine.results import CredentialResult, Gap, Reason, Result, RoleResult
from caremgr_cli.engine.rules import CompiledRoute, Compiler, Rule
from caremgr_cli.engine.score import (
    Engine,
    add_months,
    choose_route,
    compile_catalog,
    compile_test,
    credential_notes,
    project,
    rating_warnings,
)
from caremgr_cli.engine.text import article, describe_condition

CATALOG = load_catalog()
Answers = answers_model(CATALOG)
ENGINE = compile_catalog(CATALOG)
COMPILER = Compiler(CATALOG, "none")
TODAY = date(2026, 11, 29)

NOTHING_GIVEN = "No preferences or skills were given, so no role has a fit: they are ordered by readiness."
NO_SKILLS = "No skills were rated, so the fit rests on your preferences alone."
# Two different ratings: no rating warning, so a test sees only the warnings it is about.
SOME_SKILLS = {"clinical": 3, "empathy": 4}
SOME_SKILLS_DOC = {"skills": SOME_SKILLS}


def answers(**document: Any) -> Any:
    return Answers.model_validate(document)


def score(document: dict[str, Any], engine: Engine = ENGINE, today: date = TODAY) -> Result:
    return engine.score(Answers.model_validate(document), today)


def role_result(result: Result, role_id: str) -> RoleResult:
    return next(role for role in result.roles if role.id == role_id)


def credential_result(result: Result, credential_id: str) -> CredentialResult:
    return next(c for role in result.roles for c in role.credentials if c.id == credential_id)


def rule(condition: dict[str, Any], full_time_hours: float = 40.0) -> Rule:
    return COMPILER.rule(Condition.model_validate(condition), full_time_hours)


def route(route_id: str, *conditions: dict[str, Any]) -> CompiledRoute:
    return CompiledRoute(route_id, f"route {route_id}", tuple(rule(condition) for condition in conditions))


def months_of(kind: str, months: int) -> dict[str, Any]:
    return {"experience": {"of": kind, "months": months}}


def _cited(value: Any) -> set[str]:
    """Source ids cited anywhere in a catalog document (lists under keys ending in "sources")."""
    if isinstance(value, dict):
        found: set[str] = set()
        for key, item in value.items():
            if key.endswith("sources") and isinstance(item, list) and all(isinstance(i, str) for i in item):
                found |= set(item)
            else:
                found |= _cited(item)
        return found
    if isinstance(value, list):
        return set().union(*(_cited(item) for item in value))
    return set()


def variant(edit: Callable[[dict[str, Any]], None]) -> Catalog:
    """The real catalog changed by `edit`, loaded as a roles file is: every reference checked, so
    the branches these reach are reachable by a catalog `caremgr validate` accepts."""
    data = CATALOG.model_dump(mode="json")
    edit(data)
    cited = _cited({key: value for key, value in data.items() if key != "sources"})
    data["sources"] = [source for source in data["sources"] if source["id"] in cited]
    return catalog_from_bytes("variant.yaml", json.dumps(data).encode())


RN = {"education": {"level": "associate", "field": "nursing"}, "licenses": ["rn"]}
CASE_MANAGEMENT_JOB = {"current": "rn-case-management", "hours_per_week": 40}
CCM_SOURCES = ("ccmc-eligibility", "ccmc-blog")  # the credential's and its routes', in the catalog's order
CARE_MANAGEMENT_JOB = {"current": "care-management", "hours_per_week": 35}

CCM_FULL_TIME = (
    "CCMC asks for full-time case management but the page read does not define full-time; "
    "caremgr assumes 40 hours a week."
)
CMGT_NOTES = (
    "Unconfirmed: Read from secondary pages; ANCC's own page could not be checked. Confirm with ANCC before applying.",
    'ANCC\'s page was not read; caremgr assumes 40 hours a week for "full-time".',
    "Assumes the experience you gave falls within the last 3 years; older work does not count.",
)
CMC_FULL_TIME = "NACCM counts 35 or more hours a week as full-time; part-time counts pro rata."
CMC_NOTES = (
    CMC_FULL_TIME,  # confirmed, and said all the same: its dates depend on it
    "Experience counts only if paid, after the degree and within the last 10 years, with 50 hours of supervision"
    " or consultation for each year of care management; internships, practicums, volunteer work and unpaid care"
    " of a relative do not count.",
    "Assumes the experience you gave falls within the last 10 years; older work does not count.",
)
# Said with the result of a CMC route that counts direct client contact (not the master's).
DIRECT_READING = (
    "Reading, to confirm with NACCM: care management beyond the supervised years a tier asks for counts as direct"
    " client contact, and so does RN practice with patients, which caremgr counts when you give it as direct client"
    " contact."
)
NCM_WORDS = "nursing case management (case management as an RN) within the last 3 years"
CCM_EDUCATION = (
    "needs one of: a current license that allows independent client assessment (RN, LCSW, LMSW, LPC or another;"
    " not LPN);"
    " or at least a bachelor's degree in a health or human services field that included supervised field"
    " experience; or Certified Rehabilitation Counselor (CRC) or Certified Disability Management Specialist (CDMS)"
)


# --- text.py ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("associate degree", "an associate degree"),
        ("bachelor's degree", "a bachelor's degree"),
        ("high school", "a high school"),
        ("unrelated field", "an unrelated field"),
        # Labels that carry their own article keep it.
        ("no formal education", "no formal education"),
        ("a diploma", "a diploma"),
        ("an MBA", "an MBA"),
    ],
)
def test_article(label: str, expected: str) -> None:
    assert article(label) == expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            {"license": {"any_of": ["rn", "lcsw"]}},
            "a registered nurse (RN) license or a licensed clinical social worker (LCSW) license",
        ),
        # Examples only of the licenses CCMC names (LMFT is unconfirmed, other-independent has
        # no abbreviation: both are "another"), and the one it refuses.
        (
            {"license": {"independent_assessment": True}},
            "a current license that allows independent client assessment (RN, LCSW, LMSW, LPC or another; not LPN)",
        ),
        (
            {"certification": {"any_of": ["crc", "cdms"]}},
            "Certified Rehabilitation Counselor (CRC) or Certified Disability Management Specialist (CDMS)",
        ),
        (
            {"employment": {"any_of": ["case-management", "care-management"]}},
            "working in case management (not as an RN) or care management now",
        ),
        (
            {"education": {"min_level": "bachelor", "field_group": "health-human-services", "field_experience": True}},
            "at least a bachelor's degree in a health or human services field"
            " that included supervised field experience",
        ),
        ({"education": {"min_level": "associate"}}, "at least an associate degree"),
        (months_of("rn", 24), "24 months of practice as a registered nurse"),
        (
            {"experience": {"of": "case_management", "hours": 2000, "within_years": 3}},
            "2,000 hours of full-time case management within the last 3 years",
        ),
        (
            {"ce_hours": {"of": "case_management_last_3_years", "hours": 30, "within_years": 3}},
            "30 hours of continuing education in nursing case management within the last 3 years",
        ),
        (
            {"ce_hours": {"of": "case_management_last_3_years", "hours": 45}},
            "45 hours of continuing education in nursing case management",
        ),
        (  # a reading is caremgr's, and says so wherever the rule is stated
            {
                "experience": {
                    "of": "direct_client_care",
                    "months": 12,
                    "reading": "How caremgr reads it.",
                    "also_counts": {"of": "supervised_care_management", "beyond_months": 24},
                }
            },
            "12 months of paid, full-time direct client contact (caremgr's reading, unconfirmed: paid, full-time,"
            " supervised care management beyond 24 months counts too)",
        ),
        (
            {
                "any_of": [
                    {
                        "id": "nurse",
                        "label": "a nurse",
                        "all_of": [{"license": {"any_of": ["rn"]}}, months_of("rn", 12)],
                    },
                    {"id": "crc", "label": "a CRC", "all_of": [{"certification": {"any_of": ["crc"]}}]},
                ]
            },
            "one of: a registered nurse (RN) license and 12 months of practice as a registered nurse;"
            " or Certified Rehabilitation Counselor (CRC)",
        ),
    ],
)
def test_describe_condition(condition: dict[str, Any], expected: str) -> None:
    assert describe_condition(CATALOG, Condition.model_validate(condition)) == expected


# --- rules.py: one rule at a time ---------------------------------------------------------------


def test_any_license() -> None:
    either = rule({"license": {"any_of": ["rn", "lcsw"]}})
    missing = Gap(
        kind="license",
        message="needs a registered nurse (RN) license or a licensed clinical social worker (LCSW) license",
    )
    assert either.gaps(answers()) == (missing,)
    # A named list gives no CCMC caveat: an LPN is simply not one of them.
    assert either.gaps(answers(licenses=["lpn"])) == (missing,)
    assert either.gaps(answers(licenses=["lcsw"])) == ()
    assert either.gaps(answers(licenses=["lpn", "rn"])) == ()


INDEPENDENT = (
    "needs a current license that allows independent client assessment (RN, LCSW, LMSW, LPC or another; not LPN)"
)
LPN_CAVEAT = "LPN: CCMC does not accept an LPN or LVN license: it does not allow independent client assessment."


@pytest.mark.parametrize(
    ("licenses", "gap"),
    [
        ([], INDEPENDENT),
        (["lpn"], f"{INDEPENDENT} ({LPN_CAVEAT})"),
        (["lpn", "lpc"], None),
        (["lmft"], None),  # counted; the result warns that CCMC does not name it
        (["other-independent"], None),
        (["rn"], None),
    ],
)
def test_a_license_that_allows_independent_assessment(licenses: list[str], gap: str | None) -> None:
    gaps = rule({"license": {"independent_assessment": True}}).gaps(answers(licenses=licenses))
    assert gaps == (() if gap is None else (Gap(kind="license", message=gap),))


def test_version_1_licenses_are_read_with_a_note() -> None:
    read = answers(licenses={"rn": True, "other": True, "lpn": False})
    assert read.licenses == ("rn", "other-independent")
    (note,) = read.notes
    assert note.startswith("The answer 'licenses: {other: true}'")
    assert answers(licenses={"rn": True}).notes == ()
    assert answers(licenses=["rn"]).notes == ()


def test_any_certification() -> None:
    either = rule({"certification": {"any_of": ["crc", "cdms"]}})
    assert either.gaps(answers()) == (
        Gap(
            kind="certification",
            message="needs Certified Rehabilitation Counselor (CRC)"
            " or Certified Disability Management Specialist (CDMS)",
        ),
    )
    assert either.gaps(answers(certifications=["cdms"])) == ()


@pytest.mark.parametrize(
    ("current", "hours", "met"),
    [
        ("care-management", 35, True),
        ("care-management", 1, True),  # any hours at all: NACCM asks for current work, not full-time work
        ("care-management", 0, False),  # a job of 0 hours is no job
        ("other", 40, False),
        ("none", 0, False),
    ],
)
def test_current_job(current: str, hours: float, met: bool) -> None:
    gaps = rule({"employment": {"any_of": ["care-management"]}}).gaps(
        answers(employment={"current": current, "hours_per_week": hours})
    )
    assert gaps == (() if met else (Gap(kind="employment", message="needs to be working in care management now"),))


CCM_DEGREE = {"education": {"min_level": "bachelor", "field_group": "health-human-services", "field_experience": True}}
CCM_DEGREE_TEXT = (
    "needs at least a bachelor's degree in a health or human services field that included supervised field experience"
)


@pytest.mark.parametrize(
    ("condition", "education", "gap"),
    [
        (CCM_DEGREE, {"level": "bachelor", "field": "psychology", "field_experience": True}, None),
        (CCM_DEGREE, {"level": "doctorate", "field": "nursing", "field_experience": True}, None),
        (
            CCM_DEGREE,
            {"level": "bachelor", "field": "psychology"},
            f"{CCM_DEGREE_TEXT} (has a bachelor's degree in psychology, without supervised field experience)",
        ),
        (
            CCM_DEGREE,
            {"level": "associate", "field": "nursing", "field_experience": True},
            f"{CCM_DEGREE_TEXT} (has an associate degree in nursing)",
        ),
        (
            CCM_DEGREE,
            {"level": "master", "field": "unrelated", "field_experience": True},
            f"{CCM_DEGREE_TEXT} (has a master's degree in an unrelated field)",
        ),
        # Exactly the minimum level, and no field experience asked for.
        (
            {"education": {"min_level": "associate", "field_group": "nursing"}},
            {"level": "associate", "field": "nursing"},
            None,
        ),
        (
            {"education": {"min_level": "associate", "field_group": "nursing"}},
            {"level": "none"},
            "needs at least an associate degree in nursing (has no formal education)",
        ),
        # No field group: any field will do.
        ({"education": {"min_level": "bachelor"}}, {"level": "bachelor", "field": "unrelated"}, None),
        (
            {"education": {"min_level": "bachelor"}},
            {"level": "associate", "field": "nursing"},
            "needs at least a bachelor's degree (has an associate degree in nursing)",
        ),
    ],
)
def test_degree(condition: dict[str, Any], education: dict[str, Any], gap: str | None) -> None:
    gaps = rule(condition).gaps(answers(education=education))
    assert gaps == (() if gap is None else (Gap(kind="education", message=gap),))


CASE_MANAGEMENT_24 = months_of("case_management", 24)


@pytest.mark.parametrize(
    ("years", "gap"),
    [
        (2, None),
        # Short of 24 months by less than float noise (1e-9): met, the tolerance is inclusive.
        (1.9999999999166667, None),
        (3, None),
        (23 / 12, ("needs 1 more month of full-time case management (has 23 of 24)", 23.0)),
        (1.5, ("needs 6 more months of full-time case management (has 18 of 24)", 18.0)),
        (0, ("needs 24 more months of full-time case management (has 0 of 24)", 0.0)),
        # 0.10288 years = 1.23456 months: the gap's `have` keeps 4 decimals, the message all it needs.
        (0.10288, ("needs 23 more months of full-time case management (has 1.23 of 24)", 1.2346)),
    ],
)
def test_experience_in_months(years: float, gap: tuple[str, float] | None) -> None:
    gaps = rule(CASE_MANAGEMENT_24).gaps(answers(experience={"case_management": years}))
    if gap is None:
        assert gaps == ()
    else:
        message, have = gap
        assert gaps == (Gap("experience.case_management", message, needed=24.0, have=have, unit="months"),)


def test_a_look_back_window_caps_the_months_counted() -> None:
    # A window shorter than the need: 5 years count as the 24 months inside a 2-year window.
    capped = rule({"experience": {"of": "case_management", "months": 36, "within_years": 2}})
    assert capped.gaps(answers(experience={"case_management": 5})) == (
        Gap(
            "experience.case_management",
            "needs 12 more months of full-time case management within the last 2 years (has 24 of 36)",
            needed=36.0,
            have=24.0,
            unit="months",
        ),
    )
    # Inside the window, experience counts in full.
    assert capped.gaps(answers(experience={"case_management": 1}))[0].have == 12.0


CMGT_HOURS = {"experience": {"of": "case_management", "hours": 2000, "within_years": 3}}
CMGT_HOURS_WORDS = "full-time case management within the last 3 years"


@pytest.mark.parametrize(
    ("full_time", "years", "gap"),
    [
        # 6 months x 40 h x 52/12 weeks = 1,040 hours.
        (40.0, 0.5, ("needs 960 more hours of {} (has 1,040 of 2,000)", 1040.0)),
        # The same 6 months at a 35-hour full-time week: 6 x 35 x 52/12 = 910.
        (35.0, 0.5, ("needs 1,090 more hours of {} (has 910 of 2,000)", 910.0)),
        # 1 month = 173.33 hours: `have` keeps 2 decimals; 2,000 - 173.33 = 1,826.67 -> 1,827 more.
        (40.0, 1 / 12, ("needs 1,827 more hours of {} (has 173 of 2,000)", 173.33)),
        (40.0, 0, ("needs 2,000 more hours of {} (has 0 of 2,000)", 0.0)),
        # 12 years are capped at the 3-year window: 36 months = 6,240 hours.
        (40.0, 12, None),
        # 1,999.999999999 hours: short by no more than the tolerance.
        (40.0, 0.9615384615379808, None),
    ],
)
def test_experience_in_hours(full_time: float, years: float, gap: tuple[str, float] | None) -> None:
    gaps = rule(CMGT_HOURS, full_time).gaps(answers(experience={"case_management": years}))
    if gap is None:
        assert gaps == ()
    else:
        message, have = gap
        expected = Gap("experience.case_management", message.format(CMGT_HOURS_WORDS), 2000.0, have, "hours")
        assert gaps == (expected,)


def test_a_year_of_full_time_is_2080_hours_exactly() -> None:
    # 12 x 40 x 52/12 = 2,080: a need of exactly that is met, and 2,500 is 420 short.
    year = answers(experience={"case_management": 1})
    assert rule({"experience": {"of": "case_management", "hours": 2080}}).gaps(year) == ()
    (gap,) = rule({"experience": {"of": "case_management", "hours": 2500}}).gaps(year)
    assert gap.message == "needs 420 more hours of full-time case management (has 2,080 of 2,500)"


@pytest.mark.parametrize(
    ("job", "months"),
    [
        (CASE_MANAGEMENT_JOB, 6.0),
        ({"current": "case-management", "hours_per_week": 20}, 12.0),  # half time: twice as long
        ({"current": "case-management", "hours_per_week": 60}, 6.0),  # overtime counts as full time, no more
        ({"current": "case-management", "hours_per_week": 0}, None),
        ({"current": "nursing", "hours_per_week": 40}, None),  # nursing adds to RN practice, not case management
        ({"current": "none", "hours_per_week": 0}, None),
    ],
)
def test_months_to_close_a_gap_in_months(job: dict[str, Any], months: float | None) -> None:
    person = answers(experience={"case_management": 1.5}, employment=job)
    ccm = rule(CASE_MANAGEMENT_24)
    assert len(ccm.gaps(person)) == 1  # 6 months short
    assert ccm.months_to_close(person) == months


def test_months_to_close_a_gap_in_hours() -> None:
    # 960 hours short at 40 h x 52/12 weeks a month = 72/13 months; at half time twice that.
    for hours, months in ((40, 72 / 13), (20, 144 / 13)):
        person = answers(
            experience={"case_management": 0.5}, employment={**CASE_MANAGEMENT_JOB, "hours_per_week": hours}
        )
        cmgt = rule(CMGT_HOURS)
        assert len(cmgt.gaps(person)) == 1
        assert cmgt.months_to_close(person) == pytest.approx(months, abs=1e-9)


def test_rules_that_time_will_not_close() -> None:
    person = answers(employment=CASE_MANAGEMENT_JOB)
    for condition in (
        {"license": {"any_of": ["rn"]}},
        {"ce_hours": {"of": "case_management_last_3_years", "hours": 30}},
    ):
        compiled = rule(condition)
        assert len(compiled.gaps(person)) == 1
        assert compiled.months_to_close(person) is None


CE = "case_management_last_3_years"
CE_WORDS = "continuing education in nursing case management within the last"


@pytest.mark.parametrize(
    ("condition", "given", "gap"),
    [
        ({"hours": 30, "within_years": 3}, 30, None),
        ({"hours": 30, "within_years": 3}, 29.999999999, None),  # within the tolerance
        ({"hours": 30, "within_years": 3}, 10, (f"needs 20 more hours of {CE_WORDS} 3 years (has 10 of 30)", 30, 10)),
        ({"hours": 30, "within_years": 3}, 0, (f"needs 30 more hours of {CE_WORDS} 3 years (has 0 of 30)", 30, 0)),
        # No window of its own: the kind's 3 years.
        ({"hours": 45}, 0, (f"needs 45 more hours of {CE_WORDS} 3 years (has 0 of 45)", 45, 0)),
        # A longer window: hours in the last 3 years are in the last 5 too, so they count.
        ({"hours": 45, "within_years": 5}, 20, (f"needs 25 more hours of {CE_WORDS} 5 years (has 20 of 45)", 45, 20)),
        # A shorter window than the answers': their hours cannot be told apart, so none count.
        ({"hours": 30, "within_years": 2}, 30, (f"needs 30 more hours of {CE_WORDS} 2 years (has 0 of 30)", 30, 0)),
    ],
)
def test_continuing_education(condition: dict[str, Any], given: float, gap: tuple[str, float, float] | None) -> None:
    gaps = rule({"ce_hours": {"of": CE, **condition}}).gaps(answers(ce_hours={CE: given}))
    if gap is None:
        assert gaps == ()
    else:
        message, needed, have = gap
        assert gaps == (Gap("ce_hours", message, needed=needed, have=have, unit="hours"),)


def test_any_of_needs_every_condition_of_one_option() -> None:
    either = rule({
        "any_of": [
            {"id": "nurse", "label": "a nurse", "all_of": [{"license": {"any_of": ["rn"]}}, months_of("rn", 12)]},
            {"id": "crc", "label": "a CRC", "all_of": [{"certification": {"any_of": ["crc"]}}]},
        ]
    })  # fmt: skip
    needs = (
        "needs one of: a registered nurse (RN) license and 12 months of practice as a registered nurse;"
        " or Certified Rehabilitation Counselor (CRC)"
    )
    # Half of the nurse option is met: the gap says what that option still lacks.
    rn_years = "needs 12 more months of practice as a registered nurse (has 0 of 12)"
    license = "needs a registered nurse (RN) license"
    assert either.gaps(answers(licenses=["rn"])) == (Gap("any_of", f"{needs}; closest: {rn_years}", closest=rn_years),)
    assert either.gaps(answers(experience={"rn": 1})) == (
        Gap("any_of", f"{needs}; closest: {license}", closest=license),
    )
    assert either.gaps(answers()) == (Gap("any_of", needs),)  # nothing met: no option is closer
    assert either.gaps(answers(licenses={"rn": True}, experience={"rn": 1})) == ()
    assert either.gaps(answers(certifications=["crc"])) == ()


# --- score.py: dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2026, 1, 31), (2026, 2, 28), (2024, 2, 29), (2100, 2, 28), (2000, 2, 29), (2026, 4, 30), (2026, 12, 31)],
)
def test_days_in(year: int, month: int, days: int) -> None:
    assert days_in(year, month) == days


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 29), 0, date(2026, 11, 29)),
        (date(2026, 11, 29), 12, date(2027, 11, 29)),
        (date(2026, 2, 1), 1, date(2026, 3, 1)),  # a calendar month, not 30.44 days
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the month's end
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # a leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 30), 1, date(2026, 12, 30)),  # into December
        (date(2026, 12, 31), 1, date(2027, 1, 31)),  # out of December: month index 12 is next January
        (date(2026, 11, 29), 14, date(2028, 1, 29)),  # month index 10 + 14 = 24: two years on, January
        (date(2026, 11, 29), 15, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2026, 11, 29), 3, date(2027, 2, 28)),  # 2027 is not
        # The rest as that share of the next month's days, rounded up: Feb 28 to Mar 31 is 31 days,
        # 0.5 x 31 = 15.5 -> 16 days after Feb 28.
        (date(2026, 1, 31), 1.5, date(2026, 3, 16)),
        # 63/64 x 31 (January) = 30.52 -> 31 days: Feb 1, never later than the whole month.
        (date(2026, 1, 1), 0.984375, date(2026, 2, 1)),
        (date(2026, 2, 1), 0.5, date(2026, 2, 15)),  # 0.5 x 28 = 14 days
        (date(2024, 2, 1), 0.5, date(2024, 2, 16)),  # 0.5 x 29 = 14.5 -> 15 days
        # It was 30.4375 days a month for every month: 0.97 months after Feb 1 fell after 1 month (Mar 2).
        (date(2000, 2, 1), 0.96875, date(2000, 3, 1)),
        # Float noise just below a whole month is that month, with no extra day.
        (date(2026, 11, 29), 12 - 1e-12, date(2027, 11, 29)),
        (date(9999, 12, 1), 1, None),  # past the end of the calendar
    ],
)
def test_add_months(day: date, months: float, expected: date | None) -> None:
    assert add_months(day, months) == expected


@settings(max_examples=40, deadline=None)
@given(st.dates(max_value=date(9000, 1, 1)), st.integers(0, 600))
def test_whole_months_move_the_month_and_keep_the_day(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert moved is not None
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, days_in(moved.year, moved.month))


@settings(max_examples=40, deadline=None)
@given(st.dates(max_value=date(9000, 1, 1)), st.floats(0, 600), st.floats(0, 600))
def test_more_months_never_give_an_earlier_date(day: date, some: float, more: float) -> None:
    earlier, later = add_months(day, min(some, more)), add_months(day, max(some, more))
    assert earlier is not None
    assert later is not None
    assert earlier <= later


# --- score.py: projecting dates and choosing routes ----------------------------------------------

FULL_TIME_CASE_MANAGER = answers(experience={"case_management": 1.5}, employment=CASE_MANAGEMENT_JOB)


def projected(person: Any, *conditions: dict[str, Any]) -> date | None:
    return project(route("r", *conditions).unmet(person), person, TODAY)


def test_project_waits_for_the_last_gap() -> None:
    # 6 and 18 months short: all are closed after 18 months.
    person = FULL_TIME_CASE_MANAGER
    assert projected(person, CASE_MANAGEMENT_24, months_of("case_management", 36)) == date(2028, 5, 29)
    # Half a month short: Nov 29 to Dec 29 is 30 days, 0.5 x 30 = 15 days.
    half = answers(experience={"case_management": 23.5 / 12}, employment=CASE_MANAGEMENT_JOB)
    assert projected(half, CASE_MANAGEMENT_24) == date(2026, 12, 14)


def test_project_gives_up_on_a_gap_that_time_will_not_close() -> None:
    assert projected(FULL_TIME_CASE_MANAGER, CASE_MANAGEMENT_24, {"license": {"any_of": ["rn"]}}) is None


def test_project_stops_at_fifty_years() -> None:
    nothing_yet = answers(employment=CASE_MANAGEMENT_JOB)
    assert projected(nothing_yet, months_of("case_management", 600)) == date(2076, 11, 29)
    # 301 months at half time take 602.
    half_time = answers(employment={**CASE_MANAGEMENT_JOB, "hours_per_week": 20})
    assert projected(half_time, months_of("case_management", 300)) == date(2076, 11, 29)
    assert projected(half_time, months_of("case_management", 301)) is None


def chosen(person: Any, *routes: CompiledRoute) -> tuple[str, int, date | None]:
    choice = choose_route(routes, person, TODAY)
    return choice.route.id, len(choice.gaps), choice.on


# The person below has 1 year of case management and works in it full time.
A_YEAR_IN = answers(experience={"case_management": 1}, employment=CASE_MANAGEMENT_JOB)
RN_LICENSE = {"license": {"any_of": ["rn"]}}
OTHER_LICENSE = {"license": {"any_of": ["lcsw"]}}


def test_the_first_route_met_today_wins() -> None:
    routes = (
        route("two-years", CASE_MANAGEMENT_24),
        route("a-year", months_of("case_management", 12)),
        route("half-a-year", months_of("case_management", 6)),
    )
    assert chosen(A_YEAR_IN, *routes) == ("a-year", 0, TODAY)
    choice = choose_route(routes, A_YEAR_IN, TODAY)
    assert choice.gaps == ()


def test_met_today_beats_soonest() -> None:
    assert chosen(
        A_YEAR_IN, route("soon", months_of("case_management", 13)), route("now", months_of("case_management", 12))
    ) == ("now", 0, TODAY)


def test_soonest_beats_fewest_gaps_and_catalog_order() -> None:
    routes = (
        route("three-years", months_of("case_management", 36)),  # 1 gap, 24 months away
        route("two-gaps", months_of("case_management", 18), CASE_MANAGEMENT_24),  # 2 gaps, 12 months away
    )
    assert chosen(A_YEAR_IN, *routes) == ("two-gaps", 2, date(2027, 11, 29))


def test_a_date_beats_no_date() -> None:
    routes = (route("license", RN_LICENSE), route("two-gaps", months_of("case_management", 18), CASE_MANAGEMENT_24))
    assert chosen(A_YEAR_IN, *routes) == ("two-gaps", 2, date(2027, 11, 29))


def test_without_a_date_fewest_lasting_gaps_win() -> None:
    # Gaps of RN practice and care management are timed, but this job adds to neither.
    routes = (
        route("license-and-degree", RN_LICENSE, {"education": {"min_level": "associate"}}),
        route("license-and-time", RN_LICENSE, months_of("rn", 24), months_of("supervised_care_management", 12)),
    )
    assert chosen(A_YEAR_IN, *routes) == ("license-and-time", 3, None)


def test_then_fewest_gaps_then_catalog_order() -> None:
    # One lasting gap each: then one gap beats two, and of equals the first wins.
    two_gaps, one_gap = route("two", RN_LICENSE, months_of("rn", 24)), route("one", OTHER_LICENSE)
    assert chosen(A_YEAR_IN, two_gaps, one_gap) == ("one", 1, None)
    assert chosen(A_YEAR_IN, route("rn", RN_LICENSE), one_gap) == ("rn", 1, None)


# --- score.py: credentials through the real catalog ----------------------------------------------


def test_ccm_six_months_short_full_result() -> None:
    document = {**RN, "experience": {"case_management": 1.5}, "employment": CASE_MANAGEMENT_JOB}
    assert credential_result(score(document), "ccm") == CredentialResult(
        id="ccm",
        name="Certified Case Manager",
        abbreviation="CCM",
        body="Commission for Case Manager Certification (CCMC)",
        confirmed=True,
        eligible=False,
        # Only this route can be dated: the job adds to case management, not to CCM-supervised
        # or supervising work.
        route="any-supervisor",
        route_label="24 months of full-time case management (any supervisor)",
        gaps=(
            Gap(
                "experience.case_management",
                "needs 6 more months of full-time case management (has 18 of 24)",
                needed=24.0,
                have=18.0,
                unit="months",
            ),
        ),
        eligible_on=date(2027, 5, 29),
        # Its route: the education option met (1) and 18 of 24 months (0.75): 87.5% -> 87.
        progress=87,
        assumes="if you keep your current job (case management as an RN) at 40 hours a week",
        undated_because=None,
        notes=(CCM_FULL_TIME,),
        sources=CCM_SOURCES,
    )


def test_ccm_as_supervisor_with_a_certification() -> None:
    document = {"certifications": ["cdms"], "experience": {"case_management_supervisor": 1}}
    ccm = credential_result(score(document), "ccm")
    assert (ccm.eligible, ccm.route, ccm.route_label, ccm.gaps, ccm.eligible_on) == (
        True,
        "as-supervisor",
        "12 months supervising people who provide case management",
        (),
        TODAY,
    )


def test_ccm_without_license_degree_or_certification() -> None:
    ccm = credential_result(score({"experience": {"case_management": 3}}), "ccm")
    assert (ccm.eligible, ccm.route, ccm.gaps, ccm.eligible_on) == (
        False,
        "any-supervisor",  # every route has the same lasting gap; this one has no other
        (Gap(kind="any_of", message=CCM_EDUCATION),),
        None,
    )


def test_cmgt_bc_part_time_hours_date() -> None:
    document = {
        **RN,
        "experience": {"rn": 2, "case_management": 0.5, "nursing_case_management": 0.5},
        "ce_hours": {CE: 30},
        "employment": {"current": "rn-case-management", "hours_per_week": 20},
    }
    cmgt = credential_result(score(document), "cmgt-bc")
    assert cmgt.gaps == (
        Gap("experience.nursing_case_management", f"needs 960 more hours of {NCM_WORDS} (has 1,040 of 2,000)",
            needed=2000.0, have=1040.0, unit="hours"),
    )  # fmt: skip
    # 960 h / (40 x 52/12 h a month) = 72/13 months at full time, 144/13 = 11 1/13 at half time:
    # 11 months to 2027-10-29, then 30.4375/13 = 2.3 -> 3 days.
    assert cmgt.eligible_on == date(2027, 11, 1)
    assert (cmgt.confirmed, cmgt.notes) == (False, CMGT_NOTES)


def test_cmgt_bc_needs_every_part_of_its_one_route() -> None:
    cmgt = credential_result(score({"licenses": ["rn"], "experience": {"rn": 1, "case_management": 3}}), "cmgt-bc")
    assert [(gap.kind, gap.message) for gap in cmgt.gaps] == [
        ("experience.rn", "needs 12 more months of practice as a registered nurse (has 12 of 24)"),
        # Case management not done as an RN is not ANCC's nursing case management.
        ("experience.nursing_case_management", f"needs 2,000 more hours of {NCM_WORDS} (has 0 of 2,000)"),
        ("ce_hours", f"needs 30 more hours of {CE_WORDS} 3 years (has 0 of 30)"),
    ]
    assert (cmgt.route, cmgt.eligible_on) == ("standard", None)


def test_cmc_uses_naccm_35_hour_week() -> None:
    document = {
        "education": {"level": "master", "field": "gerontology"},
        "experience": {"supervised_care_management": 1},
        "employment": CARE_MANAGEMENT_JOB,
    }
    cmc = credential_result(score(document), "cmc")
    # 35 hours is NACCM's full time: 12 months short take 12 months (at 40 it would be 13.7).
    assert (cmc.route, cmc.eligible_on, cmc.notes) == ("master", date(2027, 11, 29), CMC_NOTES)
    half = credential_result(score({**document, "employment": {**CARE_MANAGEMENT_JOB, "hours_per_week": 17.5}}), "cmc")
    assert half.eligible_on == date(2028, 11, 29)


def test_cmc_nearest_route_has_fewest_lasting_gaps() -> None:
    # Without a care-management job no route can be dated; the unrelated bachelor's meets the
    # third route's any_of, so it has one lasting gap (the job) where the others have two.
    cmc = credential_result(score({"education": {"level": "bachelor", "field": "unrelated"}}), "cmc")
    assert cmc.route == "associate-diploma-or-unrelated"
    assert cmc.gaps == (
        Gap("experience.supervised_care_management",
            "needs 36 more months of paid, full-time, supervised care management"
            " within the last 10 years (has 0 of 36)",
            needed=36.0, have=0.0, unit="months"),
        Gap("experience.direct_client_care",
            "needs 24 more months of paid, full-time direct client contact within the last 10 years, counting paid,"
            " full-time, supervised care management beyond 36 months (has 0 of 24)",
            needed=24.0, have=0.0, unit="months"),
        Gap("employment", "needs to be working in care management now"),
    )  # fmt: skip
    assert cmc.eligible_on is None


def test_credential_notes_of_the_real_catalog() -> None:
    notes = {credential.id: credential_notes(credential) for credential in CATALOG.credentials}
    assert notes == {"ccm": (CCM_FULL_TIME,), "cmgt-bc": CMGT_NOTES, "cmc": CMC_NOTES}


def test_credential_notes_say_only_what_applies() -> None:
    ccm, cmgt, cmc = (CATALOG.credential(credential_id) for credential_id in ("ccm", "cmgt-bc", "cmc"))
    # A note on a confirmed credential is no caveat; an unconfirmed one without a note says nothing.
    assert credential_notes(ccm.model_copy(update={"note": "A note."})) == (CCM_FULL_TIME,)
    assert credential_notes(cmc.model_copy(update={"confirmed": False, "note": None})) == CMC_NOTES
    unnoted = cmgt.model_copy(update={"full_time": cmgt.full_time.model_copy(update={"note": None})})
    assert credential_notes(unnoted) == (CMGT_NOTES[0], CMGT_NOTES[2])
    both = cmc.model_copy(update={"routes": cmc.routes + cmgt.routes, "rules_note": None})
    assert credential_notes(both) == (
        CMC_FULL_TIME,
        "Assumes the experience you gave falls within the last 3 or 10 years; older work does not count.",
    )


@pytest.mark.parametrize(
    ("document", "route", "reading"),
    [
        ({"education": {"level": "master", "field": "gerontology"}}, "master", False),
        ({"education": {"level": "bachelor", "field": "gerontology"}}, "bachelor", True),
        ({"education": {"level": "bachelor", "field": "unrelated"}}, "associate-diploma-or-unrelated", True),
    ],
)
def test_a_reading_is_said_with_the_routes_that_use_it(document: dict[str, Any], route: str, reading: bool) -> None:
    cmc = credential_result(score(document), "cmc")
    assert cmc.route == route
    assert cmc.notes == CMC_NOTES + ((DIRECT_READING,) if reading else ())


# --- score.py: warnings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "warnings"),
    [
        ({}, [NOTHING_GIVEN]),
        ({"clinical": 4}, []),
        ({"clinical": 4, "empathy": 4}, []),  # two equal ratings may well be true
        (
            {"clinical": 4, "empathy": 4, "teamwork": 4},
            ["Every skill is rated 4: the ratings cannot tell the roles apart."],
        ),
        (
            {"clinical": 2, "empathy": 2, "teamwork": 2, "delegation": 2},
            ["Every skill is rated 2: the ratings cannot tell the roles apart."],
        ),
        ({"clinical": 4, "empathy": 4, "teamwork": 5}, []),
    ],
)
def test_rating_warnings(ratings: dict[str, int], warnings: list[str]) -> None:
    assert rating_warnings(answers(skills=ratings)) == warnings


@pytest.mark.parametrize(
    ("preferences", "warnings"),
    [
        ({"care_style": "direct"}, [NO_SKILLS]),
        ({"work_setting": "facility"}, [NO_SKILLS]),
        ({"care_style": "no-preference", "work_setting": "no-preference"}, [NOTHING_GIVEN]),
    ],
)
def test_preferences_without_ratings(preferences: dict[str, str], warnings: list[str]) -> None:
    assert rating_warnings(answers(preferences=preferences)) == warnings


@pytest.mark.parametrize(
    ("test", "holds", "fails"),
    [
        # A list answer passes one_of when any item is one, not_one_of when none is.
        ({"answer": "licenses", "one_of": ["rn"]}, {"licenses": ["lpn", "rn"]}, {"licenses": ["lpn"]}),
        ({"answer": "licenses", "not_one_of": ["rn"]}, {"licenses": ["lcsw"]}, {"licenses": ["lcsw", "rn"]}),
        ({"answer": "licenses", "not_one_of": ["rn"]}, {}, {"licenses": ["rn"]}),
        ({"answer": "employment.hours_per_week", "equals": 0}, {}, {"employment": {"hours_per_week": 0.5}}),
        ({"answer": "education.level", "one_of": ["none", "high-school"]}, {}, {"education": {"level": "associate"}}),
        ({"answer": "employment.current", "not_one_of": ["none"]}, {"employment": {"current": "other"}}, {}),
        ({"answer": "experience.rn", "above": 1}, {"experience": {"rn": 1.5}}, {"experience": {"rn": 1}}),
        (
            {"answer": "experience.case_management_ccm_supervised", "above_answer": "experience.case_management"},
            {"experience": {"case_management_ccm_supervised": 2, "case_management": 1}},
            {"experience": {"case_management_ccm_supervised": 1, "case_management": 1}},
        ),
    ],
)
def test_compile_test(test: dict[str, Any], holds: dict[str, Any], fails: dict[str, Any]) -> None:
    compiled = compile_test(AnswerTest.model_validate(test))
    assert compiled(answers(**holds)) is True
    assert compiled(answers(**fails)) is False


@pytest.mark.parametrize(
    ("document", "warning"),
    [
        ({"experience": {"rn": 0.1}}, "RN experience is given without an RN license."),
        ({"experience": {"rn": 0.1}, "licenses": {"rn": True}}, None),
        (
            {"experience": {"case_management_ccm_supervised": 2, "case_management": 1}},
            "More case management supervised by a CCM than case management in total.",
        ),
        ({"experience": {"case_management_ccm_supervised": 1, "case_management": 1}}, None),
        (
            {"employment": {"current": "other", "hours_per_week": 0}},
            "A current job with 0 hours a week: no dates can be projected from it.",
        ),
        ({"employment": {"current": "other", "hours_per_week": 0.5}}, None),
        ({"employment": {"current": "none", "hours_per_week": 10}}, "Hours a week are given but no current job."),
        (
            {"education": {"level": "high-school", "field": "nursing"}},
            "A field of study is given without a degree; the field is not counted.",
        ),
        ({"education": {"level": "high-school", "field": "none"}}, None),
        ({"education": {"level": "associate", "field": "nursing"}}, None),
        ({}, None),
    ],
)
def test_catalog_warnings(document: dict[str, Any], warning: str | None) -> None:
    expected = () if warning is None else (warning,)
    assert score({**document, "skills": SOME_SKILLS}).warnings == expected


def test_rating_warnings_come_first() -> None:
    assert score({"experience": {"rn": 1}}).warnings == (NOTHING_GIVEN, "RN experience is given without an RN license.")


def test_license_caveats_and_version_1_notes_are_warnings() -> None:
    warnings = score({**SOME_SKILLS_DOC, "licenses": ["lmft", "lpn"]}).warnings
    assert warnings == (
        "LMFT: Unconfirmed: CCMC's examples of qualifying licenses do not name the LMFT; caremgr counts it as"
        " allowing independent assessment, but ask CCMC before you apply.",
        LPN_CAVEAT,
    )
    (note,) = score({**SOME_SKILLS_DOC, "licenses": {"other": True}}).warnings
    assert note.startswith("The answer 'licenses: {other: true}' (answers version 1) is ambiguous")


# --- fit.py and score.py: reasons, fit and ranking ----------------------------------------------


def skill_reasons(label: str, term_points: int, ratings: Mapping[str, tuple[str, int | None, int]]) -> list[Reason]:
    """`ratings`: skill id -> (its label, its rating, the points expected); unrated is 0 of 0."""
    return [
        Reason(
            f"{'skill' if term_points == 5 else 'shared-skill'}.{skill_id}",
            points,
            term_points if rating else 0,
            f"{label}: {skill_label}, " + (f"rated {rating}/5" if rating else "not rated, left out"),
        )
        for skill_id, (skill_label, rating, points) in ratings.items()
    ]


SHARED = "Skill both roles need"
# Shared skills give 2 points: round(2 x rating / 5) = 0, 1, 1, 2 for 1, 2, 3, 4.
SHARED_RATED = {
    "healthcare-law": ("knowledge of healthcare laws and regulations", 1, 0),
    "empathy": ("empathy", 2, 1),
    "organisation": ("organisation", 3, 1),
    "communication": ("communication", 4, 2),
}
PERSON = {
    "education": {"level": "bachelor", "field": "nursing"},
    "licenses": ["rn"],
    "experience": {"rn": 1.5},
    "preferences": {"care_style": "indirect", "work_setting": "client-homes"},
    "skills": {
        "clinical": 5, "team-leadership": 4, "project-management": 3, "delegation": 2, "networking": 1,
        "healthcare-law": 1, "empathy": 2, "organisation": 3, "communication": 4,
    },
}  # fmt: skip


def test_case_manager_reasons_and_fit() -> None:
    case = role_result(score(PERSON), "case-manager")
    assert list(case.reasons) == [
        Reason(
            "care-style", 20, 20, "Care style: indirectly, by coordinating professionals and services, as you prefer"
        ),
        Reason(
            "work-setting",
            0,
            15,
            "Work setting: this role works in an office in a hospital, insurer or other facility;"
            " you prefer where clients live, often their homes",
        ),
        *skill_reasons(
            "Case manager skill",
            5,
            {
                "clinical": ("clinical skills", 5, 5),
                "team-leadership": ("team leadership", 4, 4),
                "project-management": ("project management", 3, 3),
                "delegation": ("delegating tasks", 2, 2),
                "networking": ("networking with medical professionals", 1, 1),
            },
        ),
        *skill_reasons(SHARED, 2, SHARED_RATED),
    ]
    # 20 + 0 + 15 + 4 = 39 of 20 + 15 + 25 + 8 = 68: 57.4 -> 57. The BSN and the RN years are
    # readiness (the nursing route's employer preferences), never fit.
    assert case.fit == 57
    assert (case.entry.met, case.entry.route, case.entry.gaps) == (True, "nursing", ())
    assert [(p.id, p.met) for p in case.entry.preferences] == [("bsn", True), ("rn-years", True)]


def test_care_manager_reasons_and_fit() -> None:
    care = role_result(score(PERSON), "care-manager")
    assert list(care.reasons) == [
        Reason(
            "care-style",
            0,
            20,
            "Care style: this role works directly, one-on-one with clients and families;"
            " you prefer indirectly, by coordinating professionals and services",
        ),
        Reason("work-setting", 15, 15, "Work setting: where clients live, often their homes, as you prefer"),
        *skill_reasons(
            "Care manager skill",
            5,
            {
                "bedside-manner": ("a good bedside manner", None, 0),
                "positive-attitude": ("a positive attitude", None, 0),
                "teamwork": ("teamwork and collaboration", None, 0),
                "negotiation": ("negotiation", None, 0),
                "emotional-support": ("giving emotional support", None, 0),
            },
        ),
        *skill_reasons(SHARED, 2, SHARED_RATED),
    ]
    # Unrated skills are left out: 15 + 4 = 19 of 20 + 15 + 8 = 43: 44.2 -> 44.
    assert care.fit == 44


def test_result_of_a_person() -> None:
    result = score({**PERSON, "id": "pat"})
    assert (result.schema_version, result.id, result.as_of) == (2, "pat", TODAY)
    assert result.ranking == ("case-manager", "care-manager")
    assert [role.id for role in result.roles] == ["case-manager", "care-manager"]
    assert [[c.id for c in role.credentials] for role in result.roles] == [["ccm", "cmgt-bc"], ["cmc"]]
    assert result.warnings == ()
    assert result.disclaimer == CATALOG.disclaimer
    # Every source the result cites, numbered as in the catalog: the fit's, each chosen entry
    # route's (with its preferences'), each credential's and its chosen route's.
    numbers = CATALOG.source_numbers
    cited = {"seed", "bls-rn", "ccmc-eligibility", "ccmc-blog", "mometrix-cmgt", "nursecom-cmgt",
             "naccm-eligibility", "naccm-tiers", "naccm-faq"}  # fmt: skip
    assert [(s.number, s.id) for s in result.sources] == sorted((numbers[ref], ref) for ref in cited)


def test_a_left_out_preference_neither_helps_nor_hurts() -> None:
    case = role_result(score({}), "case-manager")
    assert case.reasons[:2] == (
        Reason("care-style", 0, 0, "Care style: no preference given, left out"),
        Reason("work-setting", 0, 0, "Work setting: no preference given, left out"),
    )
    assert {(reason.points, reason.max_points) for reason in case.reasons} == {(0, 0)}
    result = score({})
    # No fit and no readiness to tell them apart: by id.
    assert [(role.id, role.fit) for role in result.roles] == [("care-manager", None), ("case-manager", None)]
    assert result.warnings == (NOTHING_GIVEN,)


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_each_rating_of_a_skill(rating: int) -> None:
    reasons = {
        r.id: r for r in role_result(score({"skills": {"clinical": rating, "empathy": rating}}), "case-manager").reasons
    }
    assert reasons["skill.clinical"] == Reason(
        "skill.clinical", rating, 5, f"Case manager skill: clinical skills, rated {rating}/5"
    )
    # round(2 x rating / 5): 0.4, 0.8, 1.2, 1.6, 2.0.
    assert reasons["shared-skill.empathy"].points == [0, 1, 1, 2, 2][rating - 1]


@pytest.mark.parametrize(("years", "met"), [(0, False), (11 / 12, False), (1, True), (30, True)])
def test_years_as_an_rn_are_a_preference_of_the_nursing_route(years: float, met: bool) -> None:
    entry = role_result(score({"licenses": ["rn"], "experience": {"rn": years}}), "case-manager").entry
    assert entry.route == "nursing"
    rn_years = next(p for p in entry.preferences if p.id == "rn-years")
    assert (rn_years.met, rn_years.confirmed) == (met, False)  # caremgr's 12-month marker, unconfirmed


@pytest.mark.parametrize(
    ("education", "met"),
    [
        ({"level": "master", "field": "nursing"}, True),
        ({"level": "bachelor", "field": "social-work"}, False),
        ({"level": "associate", "field": "nursing"}, False),
    ],
)
def test_bsn_needs_a_nursing_bachelor(education: dict[str, Any], met: bool) -> None:
    entry = role_result(score({"licenses": ["rn"], "education": education}), "case-manager").entry
    assert next(p.met for p in entry.preferences if p.id == "bsn") is met


def test_a_route_s_preferences_are_never_held_against_another_route() -> None:
    social = {"education": {"level": "bachelor", "field": "social-work"}, "experience": {"rn": 0}}
    entry = role_result(score(social), "case-manager").entry
    assert (entry.met, entry.route, entry.gaps) == (True, "social-work", ())
    assert [(p.id, p.met) for p in entry.preferences] == [("msw", False), ("social-work-license", False)]
    lcsw = role_result(score({**social, "education": {"level": "master", "field": "social-work"},
                              "licenses": ["lcsw"]}), "case-manager").entry  # fmt: skip
    assert [(p.id, p.met) for p in lcsw.preferences] == [("msw", True), ("social-work-license", True)]


@pytest.mark.parametrize(
    ("ratings", "fit"),
    [
        # Only the shared skills rated, nothing else given: x of 8 points for both roles.
        ((1, 1, 1, 3), 12),  # 0 + 0 + 0 + 1 = 1 of 8 = 12.5, which Python's round() takes to 12
        ((5, 5, 3, 1), 62),  # 2 + 2 + 1 + 0 = 5 of 8 = 62.5 -> 62
        ((5, 5, 5, 3), 88),  # 2 + 2 + 2 + 1 = 7 of 8 = 87.5 -> 88
    ],
)
def test_fit_rounds_half_to_even(ratings: tuple[int, ...], fit: int) -> None:
    skills = dict(zip(("healthcare-law", "empathy", "organisation", "communication"), ratings, strict=True))
    result = score({"skills": skills})
    assert [role.fit for role in result.roles] == [fit, fit]


def test_equal_fits_rank_by_readiness_then_by_id() -> None:
    empathy = {"skills": {"empathy": 5}}  # 2 of 2 for both roles: 100 each
    assert score(empathy).ranking == ("care-manager", "case-manager")  # nothing else: by id
    # A bachelor's in any field meets the care manager's entry and not the case manager's.
    unrelated = score({**empathy, "education": {"level": "bachelor", "field": "unrelated"}})
    assert [(role.id, role.fit, role.entry.met) for role in unrelated.roles] == [
        ("care-manager", 100, True),
        ("case-manager", 100, False),
    ]
    # An RN license meets the case manager's entry and not the care manager's: readiness wins over id.
    nurse = score({**empathy, "licenses": ["rn"]})
    assert [(role.id, role.entry.met) for role in nurse.roles] == [("case-manager", True), ("care-manager", False)]


def test_a_higher_fit_ranks_first_whatever_the_readiness() -> None:
    document = {
        "education": {"level": "bachelor", "field": "unrelated"},  # meets the care manager's entry only
        "preferences": {"care_style": "indirect"},
    }
    assert [(role.id, role.fit) for role in score(document).roles] == [("case-manager", 100), ("care-manager", 0)]


def test_role_entry_gaps() -> None:
    # Every case manager route has one gap; the one most met is the nearest: a degree in social
    # work at a lower level is half of the social-work route's degree, and nothing of the RN license.
    case = role_result(score({"education": {"level": "associate", "field": "social-work"}}), "case-manager")
    assert (case.entry.met, case.entry.route, case.entry.gaps) == (
        False,
        "social-work",
        (
            Gap(
                "education",
                "needs at least a bachelor's degree in social work (has an associate degree in social work)",
            ),
        ),
    )
    # With nothing met anywhere, the first route.
    assert role_result(score({}), "case-manager").entry.route == "nursing"
    care = role_result(score({"education": {"level": "high-school"}}), "care-manager")
    assert (care.entry.route, care.entry.gaps) == (
        "related-degree",
        (Gap("education", "needs at least an associate degree in nursing or a related field"
                          " (has a high school diploma)"),),
    )  # fmt: skip
    # "No field of study" is the catalog's own answer, never spelled out as a field.
    assert role_result(score({}), "care-manager").entry.gaps == (
        Gap("education", "needs at least an associate degree in nursing or a related field (has no formal education)"),
    )


@pytest.mark.parametrize(
    ("education", "care_route", "case_route"),
    [
        # An RN diploma is a nursing qualification whatever field is given.
        ({"level": "rn-diploma"}, "rn-diploma", None),
        ({"level": "rn-diploma", "field": "unrelated"}, "rn-diploma", None),
        ({"level": "associate", "field": "gerontology"}, "related-degree", None),
        ({"level": "bachelor", "field": "unrelated"}, "any-bachelor", None),
        ({"level": "bachelor", "field": "social-work"}, "related-degree", "social-work"),
        ({"level": "master", "field": "psychology"}, "related-degree", "health-human-services"),
    ],
)
def test_entry_routes(education: dict[str, Any], care_route: str, case_route: str | None) -> None:
    result = score({"education": education})
    care, case = role_result(result, "care-manager").entry, role_result(result, "case-manager").entry
    assert (care.met, care.route) == (True, care_route)
    assert case.met is (case_route is not None)
    if case_route:
        assert case.route == case_route


# --- catalogs the real one does not reach ---------------------------------------------------------


def _add_hours_to_case_manager_entry(data: dict[str, Any]) -> None:
    for route in data["roles"][0]["entry"]:  # every route: an RN meets two of them
        route["all_of"].append({"experience": {"of": "case_management", "hours": 2000}})


def test_entry_rules_use_the_strictest_full_time() -> None:
    # The credentials' full-time weeks are 40, 40 and 35 hours: entry rules count at 40.
    engine = compile_catalog(variant(_add_hours_to_case_manager_entry))
    case = role_result(score({**RN, "experience": {"case_management": 0.5}}, engine), "case-manager")
    assert case.entry.gaps == (
        Gap("experience.case_management", "needs 960 more hours of full-time case management (has 1,040 of 2,000)",
            needed=2000.0, have=1040.0, unit="hours"),
    )  # fmt: skip


def test_entry_rules_without_credentials_assume_40_hours() -> None:
    def no_credentials(data: dict[str, Any]) -> None:
        _add_hours_to_case_manager_entry(data)
        data["credentials"] = []
        data["glossary"] = [term for term in data["glossary"] if "credential" not in term]
        for role in data["roles"]:
            role["credentials"] = []
        # Texts may state only their rules' numbers: without credentials these have none to state.
        data["roles"][1]["experience"]["text"] = "Employers expect experience."
        for correction in data["corrections"]:
            if correction["id"] in {"five-years-internship", "certification-mix"}:
                correction["correct"] = "The certifying bodies' rules differ from the article's."

    engine = compile_catalog(variant(no_credentials))
    case = role_result(score({**RN, "experience": {"case_management": 0.5}}, engine), "case-manager")
    assert case.entry.gaps[0].have == 1040.0  # 6 months x 40 h x 52/12
    assert case.credentials == ()


def test_a_role_whose_terms_can_give_no_points_has_no_fit_and_ranks_last() -> None:
    def no_shared_skills(data: dict[str, Any]) -> None:
        data["shared_skills"] = None
        care = data["roles"][1]
        care["fit"] = [term for term in care["fit"] if term.get("skills") == "shared"]

    document = {"skills": {"clinical": 5}, "education": {"level": "bachelor", "field": "unrelated"}}
    result = score(document, compile_catalog(variant(no_shared_skills)))
    care, case = role_result(result, "care-manager"), role_result(result, "case-manager")
    assert (care.fit, care.reasons) == (None, ())
    # The case manager's shared-skill term gives nothing either: clinical 5 of 5 is all it has.
    assert case.fit == 100
    assert len(case.reasons) == 7
    # A role with no fit ranks after one with a fit, though its entry is met and the other's is not.
    assert result.ranking == ("case-manager", "care-manager")


# --- results.py ------------------------------------------------------------------------------------


def test_results_are_slotted() -> None:
    # Built a dozen times per person: slots keep them small, and a misspelt field is an error.
    result = score(PERSON)
    case = result.roles[0]
    parts = (result, case, case.reasons[0], case.credentials[0], case.entry, case.entry.preferences[0],
             result.sources[0], Gap("license", "needs a license"))  # fmt: skip
    for value in parts:
        assert not hasattr(value, "__dict__")
        with pytest.raises(AttributeError):
            value.unknown = 1  # type: ignore[union-attr]


# --- bugs these tests found (each failed before its fix) ----------------------------------


@pytest.mark.parametrize(
    ("credential_id", "document"),
    [
        ("ccm", {**RN, "experience": {"case_management": 23.99996 / 12}, "employment": CASE_MANAGEMENT_JOB}),
        (
            "cmgt-bc",
            {
                **RN,
                "experience": {"rn": 2, "nursing_case_management": 0.9615365},  # 1,999.99592 hours
                "ce_hours": {CE: 30},
                "employment": CASE_MANAGEMENT_JOB,
            },
        ),
    ],
)
def test_a_hair_short_is_not_dated_today(credential_id: str, document: dict[str, Any]) -> None:
    result = credential_result(score(document), credential_id)
    assert not result.eligible
    # Docs/json.md: eligible_on is today only when eligible. A hair short, a day is the least time can add.
    assert result.eligible_on == date(2026, 11, 30)


def test_an_open_gap_never_says_it_has_all_it_needs() -> None:
    (gap,) = rule(CASE_MANAGEMENT_24).gaps(answers(experience={"case_management": 23.99996 / 12}))
    assert "(has 24 of 24)" not in gap.message


@pytest.mark.parametrize(
    ("condition", "given", "message"),
    [
        (
            {"ce_hours": {"of": CE, "hours": 30, "within_years": 3}},
            {"ce_hours": {CE: 29}},
            f"needs 1 more hour of {CE_WORDS} 3 years (has 29 of 30)",
        ),
        (
            CMGT_HOURS,
            {"experience": {"case_management": 0.961201923}},  # 1,999.3 hours
            f"needs 1 more hour of {CMGT_HOURS_WORDS} (has 1,999 of 2,000)",
        ),
    ],
)
def test_one_hour_short_is_one_hour(condition: dict[str, Any], given: dict[str, Any], message: str) -> None:
    (gap,) = rule(condition).gaps(answers(**given))
    assert gap.message == message


def test_a_window_inside_any_of_is_noted() -> None:
    cmc = CATALOG.credential("cmc")
    nested = Route.model_validate({
        "id": "either",
        "label": "care management or an RN license",
        "sources": ["naccm-eligibility"],
        "all_of": [{"any_of": [
            {"id": "work", "label": "care management", "all_of": [
                {"experience": {"of": "supervised_care_management", "months": 36, "within_years": 10}}]},
            {"id": "rn", "label": "an RN license", "all_of": [RN_LICENSE]},
        ]}],
    })  # fmt: skip
    assert credential_notes(cmc.model_copy(update={"routes": (nested,), "rules_note": None})) == (
        CMC_FULL_TIME,
        "Assumes the experience you gave falls within the last 10 years; older work does not count.",
    )


def test_an_any_of_that_time_will_meet_is_dated() -> None:
    either = route("either", {"any_of": [
        {"id": "work", "label": "case management", "all_of": [CASE_MANAGEMENT_24]},
        {"id": "rn", "label": "an RN license", "all_of": [RN_LICENSE]},
    ]})  # fmt: skip
    assert chosen(FULL_TIME_CASE_MANAGER, either) == ("either", 1, date(2027, 5, 29))  # 6 months to go


def test_an_any_of_is_dated_by_its_soonest_option() -> None:
    # 1.5 years in, full time: 24 months are 6 months away, 36 months are 18 months away.
    either = route("either", {"any_of": [
        {"id": "longer", "label": "three years", "all_of": [months_of("case_management", 36)]},
        {"id": "shorter", "label": "two years", "all_of": [CASE_MANAGEMENT_24]},
    ]})  # fmt: skip
    assert chosen(FULL_TIME_CASE_MANAGER, either) == ("either", 1, date(2027, 5, 29))


DIRECT_BEYOND_24 = {
    "experience": {
        "of": "direct_client_care", "months": 12, "within_years": 10,
        "also_counts": {"of": "supervised_care_management", "beyond_months": 24}, "reading": "A reading.",
    }
}  # fmt: skip


@pytest.mark.parametrize(
    ("care_years", "direct_years", "job", "counted", "months"),
    [
        # 18 months of care management: 6 more before any counts, then 12 more: 18 months.
        (1.5, 0, CARE_MANAGEMENT_JOB, 0.0, 18.0),
        # 30 months: 6 beyond the 24 already count; 6 more to go.
        (2.5, 0, CARE_MANAGEMENT_JOB, 6.0, 6.0),
        (2.5, 0.25, CARE_MANAGEMENT_JOB, 9.0, 3.0),
        # Half time (17.5 of 35 hours): 6 + 12 months of care management take twice as long.
        (1.5, 0, {**CARE_MANAGEMENT_JOB, "hours_per_week": 17.5}, 0.0, 36.0),
        # A nursing job adds direct contact itself, from the first month.
        (1.5, 0, {"current": "nursing", "hours_per_week": 35}, 0.0, 12.0),
        # Past the 10-year window nothing more counts: 15 years are 120 months, 96 beyond 24.
        (15, 0, {"current": "none"}, 96.0, None),
    ],
)
def test_care_management_beyond_the_tier_counts_as_direct_contact(
    care_years: float, direct_years: float, job: dict[str, Any], counted: float, months: float | None
) -> None:
    direct = rule(DIRECT_BEYOND_24, 35.0)
    person = answers(
        experience={"supervised_care_management": care_years, "direct_client_care": direct_years}, employment=job
    )
    assert direct.counted(person) == pytest.approx(counted)  # type: ignore[attr-defined]
    if counted >= 12:
        assert direct.met(person)
    else:
        assert direct.months_to_close(person) == pytest.approx(months)


@pytest.mark.parametrize(
    ("document", "credential_id", "because"),
    [
        # The CE hours do not grow with time; the RN months would.
        ({**RN, "experience": {"rn": 1.5, "nursing_case_management": 1.5}, "employment": CASE_MANAGEMENT_JOB},
         "cmgt-bc", "some gaps do not close with time in a job"),
        ({**RN, "experience": {"case_management": 1}}, "ccm", "with no hours of work a week, time adds nothing"),
        # A care management job adds nothing to case management.
        ({**RN, "experience": {"case_management": 1}, "employment": CARE_MANAGEMENT_JOB},
         "ccm", "your current job does not add to what is missing"),
        # 12 months under a CCM at 0.4 of 40 hours a week take 1,200 months: more than 50 years.
        ({**RN, "employment": {**CASE_MANAGEMENT_JOB, "hours_per_week": 0.4, "supervised_by_ccm": True}},
         "ccm", "at your current hours it is more than 50 years away"),
    ],
)  # fmt: skip
def test_why_no_date_can_be_projected(document: dict[str, Any], credential_id: str, because: str) -> None:
    credential = credential_result(score(document), credential_id)
    assert (credential.eligible, credential.eligible_on, credential.assumes) == (False, None, None)
    assert credential.undated_because == because


def test_a_dated_or_eligible_credential_says_no_reason_for_no_date() -> None:
    dated = credential_result(
        score({**RN, "experience": {"case_management": 1}, "employment": CASE_MANAGEMENT_JOB}), "ccm"
    )
    assert (dated.eligible_on, dated.undated_because) == (date(2027, 11, 29), None)
    eligible = credential_result(score({**RN, "experience": {"case_management": 2}}), "ccm")
    assert (eligible.eligible, eligible.undated_because) == (True, None)


# --- steps.py ------------------------------------------------------------------------------------


def test_next_steps_lead_with_the_best_ranked_role() -> None:
    from caremgr_cli.engine.steps import next_steps

    nurse = {**RN, "experience": {"case_management": 1.5}, "employment": CASE_MANAGEMENT_JOB,
             "preferences": {"care_style": "indirect"}}  # fmt: skip
    assert next_steps(score(nurse)) == [
        "CCM: needs 6 more months of full-time case management (has 18 of 24); eligible on 2027-05-29"
        " if you keep your current job (case management as an RN) at 40 hours a week",
        "CMGT-BC: needs 24 more months of practice as a registered nurse (has 0 of 24)",
        "CMC: needs 36 more months of paid, full-time, supervised care management within the last 10 years"
        " (has 0 of 36)",
    ]
    # An entry not met comes first, in the route's own words; a limit keeps the first.
    changer = {"education": {"level": "bachelor", "field": "unrelated"}, "preferences": {"care_style": "indirect"}}
    assert next_steps(score(changer), 1) == [
        "Case manager: the social-work route needs at least a bachelor's degree in social work"
        " (has a bachelor's degree in an unrelated field)"
    ]
    eligible = {**RN, "experience": {"case_management": 2}, "preferences": {"care_style": "indirect"}}
    assert next_steps(score(eligible))[0] == "CCM: eligible now; you can apply"


def test_next_steps_never_tell_a_social_worker_to_become_a_nurse() -> None:
    from caremgr_cli.engine.steps import next_steps

    # An LCSW with an MSW in care management: ANCC's CMGT-BC needs an RN license, which is
    # another profession, not a next step; it stays in the result's details.
    lcsw = {"licenses": ["lcsw"], "education": {"level": "master", "field": "social-work"},
            "experience": {"supervised_care_management": 1, "direct_client_care": 4},
            "employment": {"current": "care-management", "hours_per_week": 35}}  # fmt: skip
    result = score(lcsw)
    steps = next_steps(result)
    assert [step.split(":")[0] for step in steps] == ["CMC", "CCM"]
    assert not [step for step in steps if "registered nurse" in step]
    assert any(c.id == "cmgt-bc" and not c.eligible for role in result.roles for c in role.credentials)


def test_a_next_step_of_alternatives_names_the_nearest_one_alone() -> None:
    from caremgr_cli.engine.steps import next_steps

    lpn = {"licenses": ["lpn"], "education": {"level": "associate", "field": "nursing"},
           "preferences": {"care_style": "indirect"}}  # fmt: skip
    result = score(lpn)
    gap = role_result(result, "case-manager").entry.gaps[0]
    assert gap.kind == "any_of"
    assert gap.message.endswith(f"; closest: {gap.closest}")
    assert next_steps(result)[0] == (
        "Case manager: the health and human services route needs at least a bachelor's degree in a health or"
        " human services field (has an associate degree in nursing)"
    )


# --- what mutation testing showed unpinned after issue 10 -----------------------------------------


@pytest.mark.parametrize(
    ("education", "progress"),
    [
        ({"level": "bachelor", "field": "psychology", "field_experience": True}, 1.0),
        ({"level": "bachelor", "field": "psychology"}, 2 / 3),
        ({"level": "associate", "field": "psychology", "field_experience": True}, 2 / 3),
        ({"level": "bachelor", "field": "unrelated"}, 1 / 3),
        ({"level": "high-school", "field": "psychology"}, 0.0),  # below a degree there is no field
    ],
)
def test_a_degree_rule_s_progress_is_its_share_of_parts_met(education: dict[str, Any], progress: float) -> None:
    assert rule(CCM_DEGREE).progress(answers(education=education)) == pytest.approx(progress)


@pytest.mark.parametrize(
    ("education", "has"),
    [
        # A level always in one field never shows another field; field experience is said
        # missing only where the level and the field are right.
        ({"level": "rn-diploma", "field": "unrelated"}, "has a hospital nursing diploma (RN diploma)"),
        ({"level": "bachelor", "field": "unrelated"}, "has a bachelor's degree in an unrelated field"),
    ],
)
def test_what_a_degree_gap_says_the_person_has(education: dict[str, Any], has: str) -> None:
    (gap,) = rule(CCM_DEGREE).gaps(answers(education=education))
    assert gap.message == f"{CCM_DEGREE_TEXT} ({has})"


def test_a_job_detail_adds_only_to_the_jobs_it_is_about() -> None:
    ccm_supervised = rule(months_of("case_management_ccm_supervised", 12))
    in_case_management = answers(employment={**CASE_MANAGEMENT_JOB, "supervised_by_ccm": True})
    in_care_management = answers(employment={**CARE_MANAGEMENT_JOB, "supervised_by_ccm": True})
    assert ccm_supervised.months_to_close(in_case_management) == 12
    assert ccm_supervised.months_to_close(in_care_management) is None


@pytest.mark.parametrize(
    ("document", "credential_id", "progress"),
    [
        # No license, degree or certification (0), and 48 of 24 months counted as all of it (1).
        ({"experience": {"case_management": 4}}, "ccm", 50),
        # 60 of 30 CE hours count as all of them, and nothing else: a quarter of CMGT-BC's four.
        ({"ce_hours": {CE: 60}}, "cmgt-bc", 25),
    ],
)
def test_more_than_enough_counts_as_enough_in_progress(
    document: dict[str, Any], credential_id: str, progress: int
) -> None:
    assert credential_result(score(document), credential_id).progress == progress


def _a_job_adding_both(data: dict[str, Any]) -> None:
    """A variant whose nursing job adds supervised care management as well as direct contact."""
    job = next(kind for kind in data["employment_kinds"] if kind["id"] == "nursing")
    job["accrues"].append("supervised_care_management")


@pytest.mark.parametrize(
    ("care_years", "months"),
    [
        # 24 months before care management counts: the job's own direct contact closes 12 first.
        (0, 12.0),
        # 6 months to the 24, 6 of direct contact on the way, then 6 more at twice the rate: 9.
        (1.5, 9.0),
    ],
)
def test_a_job_adding_both_kinds_closes_direct_contact_the_sooner_way(care_years: float, months: float) -> None:
    catalog = variant(_a_job_adding_both)
    compiler = Compiler(catalog, "none")
    direct = compiler.rule(Condition.model_validate(DIRECT_BEYOND_24), 35.0)
    model = answers_model(catalog)
    person = model.model_validate({
        "experience": {"supervised_care_management": care_years},
        "employment": {"current": "nursing", "hours_per_week": 35},
    })  # fmt: skip
    assert direct.months_to_close(person) == pytest.approx(months)


THIRD = [RN_LICENSE, months_of("rn", 24), months_of("case_management", 12)]


def test_an_any_of_names_its_closest_option_and_everything_it_lacks() -> None:
    either = rule({
        "any_of": [
            {"id": "half", "label": "a half", "all_of": [RN_LICENSE, months_of("rn", 12)]},
            {"id": "third", "label": "a third", "all_of": THIRD},
            {"id": "also-half", "label": "also a half", "all_of": [RN_LICENSE, months_of("case_management", 6)]},
        ]
    })  # fmt: skip
    person = answers(licenses=["rn"])
    (gap,) = either.gaps(person)
    # Two options are half met: the first of them is the closest; the option's gaps are joined.
    assert gap.message.endswith("; closest: needs 12 more months of practice as a registered nurse (has 0 of 12)")
    assert either.progress(person) == pytest.approx(0.5)  # the best option's share, not the worst
    third = rule({"any_of": [
        {"id": "third", "label": "a third", "all_of": THIRD},
        {"id": "cert", "label": "a CRC", "all_of": [{"certification": {"any_of": ["crc"]}}]},
    ]})  # fmt: skip
    (gap,) = third.gaps(person)
    assert gap.message.endswith(
        "; closest: needs 24 more months of practice as a registered nurse (has 0 of 24);"
        " needs 12 more months of full-time case management (has 0 of 12)"
    )


def test_a_sooner_date_beats_more_of_a_later_route() -> None:
    # "soon" is 6 months away with nothing met; "later" 12 months away with its license met.
    person = answers(licenses=["rn"], employment=CASE_MANAGEMENT_JOB)
    routes = (
        route("later", months_of("case_management", 12), RN_LICENSE),
        route("soon", months_of("case_management", 6)),
    )
    assert chosen(person, *routes) == ("soon", 1, date(2027, 5, 29))


# --- summaries, readiness and what a date assumes (mutation testing, second pass) ----------------

NURSE_CASE_MANAGER = {
    **RN, "experience": {"rn": 1.5, "case_management": 1.5, "nursing_case_management": 1.5,
                         "case_management_ccm_supervised": 1},
    "ce_hours": {CE: 30}, "employment": {**CASE_MANAGEMENT_JOB, "supervised_by_ccm": True},
    "preferences": {"care_style": "indirect"},
}  # fmt: skip


def test_a_role_s_summary_names_its_most_ready_credential() -> None:
    # 12 months under a CCM: CCM eligible now, and named so.
    case = role_result(score(NURSE_CASE_MANAGER), "case-manager")
    assert case.summary == "fits 100/100 · meets the entry by the nursing route · CCM eligible now"
    # Without them, CCM is 6 months away (18 of 24) and CMGT-BC 3 (21 of 24 months as an RN):
    # the sooner is named (2026-11-29 + 3 months is 29 February 2027, clamped to the 28th).
    worked = {"case_management": 1.5, "nursing_case_management": 1.5}
    sooner = {**NURSE_CASE_MANAGER, "experience": {**worked, "rn": 1.75}, "employment": CASE_MANAGEMENT_JOB}
    assert role_result(score(sooner), "case-manager").summary == (
        "fits 100/100 · meets the entry by the nursing route · CMGT-BC eligible on 2027-02-28"
    )
    # Both 6 months away: the one with more of its requirements met. CCM: its education and 18 of
    # 24 months, 87; CMGT-BC: license, hours and CE met, 18 of 24 months as an RN, 93.
    same_day = {**sooner, "experience": {**worked, "rn": 1.5}}
    assert role_result(score(same_day), "case-manager").summary.endswith("CMGT-BC eligible on 2027-05-29")


def test_a_date_s_assumption_names_the_job_its_hours_and_its_details() -> None:
    ccm = credential_result(score({**NURSE_CASE_MANAGER, "experience": {"rn": 1.5}}), "ccm")
    assert ccm.assumes == (
        "if you keep your current job (case management as an RN) at 40 hours a week,"
        " supervised by a board-certified case manager (CCM)"
    )
    # A detail of another kind of job is not said: a care manager's job has no CCM supervisor.
    care = {"experience": {"supervised_care_management": 1}, "education": {"level": "master", "field": "gerontology"},
            "employment": {**CARE_MANAGEMENT_JOB, "supervised_by_ccm": True}}  # fmt: skip
    assert (
        credential_result(score(care), "cmc").assumes
        == "if you keep your current job (care management) at 35 hours a week"
    )


def test_equal_fits_and_entries_rank_by_the_soonest_date_then_the_most_progress() -> None:
    # Both entries met and no credential eligible: the case manager's CCM is 6 months away,
    # the care manager's CMC 12 (a master's in gerontology, a year of care management).
    base = {"licenses": ["rn"], "education": {"level": "master", "field": "gerontology"}, "skills": {"empathy": 5}}
    soon_case = {**base, "experience": {"case_management": 1.5, "supervised_care_management": 1},
                 "employment": {"current": "rn-case-management", "hours_per_week": 40}}  # fmt: skip
    assert score(soon_case).ranking == ("case-manager", "care-manager")
    soon_care = {**base, "experience": {"case_management": 0.5, "supervised_care_management": 1.5},
                 "employment": CARE_MANAGEMENT_JOB}  # fmt: skip
    assert score(soon_care).ranking == ("care-manager", "case-manager")


def test_next_steps_put_an_eligible_credential_first_and_stop_at_three() -> None:
    from caremgr_cli.engine.steps import next_steps

    steps = next_steps(score(NURSE_CASE_MANAGER))
    assert steps[:2] == [
        "CCM: eligible now; you can apply",
        "CMGT-BC: needs 6 more months of practice as a registered nurse (has 18 of 24); eligible on 2027-05-29"
        " if you keep your current job (case management as an RN) at 40 hours a week,"
        " supervised by a board-certified case manager (CCM)",
    ]
    assert len(steps) == 3
    assert len(next_steps(score(NURSE_CASE_MANAGER), 5)) == 3  # three credentials: three steps at most
