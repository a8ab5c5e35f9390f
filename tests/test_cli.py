from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from caremgr_cli import __version__
from caremgr_cli.catalog.load import load_catalog
from caremgr_cli.catalog.models import Labelled, PreferenceValue
from conftest import DATA, Invoke, check_golden

GOLDEN = DATA / "golden"
VALID_ROLES = (
    "valid roles: case-manager (case, nurse-case-manager, ncm); "
    "care-manager (care, geriatric-care-manager, gcm, aging-life-care-manager)"
)


def test_version(invoke: Invoke) -> None:
    result = invoke(["--version"])
    assert (result.exit_code, result.stdout) == (0, f"caremgr {__version__}\n")


def test_roles_lists_ids_titles_aliases(invoke: Invoke) -> None:
    result = invoke(["roles"])
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0].split() == ["id", "title", "aliases"]
    assert lines[2].split(None, 3) == ["case-manager", "Case", "manager", "case, nurse-case-manager, ncm"]
    assert "aging-life-care-manager" in result.stdout


@pytest.mark.parametrize("width", [80, 120, 60])
def test_compare_exact_output(invoke: Invoke, update_golden: bool, width: int) -> None:
    result = invoke(["compare", "case", "care"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    check_golden(GOLDEN / f"compare-case-care-{width}.txt", result.stdout, update_golden)
    assert overlong(result.stdout, width) == []
    assert "…" not in result.stdout  # nothing cut off silently


def overlong(text: str, width: int) -> list[str]:
    """Lines wider than the screen, but for an address: it is never split, so it may pass the edge."""
    return [line for line in text.splitlines() if len(line) > width and not line.startswith(("http://", "https://"))]


def test_compare_keeps_the_order_asked_and_defaults_to_all(invoke: Invoke) -> None:
    asked = json.loads(invoke(["compare", "GCM", "ncm", "--json"]).stdout)
    assert [role["id"] for role in asked["roles"]] == ["care-manager", "case-manager"]
    every = json.loads(invoke(["compare", "--json"]).stdout)
    assert [role["id"] for role in every["roles"]] == ["case-manager", "care-manager"]


def test_compare_fits_two_screens_at_80_columns(invoke: Invoke) -> None:
    out = invoke(["compare", "case", "care"], env={"COLUMNS": "80"}).stdout
    assert len(out.splitlines()) <= 80
    assert overlong(out, 80) == []


def test_compare_states_each_rule_once_and_leaves_the_details_to_show(invoke: Invoke) -> None:
    out = invoke(["compare", "case", "care"], env={"COLUMNS": "400"}).stdout  # no sentence wraps
    catalog = load_catalog()
    for credential in catalog.credentials:
        assert out.count(credential.summary) == 1
        for route in credential.routes:  # a single route's label restated the summary (CMGT-BC's)
            assert route.label not in out
    shared_skills = catalog.shared_skills
    assert shared_skills is not None
    skills = ", ".join(catalog.label("skills", skill) for skill in shared_skills.skills)
    assert out.count(skills) == 1  # both roles need them: said once, across the columns
    assert out.count("$67,430 a year") == 1  # a figure both roles cite
    # The article's errors are counted, with where to read them; not restated here.
    assert "Where the seed article [1] is wrong" in out
    for role in catalog.roles:
        assert f"{len(role.corrections)} points: caremgr show {role.id}" in out
    assert all(correction.seed_says not in out for correction in catalog.corrections)
    assert "https://www.naccm.net/about-certification/eligibility/" in out  # the sources stay


def test_compare_topics_in_order(invoke: Invoke) -> None:
    lines = invoke(["compare", "care", "case"]).stdout.splitlines()
    topics = ["Care style and work setting", "Entry, any one of", "Credentials", "Pay", "Skills"]
    topics += ["Where the seed article [1] is wrong", "Sources"]
    assert [line.rstrip(" ─") for line in lines if line.endswith("──")] == topics
    assert lines[0].index("Care manager") < lines[0].index("Case manager")


def test_compare_json_carries_credentials_and_cited_sources(invoke: Invoke) -> None:
    result = invoke(["compare", "case", "care", "--json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema_version"] == 2
    case, care = document["roles"]
    assert [c["id"] for c in case["credentials"]] == ["ccm", "cmgt-bc"]
    assert [c["id"] for c in care["credentials"]] == ["cmc"]
    for role in (case, care):
        source_ids = {s["id"] for s in role["sources"]}
        text = json.dumps({k: v for k, v in role.items() if k != "sources"})
        cited = {s for s in source_ids if f'"{s}"' in text}
        assert cited == source_ids  # only what is cited, and every one of them
        for source in role["sources"]:
            assert set(source) >= {"number", "title", "url", "as_of"}
        # One numbering for the whole catalog: a source's number is its place in `sources`.
        numbers = {source.id: n for n, source in enumerate(load_catalog().sources, start=1)}
        assert [(s["id"], s["number"]) for s in role["sources"]] == [
            (s["id"], numbers[s["id"]]) for s in role["sources"]
        ]
    assert "naccm-eligibility" in {s["id"] for s in care["sources"]}


def test_show_json(invoke: Invoke) -> None:
    result = invoke(["show", "Nurse-Case-Manager", "--json"])
    assert result.exit_code == 0
    role = json.loads(result.stdout)["role"]
    assert role["id"] == "case-manager"
    ccm = role["credentials"][0]
    assert [route["id"] for route in ccm["routes"]] == ["ccm-supervised", "any-supervisor", "as-supervisor"]
    assert {c["id"] for c in role["corrections"]} >= {"cmcc-typo", "rn-bc-renamed"}


def test_show_text_has_sections_corrections_and_sources(invoke: Invoke) -> None:
    result = invoke(["show", "care"])
    assert result.exit_code == 0
    out = result.stdout
    for heading in (
        "Summary",
        "Entry routes, any one of",
        "Credentials (all voluntary)",
        "Where the seed article is wrong",
        "Sources",
    ):
        assert f"\n{heading}\n" in out
    assert "24 months of paid, full-time, supervised care management within the last" in out
    assert "https://www.naccm.net/about-certification/eligibility/" in out


def test_show_states_each_condition_once_per_credential(invoke: Invoke) -> None:
    from caremgr_cli.engine.text import describe_condition

    catalog = load_catalog()
    ccm = catalog.credential("ccm")
    license_or_degree = describe_condition(catalog, ccm.routes[0].all_of[0])
    assert all(route.all_of[0] == ccm.routes[0].all_of[0] for route in ccm.routes)  # what this test is about
    lines = [line.rstrip() for line in invoke(["show", "case"], env={"COLUMNS": "400"}).stdout.splitlines()]
    assert [line.strip() for line in lines].count(f"- {license_or_degree}") == 1
    start = lines.index("  All routes need:")
    assert lines[start + 1 : start + 3] == [f"    - {license_or_degree}", "  Routes, any one of:"]
    assert lines[start + 3 : start + 5] == [
        "  • 12 months of full-time case management supervised by a CCM [6]",
        "    - 12 months of full-time case management supervised by a board-certified case manager (CCM)",
    ]
    # A credential of one route: its summary in words, then its conditions once (no label too).
    cmgt = catalog.credential("cmgt-bc")
    needs = lines.index("  Needs [11,12]:")
    assert lines[needs - 2] == f"  {cmgt.summary}"  # then what full-time means
    assert lines[needs + 1] == "    - a registered nurse (RN) license"
    assert cmgt.routes[0].label not in "\n".join(lines)


def test_show_states_what_every_entry_route_shares_once(invoke: Invoke) -> None:
    out = "\n".join(line.rstrip() for line in invoke(["show", "care"], env={"COLUMNS": "400"}).stdout.splitlines())
    assert out.count("experience in a health or human services field [13]") == 1
    assert "  On every route, employers prefer (not a requirement):\n" in out
    assert "Employers prefer (not a requirement)" not in out  # no route has one of its own
    assert "  All routes need:\n    - working in care management now\n  Routes, any one of:\n" in out  # the CMC


def test_unknown_role_is_a_usage_error_with_suggestion(invoke: Invoke) -> None:
    result = invoke(["compare", "case", "carre"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["caremgr: unknown role 'carre'; did you mean 'care'?", VALID_ROLES]


def test_unknown_role_suggests_the_roles_whose_names_contain_it(invoke: Invoke) -> None:
    result = invoke(["show", "nurse"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "caremgr: unknown role 'nurse'; roles whose names contain it: case-manager (case, nurse-case-manager, ncm)",
        VALID_ROLES,
    ]
    # Any case; every role that matches; no "did you mean" pointing at a role already named.
    assert invoke(["compare", "case", "Manager"]).stderr.splitlines()[0] == (
        "caremgr: unknown role 'Manager'; roles whose names contain it: case-manager (case, nurse-case-manager, ncm);"
        " care-manager (care, geriatric-care-manager, gcm, aging-life-care-manager)"
    )
    # An empty name is in every name: it suggests nothing.
    assert invoke(["show", " "]).stderr.splitlines() == ["caremgr: unknown role ' '", VALID_ROLES]


def test_compare_shows_a_role_named_twice_once(invoke: Invoke) -> None:
    for names in (["case", "case"], ["case", "case-manager", "NCM"]):
        document = json.loads(invoke(["compare", *names, "--json"]).stdout)
        assert [role["id"] for role in document["roles"]] == ["case-manager"]
    assert invoke(["compare", "case", "case"]).stdout == invoke(["compare", "case"]).stdout
    twice = json.loads(invoke(["compare", "gcm", "case", "care", "--json"]).stdout)
    assert [role["id"] for role in twice["roles"]] == ["care-manager", "case-manager"]  # where first named


def test_roles_option_and_environment_variable(invoke: Invoke) -> None:
    minimal = str(DATA / "minimal.yaml")
    by_option = json.loads(invoke(["--roles", minimal, "roles", "--json"]).stdout)
    by_env = json.loads(invoke(["roles", "--json"], env={"CAREMGR_ROLES": minimal}).stdout)
    assert (
        by_option
        == by_env
        == {"schema_version": 2, "roles": [{"id": "alpha", "title": "Alpha manager", "aliases": ["a"]}]}
    )


def test_bad_roles_file_for_any_command(invoke: Invoke) -> None:
    bad = str(DATA / "bad" / "roles" / "unknown-key.yaml")
    for args in (["compare"], ["roles", "--json"], ["show", "alpha"]):
        result = invoke(["--roles", bad, *args])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert "unknown field 'titel'; did you mean 'title'?" in result.stderr


def test_validate_ok(invoke: Invoke) -> None:
    result = invoke(["validate", str(DATA / "minimal.yaml")])
    assert result.exit_code == 0
    assert result.stdout == f"ok: {DATA / 'minimal.yaml'}: 1 roles, 0 credentials, 1 sources, 0 corrections\n"
    packaged = json.loads(invoke(["validate", "--json"]).stdout)
    assert packaged["ok"] is True
    assert packaged["counts"] == {"roles": 2, "credentials": 3, "sources": 17, "corrections": 9}


def test_schema_roles_is_json_schema(invoke: Invoke) -> None:
    schema = json.loads(invoke(["schema", "roles"]).stdout)
    assert schema["title"] == "Catalog"
    assert "roles" in schema["required"]
    assert invoke(["schema", "nope"]).exit_code == 2


def test_schema_answers_describes_every_field_and_lists_every_value_from_the_catalog(invoke: Invoke) -> None:
    schema = json.loads(invoke(["schema", "answers"]).stdout)
    definitions = schema["$defs"]
    for properties in [schema["properties"], *(model["properties"] for model in definitions.values())]:
        for name, field in properties.items():
            target = definitions[field["$ref"].rsplit("/", 1)[1]] if "$ref" in field else field
            assert target["description"], name
    catalog = load_catalog()
    skills = schema["properties"]["skills"]
    assert skills["propertyNames"]["enum"] == [skill.id for skill in catalog.skills]
    assert {skill_id: field["description"] for skill_id, field in skills["properties"].items()} == {
        skill.id: skill.label[:1].upper() + skill.label[1:] + "." for skill in catalog.skills
    }
    assert {field["minimum"] for field in skills["properties"].values()} == {1}
    # Every value a choice allows, with its label, from the catalog's tables.
    top, education = schema["properties"], definitions["EducationAnswers"]["properties"]
    tables: list[tuple[dict[str, Any], Sequence[Labelled | PreferenceValue]]] = [
        ({**top["licenses"], **top["licenses"]["items"]}, catalog.licenses),  # a list: its items' enum
        ({**top["certifications"], **top["certifications"]["items"]}, catalog.certifications),
        (education["level"], catalog.education_levels),
        (education["field"], catalog.fields),
        (definitions["EmploymentAnswers"]["properties"]["current"], catalog.employment_kinds),
        *((definitions["PreferenceAnswers"]["properties"][item.id], item.values) for item in catalog.preferences),
    ]
    for field, table in tables:
        assert field["enum"] == [item.id for item in table]
        for item in table:
            assert f"{item.id} = {item.label}" in field["description"]


def test_text_from_data_is_literal(invoke: Invoke, tmp_path: Path) -> None:
    text = (DATA / "minimal.yaml").read_text()
    text = text.replace("text: An office.", 'text: "[bold red]Loud[/] \\e[31mred\\e[0m"')
    path = tmp_path / "markup.yaml"
    path.write_text(text)
    out = invoke(["--roles", str(path), "compare"]).stdout
    assert "[bold red]Loud[/]" in out
    assert "\x1b" not in out
    assert "\\x1b[31mred" in out
    control = tmp_path / "control.yaml"
    control.write_text(text.replace("\\e[31m", "\x1b[31m"))
    result = invoke(["--roles", str(control), "roles"])
    assert result.exit_code == 1
    assert "control character U+001B is not allowed" in result.stderr


def test_json_output_is_deterministic(invoke: Invoke) -> None:
    assert invoke(["compare", "--json"]).stdout == invoke(["compare", "--json"]).stdout


def test_role_names_complete() -> None:
    from caremgr_cli.cli.common import complete_role as _complete_role

    class Ctx:
        def find_root(self) -> Ctx:
            return self

        params: dict[str, object] = {"roles": None}  # noqa: RUF012

    names = _complete_role(Ctx(), "ca")  # type: ignore[arg-type]
    assert names == ["case-manager", "case", "care-manager", "care"]
    assert set(load_catalog().role_names) >= set(names)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("caremgr compare ca", "2", ["case-manager", "case", "care-manager", "care"]),
        ("caremgr compare case g", "3", ["geriatric-care-manager", "gcm"]),
        ("caremgr show n", "2", ["nurse-case-manager", "ncm"]),
        ("caremgr --roles " + str(DATA / "minimal.yaml") + " show a", "4", ["alpha", "a"]),
    ],
)
def test_shell_completes_role_names_through_typer(words: str, cword: str, expected: list[str]) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "_CAREMGR_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    env.pop("CAREMGR_ROLES", None)
    result = subprocess.run(
        [sys.executable, "-m", "caremgr_cli"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.split() == expected
