"""`caremgr summary`: counts checked against the JSON Lines of a real `score` run, computed here
on their own; the text at a fixed width; exports; and every kind of bad input."""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caremgr_cli.cohort import Line, Tally, gap_label
from conftest import DATA, Invoke, check_golden

AS_OF = "2026-01-15"
LEVELS = ["none", "high-school", "rn-diploma", "associate", "bachelor", "master", "doctorate"]
FIELDS = ["nursing", "social-work", "counseling", "psychology", "gerontology", "unrelated", "none"]
JOBS = ["none", "nursing", "rn-case-management", "case-management", "care-management", "other"]
SKILLS = ["clinical", "empathy", "networking", "bedside-manner", "communication"]
KINDS = ["rn", "case_management", "case_management_ccm_supervised", "supervised_care_management"]


def person(rng: random.Random, number: int) -> dict[str, Any]:
    return {
        "id": f"p{number}",
        "education": {"level": rng.choice(LEVELS), "field": rng.choice(FIELDS), "field_experience": rng.random() < 0.5},
        "licenses": [name for name in ("rn", "lcsw", "lpn") if rng.random() < 0.3],
        "certifications": rng.choice([[], [], ["crc"]]),
        "experience": {kind: rng.choice([0, 0.5, 1, 1.8, 2.5, 4]) for kind in KINDS},
        "ce_hours": {"case_management_last_3_years": rng.randint(0, 40)},
        "employment": {
            "current": rng.choice(JOBS),
            "hours_per_week": rng.choice([0, 20, 40]),
            "supervised_by_ccm": rng.random() < 0.3,
        },
        "preferences": {"care_style": rng.choice(["indirect", "direct", "no-preference"])},
        "skills": {skill: rng.randint(1, 5) for skill in rng.sample(SKILLS, rng.randint(0, 3))},
    }


def score(invoke: Invoke, records: list[dict[str, Any]], folder: Path, bad: int = 0) -> str:
    """Real `score` output for the records, with `bad` records it cannot score at the end."""
    lines = [json.dumps(record) for record in records] + ['{"id": "x", "skills": {"nope": 3}}'] * bad
    answers = folder / "answers.jsonl"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(["score", str(answers), "--as-of", AS_OF])
    assert result.exit_code == (1 if bad else 0), result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About a hundred and fifty scored people and two records with errors, as `score` wrote them."""
    from typer.testing import CliRunner

    from caremgr_cli.cli.app import app

    def run(args: list[str], input: str | None = None, env: dict[str, str] | None = None) -> Any:
        return CliRunner().invoke(app, args, input=input, env={"COLUMNS": "80", "NO_COLOR": "1", **(env or {})})

    folder = tmp_path_factory.mktemp("cohort")
    rng = random.Random(12)  # noqa: S311 - seeded test data
    path = folder / "results.jsonl"
    path.write_text(score(run, [person(rng, n) for n in range(150)], folder, bad=2), encoding="utf-8")
    return path


def months_after(day: date, later: date) -> tuple[int, int]:
    return (later.year - day.year) * 12 + later.month - day.month, later.day - day.day


def within(day: date, later: date | None, months: int) -> bool:
    if later is None:
        return False
    whole, days = months_after(day, later)
    return whole < months or (whole == months and days <= 0)


def expected_counts(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary's counts, worked out here from the JSON Lines without the command's code."""
    results = [line for line in lines if "errors" not in line]
    best = Counter(line["ranking"][0] for line in results)
    fit: dict[str, Counter[str]] = {}
    entry: dict[str, Counter[tuple[str, bool]]] = {}
    credentials: dict[str, Counter[str]] = {}
    gaps: Counter[str] = Counter()
    for line in results:
        as_of = date.fromisoformat(line["as_of"])
        seen: dict[str, dict[str, Any]] = {}
        person_gaps: set[str] = set()
        for role in line["roles"]:
            bucket = (
                "none"
                if role["fit"] is None
                else ("90-100" if role["fit"] >= 90 else f"{role['fit'] // 10 * 10}-{role['fit'] // 10 * 10 + 9}")
            )
            fit.setdefault(role["id"], Counter())[bucket] += 1
            entry.setdefault(role["id"], Counter())[(role["entry"]["route"], role["entry"]["met"])] += 1
            person_gaps |= {f"entry:{role['id']}:{gap['kind']}" for gap in role["entry"]["gaps"]}
            for credential in role["credentials"]:
                seen.setdefault(credential["id"], credential)
        for credential_id, credential in seen.items():
            counts = credentials.setdefault(credential_id, Counter())
            day = (
                as_of
                if credential["eligible"]
                else (credential["eligible_on"] and date.fromisoformat(credential["eligible_on"]))
            )
            counts["people"] += 1
            counts["eligible_now"] += credential["eligible"]
            counts["within_6_months"] += within(as_of, day or None, 6)
            counts["within_12_months"] += within(as_of, day or None, 12)
            counts["undated"] += not day
            person_gaps |= {f"credential:{credential_id}:{gap['kind']}" for gap in credential["gaps"]}
        gaps.update(person_gaps)
    return {
        "results": len(results),
        "error_records": len(lines) - len(results),
        "best_fit": dict(best),
        "fit": {role_id: dict(counts) for role_id, counts in fit.items()},
        "entry": {role_id: dict(counts) for role_id, counts in entry.items()},
        "credentials": {credential_id: dict(counts) for credential_id, counts in credentials.items()},
        "top_gaps": sorted(gaps.items(), key=lambda item: (-item[1], item[0]))[:10],
    }


def test_counts_equal_those_worked_out_from_the_results(invoke: Invoke, cohort: Path) -> None:
    lines = [json.loads(line) for line in cohort.read_text(encoding="utf-8").splitlines()]
    expected = expected_counts(lines)
    result = invoke(["summary", str(cohort), "--json"])
    assert (result.exit_code, result.stderr) == (0, "")
    summary = json.loads(result.stdout)
    assert summary["schema_version"] == 2
    assert (summary["results"], summary["error_records"], summary["bad_lines"]) == (
        expected["results"], expected["error_records"], 0
    )  # fmt: skip
    assert summary["results"] > 100
    assert summary["error_records"] == 2
    for role_id, role in summary["roles"].items():
        assert role["best_fit"] == expected["best_fit"].get(role_id, 0)
        assert {b: n for b, n in role["fit"].items() if n} == expected["fit"][role_id]
        routes = role["entry"]["routes"]
        got = {(r, True): routes[r]["met"] for r in routes} | {(r, False): routes[r]["nearest"] for r in routes}
        assert {key: n for key, n in got.items() if n} == expected["entry"][role_id]
        assert role["entry"]["met"] + role["entry"]["not_met"] == role["people"] == expected["results"]
    assert set(summary["roles"]) == set(expected["fit"])
    for credential_id, counts in summary["credentials"].items():
        want = expected["credentials"][credential_id]
        for key in ("people", "eligible_now", "within_6_months", "within_12_months", "undated"):
            assert counts[key] == want.get(key, 0), (credential_id, key)
    assert set(summary["credentials"]) == set(expected["credentials"])
    assert [(gap["key"], gap["count"]) for gap in summary["top_gaps"]] == expected["top_gaps"]


def test_the_json_is_the_same_every_time_and_its_keys_are_sorted(invoke: Invoke, cohort: Path) -> None:
    first, second = (invoke(["summary", str(cohort), "--json"]).stdout for _ in range(2))
    assert first == second
    assert json.loads(first) == json.loads(json.dumps(json.loads(first), sort_keys=True))
    assert list(json.loads(first)) == sorted(json.loads(first))


def test_gap_groups_are_labelled_without_the_persons_numbers(invoke: Invoke, cohort: Path) -> None:
    summary = json.loads(invoke(["summary", str(cohort), "--json"]).stdout)
    labels = {gap["key"]: gap["label"] for gap in summary["top_gaps"]}
    for label in labels.values():
        assert "(has" not in label
        assert not label.startswith(("needs", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
    assert labels.get("credential:cmgt-bc:license") == "a registered nurse (RN) license"


CASES = [
    {"id": "ana", "licenses": ["rn"], "experience": {"rn": 3}, "skills": {"clinical": 5}},
    {"id": "ben", "education": {"level": "bachelor", "field": "social-work"}},
    {"id": "cy", "education": {"level": "master", "field": "gerontology"},
     "experience": {"supervised_care_management": 1.5},
     "employment": {"current": "care-management", "hours_per_week": 40}, "preferences": {"care_style": "direct"}},
    {"id": "dee", "experience": {"case_management": 1.5},
     "employment": {"current": "case-management", "hours_per_week": 40},
     "licenses": ["lcsw"], "preferences": {"care_style": "indirect"}, "skills": {"networking": 4}},
]  # fmt: skip


def test_text_at_80_columns(invoke: Invoke, tmp_path: Path, update_golden: bool) -> None:
    results = score(invoke, CASES, tmp_path, bad=1)
    result = invoke(["summary", "-"], input=results)
    assert (result.exit_code, result.stderr) == (0, "")
    check_golden(DATA / "golden" / "summary-80.txt", result.stdout, update_golden)
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("suffix", [".html", ".svg", ".txt"])
def test_export(invoke: Invoke, cohort: Path, tmp_path: Path, suffix: str) -> None:
    summary = json.loads(invoke(["summary", str(cohort), "--json"]).stdout)
    target = tmp_path / f"cohort{suffix}"
    result = invoke(["summary", str(cohort), "--export", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"summary saved to {target}\n"
    content = target.read_text(encoding="utf-8").replace("&#160;", " ")  # SVG's spaces
    assert "Cohort summary" in content
    for count in [summary["results"], *(c["eligible_now"] for c in summary["credentials"].values())]:
        assert f"{count:,}" in content
    assert summary["top_gaps"][0]["label"].split()[0] in content
    assert target.stat().st_mode & 0o777 == 0o600


def test_export_keeps_markup_and_html_from_the_data_as_text(invoke: Invoke, tmp_path: Path) -> None:
    results = score(invoke, CASES[:1], tmp_path).replace('"Case manager"', '"<script>x</script> [bold]Case"')
    (tmp_path / "results.jsonl").write_text(results, encoding="utf-8")
    target = tmp_path / "out.html"
    result = invoke(["summary", str(tmp_path / "results.jsonl"), "--export", str(target)])
    assert result.exit_code == 0, result.stderr
    assert "<script>" not in target.read_text(encoding="utf-8")
    assert "[bold]Case" in result.stdout


def test_export_refuses_a_fifo_and_a_folder(invoke: Invoke, cohort: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)
    result = invoke(["summary", str(cohort), "--export", str(fifo)])
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, f"{fifo}: is not a regular file (a FIFO)")
    folder = tmp_path / "folder.html"
    folder.mkdir()
    result = invoke(["summary", str(cohort), "--export", str(folder)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"{folder}: is a folder, not a file\n")


def test_an_unknown_export_kind_is_a_usage_error_before_any_reading(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(["summary", str(tmp_path / "missing.jsonl"), "--export", "out.pdf"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "caremgr: --export needs a file name ending in .html, .svg or .txt, not 'out.pdf'\n"


def test_bad_lines_are_reported_and_the_rest_is_counted(invoke: Invoke, cohort: Path, tmp_path: Path) -> None:
    good = cohort.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "mixed.jsonl"
    with path.open("wb") as handle:
        handle.write(good[0].encode())
        handle.write(b"not json\n")
        handle.write(b'{"caf\xe9": 1}\n')
        handle.write(b"\n")
        handle.write(b'{"schema_version": 1, "as_of": "2026-01-15"}\n')
        handle.write(b'{"schema_version": 2, "as_of": "2026-01-15", "ranking": [], "roles": 3}\n')
        handle.write(b'{"x": "' + b"a" * 1_000_001 + b'"}\n')
        handle.write(good[-1].encode())  # a record with errors
    result = invoke(["summary", str(path), "--json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:2: not a JSON document: Expecting value (column 1)",
        f"{path}:3: is not UTF-8 text (bad byte at column 6)",
        f"{path}:5: schema_version is 1, not 2: score the answers again with this caremgr",
        f"{path}:6: roles: expected a list",
        f"{path}:7: line is longer than the limit of 1,000,000 bytes",
        "caremgr: 5 of 7 lines could not be read; the summary counts the others",
    ]
    summary = json.loads(result.stdout)
    assert (summary["lines"], summary["results"], summary["error_records"], summary["bad_lines"]) == (7, 1, 1, 5)


def test_records_with_errors_are_counted_and_are_not_a_problem(invoke: Invoke, cohort: Path) -> None:
    result = invoke(["summary", str(cohort)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert "2 records had errors and were not scored" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("folder", "is a folder, not a file"),
        (b"", "is empty: there are no results to summarise"),
        (b"\n  \n", "is empty: there are no results to summarise"),
    ],
)
def test_input_that_cannot_be_summarised(
    invoke: Invoke, tmp_path: Path, content: bytes | str | None, message: str
) -> None:
    path = tmp_path / "results.jsonl"
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = invoke(["summary", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"{path}: {message}\n")


def test_a_file_of_bad_lines_only_still_says_what_it_counted(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_bytes(b"\xff\xfe\n")
    result = invoke(["summary", str(path)])
    assert result.exit_code == 1
    assert "0 results" in result.stdout
    assert result.stderr.splitlines()[0] == f"{path}:1: is not UTF-8 text (bad byte at column 1)"


def test_stdin_and_a_file_give_the_same_counts(invoke: Invoke, cohort: Path) -> None:
    from_file = json.loads(invoke(["summary", str(cohort), "--json"]).stdout)
    from_stdin = json.loads(invoke(["summary", "-", "--json"], input=cohort.read_text(encoding="utf-8")).stdout)
    assert from_stdin == {**from_file, "source": "<stdin>"}


def test_gap_label_rule() -> None:
    assert gap_label("needs 7 more months of full-time case management (has 5 of 12)") == (
        "months of full-time case management"
    )
    assert gap_label("needs 1 more hour of continuing education within the last 3 years (has 29 of 30)") == (
        "hours of continuing education within the last 3 years"
    )
    assert gap_label("needs at least a bachelor's degree in social work (has a master's degree (MSW))") == (
        "at least a bachelor's degree in social work"
    )
    assert gap_label("needs one of: a (RN) license; or X (LPN: not accepted); closest: needs X (has Y)") == (
        "one of: a (RN) license; or X"
    )
    assert gap_label("needs a registered nurse (RN) license") == "a registered nurse (RN) license"


# --- properties -------------------------------------------------------------------------

ROLE_IDS = ["a", "b", "c"]


@st.composite
def result_documents(draw: st.DrawFn) -> dict[str, Any]:
    as_of = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
    roles = []
    for role_id in draw(st.permutations(ROLE_IDS)):
        credentials = []
        for credential_id in draw(st.lists(st.sampled_from(["x", "y", "z"]), max_size=3)):
            eligible = draw(st.booleans())
            day = as_of if eligible else draw(st.none() | st.dates(min_value=as_of, max_value=date(2200, 1, 1)))
            months = draw(st.integers(1, 40))
            gaps = (
                []
                if eligible
                else [
                    {"kind": "experience.rn", "message": f"needs {months} more months of RN work (has 0 of {months})"}
                ]
            )
            credentials.append({"id": credential_id, "abbreviation": credential_id.upper(), "name": credential_id,
                                "eligible": eligible, "eligible_on": day and day.isoformat(),
                                "gaps": gaps})  # fmt: skip
        met = draw(st.booleans())
        roles.append({
            "id": role_id, "title": role_id.upper(), "fit": draw(st.none() | st.integers(0, 100)),
            "entry": {"met": met, "route": draw(st.sampled_from(["r1", "r2"])), "route_name": "a route",
                      "gaps": [] if met else [{"kind": "license", "message": "needs a license"}]},
            "credentials": credentials,
        })  # fmt: skip
    return {"schema_version": 2, "as_of": as_of.isoformat(), "ranking": [r["id"] for r in roles], "roles": roles}


@settings(max_examples=60, deadline=None)
@given(st.lists(result_documents() | st.just({"schema_version": 2, "errors": ["bad"]}), max_size=12))
def test_counts_always_add_up(documents: list[dict[str, Any]]) -> None:
    tally = Tally()
    for number, document in enumerate(documents, start=1):
        assert tally.add_line(Line(number, document)) is None
    summary = tally.document("x")
    results = summary["results"]
    assert results + summary["error_records"] == len(documents)
    assert sum(role["best_fit"] for role in summary["roles"].values()) == results
    for role in summary["roles"].values():
        assert role["people"] == results
        assert sum(role["fit"].values()) == results
        routes = role["entry"]["routes"].values()
        assert sum(r["met"] for r in routes) == role["entry"]["met"]
        assert sum(r["nearest"] for r in routes) == role["entry"]["not_met"]
    for c in summary["credentials"].values():
        assert c["eligible_now"] <= c["within_6_months"] <= c["within_12_months"]
        assert c["within_12_months"] + c["later"] + c["undated"] == c["people"] <= results
    for gap in summary["top_gaps"]:
        assert gap["label"] in ("a license", "months of RN work")
        assert sum(gap["wordings"].values()) == gap["count"] <= results
    counts = [gap["count"] for gap in summary["top_gaps"]]
    assert counts == sorted(counts, reverse=True)


def test_score_s_csv_output_is_told_apart_from_its_json_lines(invoke: Invoke, tmp_path: Path) -> None:
    table = tmp_path / "results.csv"
    table.write_text("source,line,id\r\nx,1,a\r\n")
    result = invoke(["summary", str(table)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"{table}:1: is not JSON Lines: summary reads what `caremgr score` writes as JSON Lines"
        " (not its --output-format csv)\n"
    )


def test_an_export_into_a_missing_folder_is_refused_before_any_reading(
    invoke: Invoke, cohort: Path, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "cohort.html"
    result = invoke(["summary", str(cohort), "--export", str(target)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"{target}: cannot be saved: its folder does not exist\n"
