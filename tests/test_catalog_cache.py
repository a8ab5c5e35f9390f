"""The catalog cache: plain JSON, validated on read, trusted only in a private folder.
A cache that is broken, foreign or planted changes nothing a user sees."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from caremgr_cli.catalog import load
from conftest import Invoke

COMMANDS = [["compare", "case", "care", "--json"], ["show", "ncm", "--json"], ["roles"], ["compare", "care"]]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAREMGR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CAREMGR_NO_CACHE", raising=False)
    return tmp_path / "cache"


def count_validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = load.catalog_from_bytes

    def counting(name: str, data: bytes) -> object:
        calls.append(name)
        return real(name, data)

    monkeypatch.setattr(load, "catalog_from_bytes", counting)
    return calls


def uncached(invoke: Invoke, args: list[str]) -> str:
    result = invoke(args, env={"CAREMGR_NO_CACHE": "1"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_second_load_reads_the_cache_and_gives_an_equal_catalog(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_validations(monkeypatch)
    first = load.load_catalog()
    second = load.load_catalog()
    documents = load.load_documents()
    assert len(calls) == 1
    assert first == second
    assert documents["role_names"]["ncm"] == "case-manager"
    entries = sorted(path.name.split(".", 1)[1] for path in folder.iterdir())
    assert entries == ["catalog.json", "documents.json"]
    assert {path.stat().st_mode & 0o777 for path in folder.iterdir()} == {0o600}
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b'{"schema_version": 2}',
        b'{"role_names": {}, "roles": 1, "documents": {}}',
        b"[" * 100_000,  # deeper than json (and pydantic) will follow
    ],
)
def test_a_wrong_shaped_entry_is_rebuilt(
    folder: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    expected = {tuple(args): uncached(invoke, args) for args in COMMANDS}
    load.load_catalog()  # fills the cache
    for entry in folder.iterdir():
        entry.write_bytes(content)
    calls = count_validations(monkeypatch)
    for args in COMMANDS:
        result = invoke(args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, expected[tuple(args)], "")
    assert calls  # rebuilt from the roles file
    assert {entry.read_bytes() for entry in folder.iterdir()} != {content}  # and written anew


def plant(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache entries whose content lies (one role only, named 'evil')."""
    load.load_catalog()
    lie = {"role_names": {"evil": "evil"}, "roles": [{"id": "evil", "title": "Evil", "aliases": []}],
           "documents": {"evil": {"id": "evil"}}}  # fmt: skip
    for entry in folder.iterdir():
        if entry.name.endswith(".documents.json"):
            entry.write_text(json.dumps(lie))
    monkeypatch.setenv("CAREMGR_CACHE_DIR", str(folder))


def test_our_own_private_entry_is_trusted(folder: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    # The guard for the tests below: a planted entry in a private folder IS read.
    plant(folder, monkeypatch)
    assert json.loads(invoke(["roles", "--json"]).stdout)["roles"][0]["id"] == "evil"


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_folder_others_can_write_is_not_trusted(
    folder: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    plant(folder, monkeypatch)
    folder.chmod(mode)
    result = invoke(["roles", "--json"])
    assert [role["id"] for role in json.loads(result.stdout)["roles"]] == ["case-manager", "care-manager"]


def test_a_folder_owned_by_someone_else_is_not_trusted(
    folder: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    plant(folder, monkeypatch)
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    result = invoke(["roles", "--json"])
    assert [role["id"] for role in json.loads(result.stdout)["roles"]] == ["case-manager", "care-manager"]


def test_an_entry_that_is_a_symlink_is_not_trusted(
    folder: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plant(folder, monkeypatch)
    for entry in folder.iterdir():
        if entry.name.endswith(".documents.json"):
            target = tmp_path / "elsewhere.json"
            entry.rename(target)
            entry.symlink_to(target)
    result = invoke(["roles", "--json"])
    assert [role["id"] for role in json.loads(result.stdout)["roles"]] == ["case-manager", "care-manager"]


def test_a_relative_xdg_cache_home_is_ignored(invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CAREMGR_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.chdir(tmp_path)
    assert invoke(["roles", "--json"]).exit_code == 0
    assert not (tmp_path / "relative").exists()
    assert any((tmp_path / "home" / ".cache" / "caremgr").iterdir())
