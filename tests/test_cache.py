from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from caremgr_cli import cache, loading
from caremgr_cli.files import DocumentError
from caremgr_cli.models import Answers
from conftest import DATA


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAREMGR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CAREMGR_NO_CACHE", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def roles(tmp_path: Path) -> Path:
    path = tmp_path / "roles.yaml"
    path.write_text((DATA / "minimal.yaml").read_text())
    return path


def count_validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = loading.catalog_from_bytes

    def counting(name: str, data: bytes) -> object:
        calls.append(name)
        return real(name, data)

    monkeypatch.setattr(loading, "catalog_from_bytes", counting)
    return calls


def test_second_load_skips_validation_and_gives_an_equal_catalog(
    folder: Path, roles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_validations(monkeypatch)
    first = cache.load_catalog(roles)
    second = cache.load_catalog(roles)
    documents = cache.load_documents(roles)
    assert calls == [str(roles)]
    assert first == second
    assert documents["role_names"] == {"alpha": "alpha", "a": "alpha"}
    modes = {p.name.split(".", 1)[1]: p.stat().st_mode & 0o777 for p in folder.iterdir()}
    assert modes == {"catalog.pickle": 0o600, "documents.json": 0o600}


@pytest.mark.usefixtures("folder")
def test_a_changed_file_is_validated_again(roles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_validations(monkeypatch)
    cache.load_catalog(roles)
    roles.write_text(roles.read_text().replace("Alpha manager", "Alpha lead"))
    assert cache.load_catalog(roles).roles[0].title == "Alpha lead"
    assert len(calls) == 2


def test_a_bad_file_is_never_cached(folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "bad" / "roles" / "unknown-key.yaml").read_text())
    for _ in range(2):
        with pytest.raises(DocumentError):
            cache.load_catalog(bad)
    assert not folder.exists() or not any(folder.iterdir())


def test_broken_or_foreign_entries_are_rebuilt(folder: Path, roles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.load_catalog(roles)
    (pickled,) = folder.glob("*.pickle")
    pickled.write_bytes(b"not a pickle")
    calls = count_validations(monkeypatch)
    assert cache.load_catalog(roles).roles[0].id == "alpha"
    pickled.chmod(0o666)  # writable by others: never trusted
    assert cache.load_catalog(roles).roles[0].id == "alpha"
    assert len(calls) == 2


def test_no_cache_and_unwritable_cache(roles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREMGR_NO_CACHE", "1")
    assert cache.cache_folder() is None
    assert cache.load_catalog(roles).roles[0].id == "alpha"
    monkeypatch.delenv("CAREMGR_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CAREMGR_CACHE_DIR", str(blocker / "cache"))  # cannot be created: skipped silently
    assert cache.load_documents(roles)["roles"] == [{"id": "alpha", "title": "Alpha manager", "aliases": ["a"]}]


GOOD_ANSWERS = {"licenses": {"rn": True}, "experience": {"rn": 2.5}, "skills": {"clinical": 4}}
BAD_ANSWERS = {"experience": {"rn": float("nan")}, "skills": {"clinical": 9}, "extra": 1}


def outcome(validate: Callable[[Any], Any], document: dict[str, Any]) -> object:
    try:
        return validate(document)
    except ValidationError as error:
        return error.errors(include_url=False)


def test_the_answers_validator_is_cached_and_validates_as_the_model_does(folder: Path) -> None:
    built = cache.answers_validator.__wrapped__().validate_python  # bypasses the per-process memory
    (entry,) = folder.glob("*.answers-validator.pickle")
    assert entry.stat().st_mode & 0o777 == 0o600
    stored = cache.answers_validator.__wrapped__().validate_python
    for document in (GOOD_ANSWERS, BAD_ANSWERS, {}):
        expected = outcome(Answers.model_validate, document)
        assert outcome(built, document) == outcome(stored, document) == expected
    assert isinstance(stored(GOOD_ANSWERS), Answers)


def test_a_broken_answers_validator_entry_is_rebuilt(folder: Path) -> None:
    cache.answers_validator.__wrapped__()
    (entry,) = folder.glob("*.answers-validator.pickle")
    entry.write_bytes(b"\x80\x05 not a pickle")
    assert cache.answers_validator.__wrapped__().validate_python(GOOD_ANSWERS).experience.rn == 2.5
    assert entry.read_bytes().startswith(b"\x80")
    assert entry.read_bytes() != b"\x80\x05 not a pickle"


def test_the_cache_keeps_the_newest_entries_only(folder: Path, roles: Path) -> None:
    folder.mkdir(parents=True)
    for number in range(cache.KEEP + 5):
        old = folder / f"{number:040x}.catalog.pickle"
        old.write_bytes(b"old")
        os.utime(old, ns=(number * 10**9, number * 10**9))
    mine = folder / "notes.2026.txt"  # not caremgr's: never touched
    mine.write_text("keep me")
    os.utime(mine, ns=(0, 0))
    cache.load_catalog(roles)  # writes two new entries, then prunes
    assert mine.read_text() == "keep me"
    names = {entry.name for entry in folder.iterdir()} - {mine.name}
    assert len(names) == cache.KEEP
    assert f"{0:040x}.catalog.pickle" not in names  # the oldest went first
    assert sum(name.endswith(".documents.json") for name in names) == 1
