from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caremgr_cli.engine.score import score_answers
from caremgr_cli.output.json import result_document, result_line
from conftest import Invoke
from test_scoring import CATALOG, TODAY, Answers, answers_strategy

PEOPLE: list[dict[str, Any]] = [
    {"id": "ana", "education": {"level": "associate", "field": "nursing"}, "licenses": {"rn": True},
     "experience": {"rn": 3, "case_management": 1.5},
     "employment": {"current": "case-management", "hours_per_week": 30},
     "preferences": {"care_style": "indirect", "work_setting": "facility"}, "skills": {"clinical": 4, "empathy": 5}},
    {"id": "ben", "education": {"level": "bachelor", "field": "social-work"},
     "experience": {"supervised_care_management": 2, "direct_client_care": 1},
     "employment": {"current": "care-management", "hours_per_week": 35}, "preferences": {"care_style": "direct"}},
    {},
]  # fmt: skip
AS_OF = ["--as-of", "2026-11-28"]


def quiz_result(invoke: Invoke, person: dict[str, Any]) -> dict[str, Any]:
    result = invoke(["quiz", "--answers", "-", "--json", *AS_OF], input=json.dumps(person))
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_jsonl_results_equal_quiz_results_in_order(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "cohort.jsonl"
    path.write_text("".join(json.dumps(person) + "\n" for person in PEOPLE))
    result = invoke(["score", str(path), *AS_OF])
    assert (result.exit_code, result.stderr) == (0, "")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["source"], line["line"]) for line in lines] == [(str(path), 1), (str(path), 2), (str(path), 3)]
    for line, person in zip(lines, PEOPLE, strict=True):
        del line["source"], line["line"]
        assert line == quiz_result(invoke, person)


def test_bad_records_are_reported_counted_and_the_batch_goes_on(invoke: Invoke) -> None:
    records = [json.dumps(PEOPLE[0]), "", "not json", '{"id": "x", "id": "y"}', "[1]",
               json.dumps({"education": {"level": "phd"}}), json.dumps(PEOPLE[1])]  # fmt: skip
    result = invoke(["score", *AS_OF], input="\n".join(records) + "\n")
    assert result.exit_code == 1
    assert result.stderr == "caremgr: 4 of 6 records had problems (see their errors in the output)\n"
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["line"] for line in lines] == [1, 3, 4, 5, 6, 7]
    assert [line.get("errors") for line in lines] == [
        None,
        ["not a JSON document: Expecting value (column 1)"],
        ["not a JSON document: duplicate key 'id'"],
        ["must be a mapping of fields (a list)"],
        ["education.level: must be one of 'none', 'high-school', 'rn-diploma', 'associate', 'bachelor', 'master'"
         " or 'doctorate', not 'phd'"],
        None,
    ]  # fmt: skip
    assert all(line["schema_version"] == 2 and line["source"] == "<stdin>" for line in lines)


def test_csv_from_a_spreadsheet_with_bom_and_crlf(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    rows = [
        "id,education.level,education.field,licenses.rn,experience.rn,experience.case_management,"
        "employment.current,employment.hours_per_week,preferences.care_style,preferences.work_setting,"
        "skills.clinical,skills.empathy,certifications,licenses",
        "ana,associate,nursing,TRUE,3,1.5,case-management,30,indirect,facility,4,5,,",
        "007,bachelor,social-work,,,,,,,,,,crc;cdms,lmsw;lpn",
        "bad,phd,,,,,,,,,,,,",
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode() + b"\r\n")
    result = invoke(["score", str(path), *AS_OF])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["line"] for line in lines] == [2, 3, 4]
    first = {k: v for k, v in lines[0].items() if k not in ("source", "line")}
    assert first == quiz_result(invoke, PEOPLE[0])
    assert lines[1]["id"] == "007"  # ids stay text
    # A list column: licenses separated by ';', the LPN's caveat among the warnings.
    assert lines[1]["roles"][0]["entry"]["route"] == "social-work"
    assert any(warning.startswith("LPN: CCMC does not accept") for warning in lines[1]["warnings"])
    assert "errors" in lines[2]


def test_csv_output_round_trips(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "cohort.jsonl"
    bad = '{"skills": {"clinical": 9}}\n{"id": "cy", "skills": {"juggling": 3}}\n'
    path.write_text("".join(json.dumps(person) + "\n" for person in PEOPLE) + bad)
    result = invoke(["score", str(path), "--output-format", "csv", *AS_OF])
    assert result.exit_code == 1
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in table] == ["ana", "ben", "", "", "cy"]
    ana = quiz_result(invoke, PEOPLE[0])
    case = next(role for role in ana["roles"] if role["id"] == "case-manager")
    ccm = case["credentials"][0]
    assert table[0]["best_fit"] == ana["ranking"][0]
    assert table[0]["case-manager.fit"] == str(case["fit"])
    assert table[0]["ccm.eligible_on"] == ccm["eligible_on"]
    assert table[0]["ccm.eligible"] == "false"
    assert table[0]["ccm.progress"] == str(ccm["progress"])
    assert (table[0]["case-manager.entry_met"], table[0]["case-manager.entry_route"]) == ("true", "nursing")
    assert table[2]["case-manager.fit"] == ""  # nothing given: no fit
    # What an adviser acts on: each gap as a sentence, the nearest route, and a next step.
    assert table[0]["ccm.route"] == ccm["route"]
    assert table[0]["ccm.gaps"] == "; ".join(gap["message"] for gap in ccm["gaps"])
    assert table[0]["next_step"].startswith("CCM: needs 6 more months of full-time case management")
    assert table[1]["case-manager.entry_gaps"] == ""  # ben meets it
    assert table[2]["case-manager.entry_gaps"] == "needs a registered nurse (RN) license"
    assert table[0]["errors"] == ""
    assert table[3]["errors"] == "skills.clinical: must be at most 5, not 9"
    assert table[3]["best_fit"] == ""
    assert table[4]["errors"].startswith("skills.juggling: unknown skill 'juggling'")


def test_yaml_list_with_lines_and_several_files(invoke: Invoke, tmp_path: Path) -> None:
    listed = tmp_path / "people.yaml"
    listed.write_text("- id: one\n  licenses: {rn: true}\n- id: two\n")
    lines_file = tmp_path / "more.jsonl"
    lines_file.write_text('{"id": "three"}\n')
    result = invoke(["score", str(listed), str(lines_file), *AS_OF])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["id"], line["line"]) for line in lines] == [("one", 1), ("two", 3), ("three", 1)]


def test_missing_file_is_a_bad_record_and_unknown_format_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(["score", str(tmp_path / "nope.jsonl"), *AS_OF])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"] == ["no such file"]
    result = invoke(["score", str(tmp_path / "people.txt")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"caremgr: cannot tell the format of {tmp_path / 'people.txt'}; use --input-format jsonl|csv|yaml|json\n"
    )


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize("text", ["", "\ufeff", "\ufeff\n \t\n\r\n"])
def test_empty_input_scores_nothing(invoke: Invoke, fmt: str, text: str) -> None:
    result = invoke(["score", "--input-format", fmt, *AS_OF], input=text)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@settings(max_examples=100, deadline=None)
@given(answers_strategy)
def test_batch_lines_and_quiz_documents_agree(document: dict[str, Any]) -> None:
    # Two serialisations of one result (the TypeAdapter, which batch lines equal byte for
    # byte, and plain conversion for one person's quiz) must give the same JSON.
    result = score_answers(Answers.model_validate(document), CATALOG, TODAY)
    line = json.loads(result_line(result, "x.jsonl", 7))
    assert (line.pop("source"), line.pop("line")) == ("x.jsonl", 7)
    assert json.dumps(line) == json.dumps(result_document(result))  # 2000 and 2000.0 differ here


# --- issue 12: spreadsheets in and out, safely ------------------------------------------------


def test_a_roster_exported_as_a_spreadsheet_would_export_it(invoke: Invoke, tmp_path: Path) -> None:
    # A byte-order mark, CRLF line ends, semicolons, a name and an email column, empty cells, a
    # malformed row, a Latin-1 byte in one row and a cell over csv's field limit in another:
    # every other row is scored, with its name and email kept, and the counts are true.
    rows = [
        b"id;name;education.level;education.field;licenses;employment.current;employment.hours_per_week;email",
        b"ana;Ana Ruiz;associate;nursing;rn;rn-case-management;30;ana@example.org",
        b"ben;Ben Ode;bachelor;social-work;;;;",
        "jos\u00e9;Jos\u00e9 Paz;master;social-work;lcsw;;;jose@example.org".encode("latin-1"),  # not UTF-8
        b'big;Big;"' + b"x" * 200_000 + b'";;;;;',
        b"cy;Cy Lam;bachelor;unrelated;;;;cy@example.org",
        b"dee;Dee;phd;;;;;dee@example.org",
        b"eve;Eve Ng;master;social-work;lmsw;case-management;40;eve@example.org",
    ]
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(rows) + b"\r\n")
    result = invoke(["score", str(path), *AS_OF])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"caremgr: {path}: kept 2 columns that are not answers fields, passed through: name, email",
        "caremgr: 3 of 7 records had problems (see their errors in the output)",
    ]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["line"], line.get("id"), line.get("columns", {}).get("name")) for line in lines] == [
        # The row that is not UTF-8 keeps its columns, the bad byte shown as a replacement mark.
        (2, "ana", "Ana Ruiz"), (3, "ben", "Ben Ode"), (4, None, "Jos\ufffd Paz"), (5, None, ""),
        (6, "cy", "Cy Lam"), (7, None, "Dee"), (8, "eve", "Eve Ng"),
    ]  # fmt: skip
    assert lines[2]["errors"] == ['is not UTF-8 text (save the spreadsheet as "CSV UTF-8")']
    assert lines[3]["errors"] == ["not valid CSV: a cell is longer than the limit of 131,072 characters"]
    assert lines[5]["errors"][0].startswith("education.level: must be one of")
    assert lines[1]["roles"][0]["entry"]["route"] == "social-work"


def test_a_column_given_twice_is_an_error_naming_both(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("id,education.level,skills.clinical,education.level\nana,associate,3,bachelor\n")
    result = invoke(["score", str(path), *AS_OF])
    assert result.exit_code == 1
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert line["errors"] == ["column 'education.level' is given twice (columns 2 and 4)"]


@pytest.mark.parametrize(("delimiter", "args"), [("\t", ["--delimiter", "tab"]), ("\t", []), (";", [])])
def test_csv_on_stdin_is_told_apart_from_json_lines(invoke: Invoke, delimiter: str, args: list[str]) -> None:
    text = delimiter.join(["id", "education.level", "education.field"]) + "\n"
    text += delimiter.join(["ana", "bachelor", "social-work"]) + "\n"
    result = invoke(["score", *args, *AS_OF], input=text)
    assert (result.exit_code, result.stderr) == (0, "")
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (line["id"], line["roles"][0]["entry"]["route"]) == ("ana", "social-work")


def test_excel_csv_has_a_byte_order_mark_and_crlf(invoke: Invoke) -> None:
    result = invoke(["score", "--output-format", "csv", "--excel", *AS_OF], input=json.dumps(PEOPLE[0]) + "\n")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfsource,line,id,")
    assert result.stdout_bytes.count(b"\r\n") == 2
    usage = invoke(["score", "--excel", *AS_OF], input="")
    assert (usage.exit_code, usage.stderr) == (2, "caremgr: --excel is for CSV output; add --output-format csv\n")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_any_id_is_one_safe_cell_in_the_csv_output(ids: list[str]) -> None:
    from typer.testing import CliRunner

    from caremgr_cli.cli.app import app

    records = "".join(json.dumps({"id": document_id}) + "\n" for document_id in ids)
    result = CliRunner().invoke(app, ["score", "--output-format", "csv", *AS_OF], input=records)
    table = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(table) == 1 + len(ids)  # a header and one row per record, whatever the ids hold
    for row in table[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_score_on_a_terminal_says_it_is_reading_stdin(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("caremgr_cli.cli.score._stdin_is_a_terminal", lambda: True)
    result = invoke(["score", *AS_OF], input="")
    assert result.exit_code == 0
    assert result.stderr == (
        "caremgr: reading answers records from the terminal, one JSON document a line;"
        " end with Ctrl-D (or give a file: caremgr score FILE)\n"
    )


def test_roster_columns_that_are_not_answers_are_passed_through(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "id;name;education.level;education.field;email;Notes\r\n"
        '007;Jos\u00e9 Ana;bachelor;social-work;ana@example.org;=HYPERLINK("x")\r\n'
        "b2;Ben;phd;;ben@example.org;\r\n",
        encoding="utf-8",
    )
    result = invoke(["score", str(path), "--output-format", "csv", *AS_OF])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"caremgr: {path}: kept 3 columns that are not answers fields, passed through: name, email, Notes",
        "caremgr: 1 of 2 records had problems (see their errors in the output)",
    ]
    table = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert list(table[0])[:6] == ["source", "line", "id", "name", "email", "Notes"]
    assert [(row["id"], row["name"], row["email"], row["Notes"]) for row in table] == [
        ("007", "Jos\u00e9 Ana", "ana@example.org", '\'=HYPERLINK("x")'),  # neutralised, not lost
        ("b2", "Ben", "ben@example.org", ""),  # a bad row keeps its columns too
    ]
    lines = [json.loads(line) for line in invoke(["score", str(path), *AS_OF]).stdout.splitlines()]
    assert [line["columns"] for line in lines] == [
        {"name": "Jos\u00e9 Ana", "email": "ana@example.org", "Notes": '=HYPERLINK("x")'},  # JSON: as given
        {"name": "Ben", "email": "ben@example.org", "Notes": ""},
    ]
    strict = invoke(["score", str(path), "--strict", *AS_OF])
    assert strict.exit_code == 1
    assert "name: unknown field 'name'" in json.loads(strict.stdout.splitlines()[0])["errors"][0]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_any_text_in_a_passed_through_column_is_one_safe_cell(names: list[str]) -> None:
    from typer.testing import CliRunner

    from caremgr_cli.cli.app import app

    given = io.StringIO(newline="")
    writer = csv.writer(given)
    writer.writerow(["education.level", "name"])
    writer.writerows([["bachelor", name] for name in names])
    result = CliRunner().invoke(app, ["score", "--input-format", "csv", "--output-format", "csv", *AS_OF],
                                input=given.getvalue())  # fmt: skip
    table = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(table) == 1 + len(names)
    for row in table[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_quote_left_open_is_its_own_row_s_problem(invoke: Invoke, tmp_path: Path) -> None:
    # The open quote would swallow the next rows into a1's name, and give a1 a3's degree.
    path = tmp_path / "open.csv"
    path.write_text(
        'id,name,education.level\r\na1,"Unclosed,high-school\r\na2,Two,bachelor\r\na3,"Three",master\r\n'
        "a4,Four,high-school\r\n"
    )
    lines = [json.loads(line) for line in invoke(["score", str(path), *AS_OF]).stdout.splitlines()]
    assert [(line["line"], line.get("id"), line.get("errors")) for line in lines] == [
        (2, None, ["has a quote that is not closed on its line"]),
        (3, "a2", None),
        (4, "a3", None),
        (5, "a4", None),
    ]
    assert [line["roles"][0]["entry"]["met"] for line in lines[1:]] == [True, True, False]


def test_a_note_over_two_lines_is_one_cell(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('id,name,notes\r\nn1,Ann,"line one\r\nline two"\r\nn2,Bo,x\r\n')
    lines = [json.loads(line) for line in invoke(["score", str(path), *AS_OF]).stdout.splitlines()]
    assert [(line["line"], line["columns"]["notes"]) for line in lines] == [(2, "line one\r\nline two"), (4, "x")]


def test_a_column_that_nearly_names_an_answers_field_is_read_not_passed_through(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "typos.csv"
    path.write_text("ID,Education.Level,licence,name\nx1,bachelor,rn,Xu\n")
    result = invoke(["score", str(path), *AS_OF])
    (line,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert line["columns"] == {"name": "Xu"}
    assert line["errors"] == [
        "ID: unknown field 'ID' (allowed: id, education, licenses, certifications, experience, ce_hours, employment,"
        " preferences, skills)",
        "Education: unknown field 'Education'; did you mean 'education'?",
        "licence: unknown field 'licence'; did you mean 'licenses'?",
    ]


def test_a_quoted_cell_may_hold_a_line_that_looks_like_a_row(invoke: Invoke, tmp_path: Path) -> None:
    # Hypothesis found it: a closed quote around a line break and "0," is one cell, not an open quote.
    path = tmp_path / "quoted.csv"
    path.write_text('education.level,name\r\nbachelor,"\n0,"\r\n')
    (line,) = [json.loads(line) for line in invoke(["score", str(path), *AS_OF]).stdout.splitlines()]
    assert line["columns"] == {"name": "\n0,"}
    assert "errors" not in line
