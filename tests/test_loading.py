from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from caremgr_cli.catalog.load import load_catalog
from caremgr_cli.files import DocumentError, default_roles_path
from conftest import DATA, Invoke, check_golden

BAD_ROLES = sorted((DATA / "bad" / "roles").glob("*.yaml"))


def test_packaged_catalog_validates() -> None:
    catalog = load_catalog()
    assert [role.id for role in catalog.roles] == ["case-manager", "care-manager"]
    assert [c.id for c in catalog.credentials] == ["ccm", "cmgt-bc", "cmc"]


def test_default_path_is_the_repo_or_packaged_file() -> None:
    assert default_roles_path().name == "roles.yaml"
    assert default_roles_path().is_file()


@pytest.mark.parametrize("path", BAD_ROLES, ids=[p.stem for p in BAD_ROLES])
def test_bad_roles_file_golden(
    path: Path, invoke: Invoke, update_golden: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(path.parent)
    result = invoke(["validate", path.name])
    expected = path.with_suffix(".expected")
    if path.stem == "bom":
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("ok: bom.yaml: 1 roles")
        return
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    check_golden(expected, result.stderr, update_golden)
    # every line is one problem, and each names the file first
    assert all(line.startswith(path.name + ":") for line in result.stderr.splitlines())


def test_validate_json_lists_problems(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "bad" / "roles")
    result = invoke(["validate", "unknown-key.yaml", "--json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["schema_version"] == 2
    assert document["ok"] is False
    assert {
        "path": "unknown-key.yaml",
        "line": 18,
        "key_path": "roles[0].titel",
        "message": "unknown field 'titel'; did you mean 'title'?",
    } in document["problems"]


def test_python_tag_constructs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    bad = tmp_path / "roles.yaml"
    bad.write_text(f'schema_version: !!python/object/apply:os.system ["touch {marker}"]\n')
    with pytest.raises(DocumentError) as error:
        load_catalog(bad)
    assert "is not allowed" in str(error.value)
    assert not marker.exists()


def test_missing_folder_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        load_catalog(tmp_path / "nope.yaml")
    with pytest.raises(DocumentError, match="is a folder"):
        load_catalog(tmp_path)
    locked = tmp_path / "locked.yaml"
    locked.write_text("schema_version: 1\n")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything; the message cannot be provoked
        pytest.skip("running as root")
    with pytest.raises(DocumentError, match="permission denied"):
        load_catalog(locked)


def test_too_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 1_000_001)
    with pytest.raises(DocumentError, match="larger than the limit"):
        load_catalog(big)


def test_problems_are_sorted_by_line_and_all_reported(tmp_path: Path) -> None:
    text = (DATA / "minimal.yaml").read_text()
    text = text.replace("title: Alpha manager", "titel: Alpha manager")
    text = text.replace("points: 10,", "points: 1000,")
    path = tmp_path / "two.yaml"
    path.write_text(text)
    with pytest.raises(DocumentError) as error:
        load_catalog(path)
    lines = [p.line or 0 for p in error.value.problems]
    assert lines == sorted(lines)
    assert len(error.value.problems) == 3


BAD_ANSWERS = sorted(p for p in (DATA / "bad" / "answers").iterdir() if p.suffix in (".yaml", ".json"))


@pytest.mark.parametrize("path", BAD_ANSWERS, ids=[p.name for p in BAD_ANSWERS])
def test_bad_answers_golden(path: Path, invoke: Invoke, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent)
    result = invoke(["quiz", "--answers", path.name, "--json"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    check_golden(path.with_suffix(".expected"), result.stderr, update_golden)
    assert all(line.startswith(path.name + ":") for line in result.stderr.splitlines())
    # The same document on stdin gets the same messages, named <stdin>.
    piped = invoke(["quiz", "--answers", "-", "--json"], input=path.read_text())
    assert (piped.exit_code, piped.stdout) == (1, "")
    assert piped.stderr == result.stderr.replace(path.name, "<stdin>")


def test_cli_messages_for_files_that_cannot_be_read(invoke: Invoke, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 1_000_001)
    cases = {
        str(tmp_path / "missing.yaml"): f"{tmp_path / 'missing.yaml'}: no such file\n",
        str(tmp_path): f"{tmp_path}: is a folder, not a file\n",
        str(big): f"{big}: is larger than the limit of 1,000,000 bytes\n",
    }
    for path, message in cases.items():
        for args in (["validate", path], ["--roles", path, "compare"], ["quiz", "--answers", path]):
            result = invoke(args)
            assert (result.exit_code, result.stdout, result.stderr) == (1, "", message), args


def test_a_rule_asking_more_than_its_window_holds_is_refused(tmp_path: Path) -> None:
    text = default_roles_path().read_text()
    old = "- experience: {of: supervised_care_management, months: 24, within_years: 10}\n          - employment"
    assert text.count(old) == 1  # the master's tier
    path = tmp_path / "roles.yaml"
    path.write_text(text.replace(old, old.replace("months: 24, within_years: 10", "months: 24, within_years: 1")))
    with pytest.raises(DocumentError) as error:
        load_catalog(path)
    assert [(p.key_path, p.message) for p in error.value.problems] == [
        ("credentials[2].routes[0]",
         "asks for 24 months of paid, full-time, supervised care management, more than its 1-year window holds"),
    ]  # fmt: skip
