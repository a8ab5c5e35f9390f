"""A maintainer changes roles.yaml alone: a third role, a new license, skill and field of study,
a changed number. Every command must follow, with no Python change."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Invoke

ROOT = Path(__file__).resolve().parents[1]
AS_OF = ["--as-of", "2026-11-28"]

NAVIGATOR: dict[str, Any] = {
    "id": "patient-navigator",
    "title": "Patient navigator",
    "aliases": ["navigator", "pn"],
    "summary": {"text": "Guides patients through the health system.", "sources": ["seed"]},
    "care_style": {"value": "direct", "text": "One-on-one with patients.", "sources": ["seed"]},
    "work_setting": {"value": "facility", "text": "In a clinic.", "sources": ["seed"]},
    "duties": [{"text": "Explain the next step of care", "sources": ["seed"]}],
    "settings": {"ids": ["community-clinic"], "sources": ["seed"]},
    "license": {"text": "A counselling license.", "sources": ["seed"]},
    "experience": {"text": "None needed to start.", "sources": ["seed"]},
    "entry": [
        {
            "id": "counsellor",
            "name": "the counsellor route",
            "label": "an LMHC license and a degree in art therapy",
            "all_of": [
                {"license": {"any_of": ["lmhc"]}},
                {"education": {"min_level": "associate", "field_group": "art"}},
            ],
            "sources": ["seed"],
            "preferences": [
                {
                    "id": "master",
                    "label": "a master's degree",
                    "sources": ["seed"],
                    "all_of": [{"education": {"min_level": "master"}}],
                },
            ],
        }
    ],
    "credentials": ["ccm"],  # shared with the case manager
    "skills": {"ids": ["communication", "empathy", "wayfinding"], "sources": ["seed"]},
    "fit": [
        {"id": "care-style", "preference": "care_style", "points": 20, "label": "Care style", "sources": ["seed"]},
        {"id": "skill", "skills": "role", "points": 5, "label": "Navigator skill", "sources": ["seed"]},
    ],
}


def catalog_with_third_role() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "data" / "roles.yaml").read_text())
    data["licenses"].append({
        "id": "lmhc", "label": "licensed mental health counselor (LMHC)", "abbreviation": "LMHC",
        "independent_assessment": True, "sources": ["seed"],
    })  # fmt: skip
    data["fields"].insert(0, {"id": "art-therapy", "label": "art therapy"})
    data["field_groups"].append({"id": "art", "label": "art therapy", "fields": ["art-therapy"]})
    data["settings"].append({"id": "community-clinic", "label": "community clinics", "kind": "facility"})
    data["skills"].append({"id": "wayfinding", "label": "finding the way through the health system"})
    data["roles"].append(NAVIGATOR)
    return data


@pytest.fixture
def third_role(tmp_path: Path) -> Path:
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(catalog_with_third_role(), sort_keys=False))
    return path


NAVIGATOR_ANSWERS = {
    "id": "nia",
    "education": {"level": "associate", "field": "art-therapy"},
    "licenses": ["lmhc"],
    "preferences": {"care_style": "direct"},
    "skills": {"communication": 5, "empathy": 5},
}


def run(invoke: Invoke, roles: Path, args: list[str], input: str | None = None, width: int = 80) -> str:
    result = invoke(["--roles", str(roles), *args], input=input, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_a_third_role_license_and_field_work_in_every_command(invoke: Invoke, third_role: Path) -> None:
    assert run(invoke, third_role, ["validate"]).startswith(f"ok: {third_role}: 3 roles")
    assert "patient-navigator   Patient navigator   navigator, pn" in run(invoke, third_role, ["roles"])
    listed = json.loads(run(invoke, third_role, ["roles", "--json"]))
    assert [role["id"] for role in listed["roles"]] == ["case-manager", "care-manager", "patient-navigator"]

    shown = run(invoke, third_role, ["show", "pn"])
    assert "Patient navigator (patient-navigator)" in shown
    assert "a licensed mental health counselor (LMHC) license" in shown
    assert "at least an associate degree in art therapy" in shown
    assert "The counsellor route: an LMHC license" in shown
    assert "a master's degree [1]" in shown  # its employer preference, citing the seed
    assert "Pay" not in shown.splitlines()  # no pay figures: no empty heading
    document = json.loads(run(invoke, third_role, ["show", "navigator", "--json"]))["role"]
    assert document["settings"]["labels"] == ["community clinics"]

    table = run(invoke, third_role, ["compare"])
    assert "Patient navigator" in table
    assert "Both roles" not in table
    assert [r["id"] for r in json.loads(run(invoke, third_role, ["compare", "pn", "case", "--json"]))["roles"]] == [
        "patient-navigator",
        "case-manager",
    ]

    schema = json.loads(run(invoke, third_role, ["schema", "answers"]))
    assert "lmhc" in schema["properties"]["licenses"]["items"]["enum"]
    assert "art-therapy" in schema["$defs"]["EducationAnswers"]["properties"]["field"]["enum"]
    assert "lmhc = licensed mental health counselor (LMHC)" in schema["properties"]["licenses"]["description"]
    assert "wayfinding" in schema["properties"]["skills"]["propertyNames"]["enum"]
    assert schema["properties"]["skills"]["properties"]["wayfinding"]["description"] == (
        "Finding the way through the health system."
    )

    result = json.loads(
        run(invoke, third_role, ["quiz", "--answers", "-", "--json", *AS_OF], json.dumps(NAVIGATOR_ANSWERS))
    )
    assert result["ranking"][0] == "patient-navigator"
    navigator = next(role for role in result["roles"] if role["id"] == "patient-navigator")
    assert (navigator["entry"]["met"], navigator["entry"]["route"], navigator["fit"]) == (True, "counsellor", 100)
    assert navigator["entry"]["preferences"][0]["met"] is False
    ccm = navigator["credentials"][0]
    assert ccm["id"] == "ccm"
    text = run(invoke, third_role, ["quiz", "--answers", "-", *AS_OF], json.dumps(NAVIGATOR_ANSWERS))
    assert "Patient navigator: fit 100/100" in text

    lines = run(invoke, third_role, ["score", *AS_OF], json.dumps(NAVIGATOR_ANSWERS) + "\n")
    assert json.loads(lines)["ranking"][0] == "patient-navigator"
    header = run(invoke, third_role, ["score", "--output-format", "csv", *AS_OF], "").splitlines()[0].split(",")
    assert len(header) == len(set(header))  # a credential two roles share has one pair of columns
    rows = list(csv.DictReader(io.StringIO(run(invoke, third_role, ["score", "--output-format", "csv", *AS_OF],
                                               json.dumps(NAVIGATOR_ANSWERS) + "\n"))))  # fmt: skip
    assert (rows[0]["best_fit"], rows[0]["patient-navigator.fit"], rows[0]["patient-navigator.entry_met"]) == (
        "patient-navigator",
        "100",
        "true",
    )
    # The new license also meets CCMC's license option, as one that allows independent assessment.
    ccm = json.loads(lines)["roles"][0]["credentials"][0]
    assert "license" not in " ".join(gap["message"] for gap in ccm["gaps"])


def test_the_new_license_is_a_choice_of_the_licenses_question(third_role: Path) -> None:
    from caremgr_cli.answers.model import answers_model
    from caremgr_cli.answers.questionnaire import choices
    from caremgr_cli.catalog.load import load_catalog

    catalog = load_catalog(third_role)
    question = next(q for q in catalog.questions if q.answer == "licenses")
    assert "lmhc" in [choice.id for choice in choices(catalog, question)]
    assert answers_model(catalog).model_validate({"licenses": ["lmhc"]}).licenses == ("lmhc",)


def ccm_supervised_changed(text: str, *, label_too: bool) -> str:
    """CCM's supervised route from 12 to 18 months; its label too, or left saying 12."""
    old = "- experience: {of: case_management_ccm_supervised, months: 12}"
    assert text.count(old) == 1
    text = text.replace(old, old.replace("12", "18"))
    if label_too:
        label = "label: 12 months of full-time case management supervised by a CCM"
        assert text.count(label) == 1
        text = text.replace(label, label.replace("12", "18"))
    return text


def test_a_changed_number_left_standing_in_a_label_fails_validation(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(ccm_supervised_changed((ROOT / "data" / "roles.yaml").read_text(), label_too=False))
    result = invoke(["validate", str(path)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(path))}:\d+: credentials\[0\]\.routes\[0\]\.label: states 12, a number its rules do not"
        r" contain \(they give: 1\.5, 18\)",
        line,
    ), line


def test_a_changed_number_reaches_every_output(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(ccm_supervised_changed((ROOT / "data" / "roles.yaml").read_text(), label_too=True))
    assert run(invoke, path, ["validate"]).startswith("ok:")
    old = "12 months of full-time case management supervised"
    new = "18 months of full-time case management supervised"
    out = run(invoke, path, ["show", "case"], width=400)  # wide enough that no sentence wraps
    assert new in out
    assert old not in out
    assert old not in run(invoke, path, ["compare", "case", "care"], width=400)  # routes are show's alone
    document = json.loads(run(invoke, path, ["show", "case", "--json"]))["role"]
    ccm = next(c for c in document["credentials"] if c["id"] == "ccm")
    assert ccm["routes"][0]["all_of"][1]["experience"]["months"] == 18
    person = {"licenses": ["rn"], "experience": {"case_management": 1, "case_management_ccm_supervised": 1}}
    result = json.loads(run(invoke, path, ["quiz", "--answers", "-", "--json", *AS_OF], json.dumps(person)))
    ccm_result = next(c for role in result["roles"] for c in role["credentials"] if c["id"] == "ccm")
    assert ccm_result["route_label"] == "18 months of full-time case management supervised by a CCM"
    assert [gap["message"] for gap in ccm_result["gaps"]] == [
        "needs 6 more months of full-time case management supervised by a board-certified case manager (CCM)"
        " (has 12 of 18)"
    ]
    assert ccm_result["eligible_on"] is None  # no current job to count on


@pytest.mark.parametrize(
    ("old", "new", "where", "stated"),
    [
        ("      hours_per_week: 35", "      hours_per_week: 30", "credentials[2].full_time.note", 35),
        ("      ce_hours: 80", "      ce_hours: 90", "credentials[0].renewal.text", 80),
        ("          - ce_hours: {of: case_management_last_3_years, hours: 30,",
         "          - ce_hours: {of: case_management_last_3_years, hours: 40,", "credentials[1].summary", 30),
    ],
)  # fmt: skip
def test_every_text_that_states_a_rule_follows_it(
    invoke: Invoke, tmp_path: Path, old: str, new: str, where: str, stated: int
) -> None:
    text = (ROOT / "data" / "roles.yaml").read_text()
    assert text.count(old) == 1
    path = tmp_path / "roles.yaml"
    path.write_text(text.replace(old, new))
    result = invoke(["validate", str(path)])
    assert result.exit_code == 1
    assert f": {where}: states {stated}, a number its rules do not contain" in result.stderr


def test_what_every_route_of_a_credential_needs_is_stated_once(invoke: Invoke, tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load((ROOT / "data" / "roles.yaml").read_text())
    cmgt = next(credential for credential in data["credentials"] if credential["id"] == "cmgt-bc")
    cmgt["routes"].append({
        "id": "long-practice", "label": "an RN license and 5 years as an RN", "sources": ["nursecom-cmgt"],
        "all_of": [{"license": {"any_of": ["rn"]}}, {"experience": {"of": "rn", "months": 60}}],
    })  # fmt: skip
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    lines = [line.rstrip() for line in run(invoke, path, ["show", "case"], width=400).splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith("  CMGT-BC: "))
    end = next(n for n in range(start, len(lines)) if lines[n].startswith("  Renewal: "))
    assert lines[start + 4 : end] == [
        "  All routes need:",
        "    - a registered nurse (RN) license",
        "  Routes, any one of:",
        "  • RN license, 2 years full-time as an RN, 2,000 hours of nursing case management and 30 CE hours in it"
        " within 3 years [11,12]",
        "    - 24 months of practice as a registered nurse",
        "    - 2,000 hours of nursing case management (case management as an RN) within the last 3 years",
        "    - 30 hours of continuing education in nursing case management within the last 3 years",
        "  • an RN license and 5 years as an RN [12]",
        "    - 60 months of practice as a registered nurse",
    ]
