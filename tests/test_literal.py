"""Text from data files and answers is shown literally: rich markup escaped, control codes made visible."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import DATA, Invoke

MARKUP = "[bold red]Loud[/bold red] [link=https://evil.example]click[/link]"
CONTROL = "\x1b[31mred\x1b[0m\u202eevil"
VISIBLE = "\\x1b[31mred\\x1b[0m\\u202eevil"


@pytest.fixture
def hostile_roles(tmp_path: Path) -> Path:
    catalog = yaml.safe_load((DATA / "minimal.yaml").read_text())
    role = catalog["roles"][0]
    role["title"] = f"Alpha {MARKUP} {CONTROL}"
    role["summary"]["text"] = f"{MARKUP} {CONTROL}"
    role["duties"][0]["text"] = MARKUP
    catalog["skills"][0]["label"] = f"{MARKUP} {CONTROL}"
    catalog["sources"][0]["title"] = f"{MARKUP} {CONTROL}"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(catalog, allow_unicode=False))
    return path


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("args", [["roles"], ["show", "alpha"], ["compare"], ["compare", "--json"]])
def test_roles_data_is_literal(invoke: Invoke, hostile_roles: Path, colour: bool, args: list[str]) -> None:
    env = (
        {"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm-256color", "COLUMNS": "200"}
        if colour
        else {"COLUMNS": "200"}
    )
    result = invoke(["--roles", str(hostile_roles), *args], env=env)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if args[-1] == "--json":
        assert "[bold red]Loud" in out
        return
    assert ("\x1b[" in out) is colour  # styling of our own, only when colour is on
    assert "[bold red]Loud[/bold red]" in out
    assert "\x1b[31mred" not in out
    assert "\u202e" not in out
    if args[0] != "roles":
        assert VISIBLE in out


def test_answers_id_is_literal_in_the_result(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump({"id": f"{MARKUP} {CONTROL}"}, allow_unicode=False))
    out = invoke(["quiz", "--answers", str(path), "--as-of", "2026-11-28"], env={"COLUMNS": "200"}).stdout
    assert f"for {MARKUP} {VISIBLE}" in out


def test_control_codes_in_error_messages_are_visible(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('"\\e[31mevil\\nkey": 1\n')
    result = invoke(["quiz", "--answers", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:1: \\x1b[31mevil\\nkey: unknown field '\\x1b[31mevil\\nkey' (allowed: id,")
    assert result.stderr.count("\n") == 1
