"""Nothing a user can give caremgr ends in a traceback: fuzzed files, bad arguments, a killed writer."""

from __future__ import annotations

import copy
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caremgr_cli.catalog.load import load_catalog
from caremgr_cli.files import DocumentError, default_roles_path
from conftest import DATA, Invoke

PACKAGED_TEXT = default_roles_path().read_text(encoding="utf-8")
PACKAGED = yaml.safe_load(PACKAGED_TEXT)


def paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location in a plain YAML value."""
    found = [here] if here else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*here, index))
    return found


ALL_PATHS = paths(PACKAGED)
WRONG_VALUES = st.sampled_from([None, 0, -1, 10**9, 1.5, "", "x" * 5000, True, [], {}, ["a"], {"k": "v"}, "2021-99-99"])


def mutate(document: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    mutated = copy.deepcopy(document)
    parent = mutated
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    else:
        parent[last] = value
    return mutated


def try_load(tmp_path: Path, text: str | bytes) -> None:
    path = tmp_path / "roles.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    try:
        load_catalog(path)
    except DocumentError as error:
        lines = error.lines
    else:
        return
    assert lines
    for line in lines:
        assert line.startswith(str(path)), line
        assert "\n" not in line


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace", "duplicate"]), WRONG_VALUES)
def test_mutated_roles_file_is_loaded_or_reported(tmp_path: Path, path: tuple[Any, ...], action: str,
                                                  value: Any) -> None:  # fmt: skip
    try_load(tmp_path, yaml.safe_dump(mutate(PACKAGED, path, action, value), sort_keys=False))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(PACKAGED_TEXT.encode()) - 1), st.binary(min_size=1, max_size=4)),
                min_size=1, max_size=5))  # fmt: skip
def test_random_bytes_in_the_roles_file_are_reported(tmp_path: Path, patches: list[tuple[int, bytes]]) -> None:
    data = bytearray(PACKAGED_TEXT.encode())
    for offset, chunk in patches:
        data[offset : offset + len(chunk)] = chunk
    try_load(tmp_path, bytes(data))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children,
                                                                                      max_size=4),
                    max_leaves=20))  # fmt: skip
def test_any_answers_document_is_scored_or_reported(invoke: Invoke, document: Any) -> None:
    result = invoke(["quiz", "--answers", "-", "--as-of", "2026-11-28", "--json"], input=yaml.safe_dump(document))
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert (result.stdout == "") == (result.exit_code == 1)


MINIMAL = str(DATA / "minimal.yaml")
BAD_ARGUMENTS = [
    ([], 2), (["nope"], 2), (["--bogus"], 2), (["--roles"], 2), (["roles", "extra"], 2), (["roles", "--json=1"], 2),
    (["show"], 2), (["show", "x", "y"], 2), (["show", "nobody"], 2), (["show", ""], 2), (["compare", "case", "-"], 2),
    (["compare", "--width"], 2), (["validate", "a", "b"], 2), (["schema"], 2), (["schema", "nope"], 2),
    (["quiz", "--as-of", "yesterday"], 2), (["quiz", "--as-of", "2026-02-30"], 2), (["quiz", "--ask-missing"], 2),
    (["quiz", "--answers", "-", "--ask-missing"], 2), (["quiz", "--answers"], 2), (["quiz"], 2),
    (["quiz", "--answers", "/nonexistent.yaml"], 1), (["--roles", "/nonexistent.yaml", "roles"], 1),
    (["--roles", MINIMAL, "show", "case"], 2), (["validate", "/"], 1),
    (["score", "--input-format", "xml"], 2), (["score", "people.txt"], 2), (["score", "--output-format", "pdf"], 2),
    (["score", "--as-of", "soon"], 2), (["score", "/nonexistent.jsonl"], 1), (["score", "/"], 2),
    (["score", "--input-format", "jsonl", "/"], 1),
]  # fmt: skip


@pytest.mark.parametrize(("args", "code"), BAD_ARGUMENTS, ids=[" ".join(a) or "(none)" for a, _ in BAD_ARGUMENTS])
def test_bad_arguments_exit_with_their_code_and_no_traceback(invoke: Invoke, args: list[str], code: int) -> None:
    result = invoke(args, input="")
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_a_real_bug_says_so_with_its_traceback(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("caremgr_cli.output.text.role_list", broken)
    result = invoke(["roles"])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr
    assert "RuntimeError: boom" in result.stderr
    assert result.stderr.rstrip().endswith("the traceback above.")


KILLER = """
import os, signal, sys
from pathlib import Path
from caremgr_cli import files

def die(fd):
    os.kill(os.getpid(), signal.SIGKILL)  # the process dies after writing, before the rename

files.os.fsync = die
files.write_atomic(Path(sys.argv[1]), "id: new\\n" * 100000)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_mid_way_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("id: old\n")
    result = subprocess.run([sys.executable, "-c", KILLER, str(target)], check=False, capture_output=True)
    assert result.returncode == -signal.SIGKILL
    assert target.read_text() == "id: old\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "answers.yaml"]
    assert all(name.startswith(".answers.yaml.") and name.endswith(".tmp") for name in leftovers)
