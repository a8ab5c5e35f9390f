from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from caremgr_cli import cache

NAME = f"{'a' * 40}.documents.json"


def entry(number: int) -> str:
    return f"{number:040x}.documents.json"


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder that does not exist yet, named by CAREMGR_CACHE_DIR."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAREMGR_CACHE_DIR", str(folder))
    monkeypatch.delenv("CAREMGR_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def made(place: Path) -> Path:
    place.mkdir(mode=0o700)
    place.chmod(0o700)
    return place


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No cache variables at all, and a HOME of the test's own."""
    for variable in ("CAREMGR_CACHE_DIR", "XDG_CACHE_HOME", "CAREMGR_NO_CACHE"):
        monkeypatch.delenv(variable, raising=False)
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def plant(folder: Path, name: str, payload: bytes) -> Path:
    path = folder / name
    path.write_bytes(payload)
    path.chmod(0o600)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# Where the cache lives


def test_the_folder_named_by_caremgr_cache_dir(place: Path) -> None:
    assert cache.folder() == place


@pytest.mark.usefixtures("place")
def test_a_relative_caremgr_cache_dir_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREMGR_CACHE_DIR", "relative/cache")
    assert cache.folder() is None


@pytest.mark.usefixtures("home")
def test_xdg_cache_home_when_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "caremgr"


def test_a_relative_xdg_cache_home_is_ignored(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    assert cache.folder() == home / ".cache" / "caremgr"


def test_the_home_cache_is_made_private_with_its_parents(home: Path) -> None:
    cache.write(NAME, b"{}")
    assert cache.read(NAME) == b"{}"
    assert mode(home / ".cache") == 0o700
    assert mode(home / ".cache" / "caremgr") == 0o700
    assert mode(home / ".cache" / "caremgr" / NAME) == 0o600


@pytest.mark.usefixtures("home")
def test_a_relative_home_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "relative-home")
    assert cache.folder() is None


@pytest.mark.parametrize("value", ["1", "yes"])
def test_caremgr_no_cache_turns_it_off(place: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CAREMGR_NO_CACHE", value)
    assert cache.folder() is None
    cache.write(NAME, b"{}")
    assert cache.read(NAME) is None
    assert not place.exists()


@pytest.mark.parametrize("value", ["", "0"])
def test_caremgr_no_cache_empty_or_zero_keeps_it_on(place: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CAREMGR_NO_CACHE", value)
    assert cache.folder() == place


@pytest.mark.usefixtures("home")
def test_no_home_means_no_cache_and_no_harm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOME")

    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", homeless)
    assert cache.folder() is None
    cache.write(NAME, b"{}")
    assert cache.read(NAME) is None


# Reading and writing


def test_round_trip(place: Path) -> None:
    assert cache.read(NAME) is None
    cache.write(NAME, b'{"roles": []}')
    assert cache.read(NAME) == b'{"roles": []}'
    assert mode(place) == 0o700
    assert mode(place / NAME) == 0o600
    assert sorted(path.name for path in place.iterdir()) == [NAME]


def test_a_new_write_replaces_the_entry(made: Path) -> None:
    cache.write(NAME, b"1")
    cache.write(NAME, b"2")
    assert cache.read(NAME) == b"2"
    assert sorted(path.name for path in made.iterdir()) == [NAME]


@pytest.mark.parametrize(
    "name", ["../escape.documents.json", "a.documents.json", f"{'A' * 40}.x.json", f"{'a' * 40}.x.pickle"]
)
@pytest.mark.usefixtures("place")
def test_a_name_not_of_the_cache_is_a_programming_error(name: str) -> None:
    with pytest.raises(ValueError, match="not a cache entry name"):
        cache.read(name)
    with pytest.raises(ValueError, match="not a cache entry name"):
        cache.write(name, b"{}")


def test_a_group_writable_folder_is_not_trusted(made: Path) -> None:
    plant(made, NAME, b"{}")
    made.chmod(0o770)
    assert cache.read(NAME) is None
    cache.write(entry(1), b"{}")
    assert sorted(path.name for path in made.iterdir()) == [NAME]


def test_a_folder_writable_by_others_is_not_trusted(made: Path) -> None:
    plant(made, NAME, b"{}")
    made.chmod(0o707)
    assert cache.read(NAME) is None


def test_a_folder_of_someone_else_is_not_trusted(made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plant(made, NAME, b"{}")
    someone_else = os.getuid() + 1
    monkeypatch.setattr(os, "getuid", lambda: someone_else)
    assert cache.read(NAME) is None
    cache.write(entry(1), b"{}")
    assert sorted(path.name for path in made.iterdir()) == [NAME]


def test_a_folder_that_is_a_symlink_is_not_trusted(tmp_path: Path, place: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    plant(private, NAME, b"{}")
    place.symlink_to(private)
    assert cache.read(NAME) is None
    cache.write(entry(1), b"{}")
    assert sorted(path.name for path in private.iterdir()) == [NAME]


def test_an_entry_that_is_a_symlink_is_not_read(made: Path, tmp_path: Path) -> None:
    ours = plant(tmp_path, "ours.json", b"{}")
    (made / NAME).symlink_to(ours)
    assert cache.read(NAME) is None


def test_an_entry_that_is_a_symlink_to_stdin_is_not_read(made: Path) -> None:
    (made / NAME).symlink_to("/proc/self/fd/0")
    assert cache.read(NAME) is None  # following it would wait on stdin


def test_an_entry_that_is_a_fifo_is_not_read(made: Path) -> None:
    os.mkfifo(made / NAME, 0o600)
    assert cache.read(NAME) is None  # a blocking open would wait for a writer forever


def test_an_entry_that_is_a_folder_is_not_read_or_written(made: Path) -> None:
    (made / NAME).mkdir(mode=0o700)
    assert cache.read(NAME) is None
    cache.write(NAME, b"{}")
    assert (made / NAME).is_dir()
    assert sorted(path.name for path in made.iterdir()) == [NAME]


def test_a_group_writable_entry_is_not_read(made: Path) -> None:
    plant(made, NAME, b"{}").chmod(0o620)
    assert cache.read(NAME) is None


def test_an_entry_of_someone_else_is_not_read(made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plant(made, NAME, b"{}")
    real = os.fstat

    def other_owner(descriptor: int) -> os.stat_result:
        info = real(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return info
        fields = list(info)
        fields[stat.ST_UID] = info.st_uid + 1
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", other_owner)
    assert cache.read(NAME) is None


def test_an_entry_larger_than_the_cap_is_not_read(made: Path) -> None:
    plant(made, NAME, b"x" * 11)
    assert cache.read(NAME, max_bytes=10) is None
    assert cache.read(NAME, max_bytes=11) == b"x" * 11


def fstat_reporting_size(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    real = os.fstat

    def reported(descriptor: int) -> os.stat_result:
        info = real(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return info
        fields = list(info)
        fields[stat.ST_SIZE] = size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", reported)


def test_an_entry_said_to_be_larger_than_the_cap_is_not_read(made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plant(made, NAME, b"{}")
    fstat_reporting_size(monkeypatch, cache.MAX_ENTRY_BYTES + 1)
    assert cache.read(NAME) is None


def test_an_entry_that_grew_past_the_cap_after_its_check_is_not_read(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plant(made, NAME, b"x" * 11)
    fstat_reporting_size(monkeypatch, 2)
    assert cache.read(NAME, max_bytes=10) is None


def test_a_payload_larger_than_the_cap_is_not_written(made: Path) -> None:
    cache.write(NAME, b"x" * (cache.MAX_ENTRY_BYTES + 1))
    assert sorted(made.iterdir()) == []


def test_a_folder_that_cannot_be_made_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CAREMGR_CACHE_DIR", str(tmp_path / "file" / "cache"))
    monkeypatch.delenv("CAREMGR_NO_CACHE", raising=False)
    cache.write(NAME, b"{}")
    assert cache.read(NAME) is None


def test_ctrl_c_during_a_write_leaves_no_temporary_file(made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.write(NAME, b"{}")
    assert sorted(made.iterdir()) == []


# Pruning


def test_pruning_keeps_the_48_newest_of_our_entries_and_nothing_else(made: Path) -> None:
    foreign = [plant(made, name, b"mine") for name in ("notes.txt", "0" * 40 + ".documents.pickle", ".hidden")]
    for number in range(59):
        os.utime(plant(made, entry(number), b"{}"), ns=(number * 10**9, number * 10**9))
    cache.write(entry(59), b"{}")
    kept = {path.name for path in made.iterdir()}
    assert kept == {entry(number) for number in range(12, 60)} | {path.name for path in foreign}


# Keys


def test_a_key_is_40_hex_digits_and_stable() -> None:
    assert cache.key(b"roles", "json") == cache.key(b"roles", "json")
    assert len(cache.key(b"roles")) == 40
    assert cache.ENTRY.fullmatch(f"{cache.key(b'roles')}.documents.json")


def test_a_key_changes_when_any_part_changes() -> None:
    keys = {
        cache.key(b"roles", "json"),
        cache.key(b"roles!", "json"),
        cache.key(b"roles", "json!"),
        cache.key(b"rolesjson"),
        cache.key(b"role", "sjson"),
        cache.key(b"roles", "json", ""),
        cache.key(),
    }
    assert len(keys) == 7


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A stand-in for caremgr's code, with a sub-package, whose fingerprint is recomputed on demand."""
    root = tmp_path / "caremgr_cli"
    (root / "engine").mkdir(parents=True)
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "engine" / "score.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE", root)
    cache._code_fingerprint.cache_clear()
    yield root
    cache._code_fingerprint.cache_clear()


def fresh_key() -> str:
    cache._code_fingerprint.cache_clear()
    return cache.key(b"roles")


def test_a_key_changes_when_a_module_in_a_sub_package_is_touched(package: Path) -> None:
    before = fresh_key()
    assert fresh_key() == before
    os.utime(package / "engine" / "score.py", ns=(10**9, 10**9))
    assert fresh_key() != before


def test_a_key_changes_when_a_module_changes_size_or_is_added(package: Path) -> None:
    module = package / "engine" / "score.py"
    first = fresh_key()
    info = module.stat()
    module.write_text("x = 10\n", encoding="utf-8")
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))  # same time, new size
    second = fresh_key()
    (package / "engine" / "gaps.py").write_text("", encoding="utf-8")
    third = fresh_key()
    assert len({first, second, third}) == 3


@pytest.mark.usefixtures("package")
def test_a_key_changes_with_caremgrs_and_pythons_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    first = fresh_key()
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    second = fresh_key()
    monkeypatch.setattr(sys, "version", "3.99.0")
    third = fresh_key()
    assert len({first, second, third}) == 3
