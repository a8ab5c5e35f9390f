from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from caremgr_cli.files import DocumentError, Problem, write_atomic


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    place = tmp_path / "answers"
    place.mkdir()
    return place


@pytest.fixture
def no_umask() -> Iterator[None]:
    previous = os.umask(0)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def problems(error: pytest.ExceptionInfo[DocumentError]) -> list[Problem]:
    return error.value.problems


@pytest.mark.usefixtures("no_umask")
def test_a_new_file_is_private_even_with_no_umask(folder: Path) -> None:
    target = folder / "answers.yaml"
    write_atomic(target, "name: Ada\n")
    assert target.read_text(encoding="utf-8") == "name: Ada\n"
    assert mode(target) == 0o600
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]


@pytest.mark.usefixtures("no_umask")
def test_new_mode_is_used_as_given(folder: Path) -> None:
    target = folder / "shared.txt"
    write_atomic(target, b"x", new_mode=0o640)
    assert mode(target) == 0o640


def test_bytes_are_written_as_given(folder: Path) -> None:
    target = folder / "blob"
    write_atomic(target, b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"


def test_an_existing_file_keeps_its_mode_and_gets_the_new_content(folder: Path) -> None:
    target = folder / "answers.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o644)
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert mode(target) == 0o644
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]


def test_set_id_bits_of_an_existing_file_are_not_carried_over(folder: Path) -> None:
    target = folder / "answers.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o2640)
    write_atomic(target, "new\n")
    assert mode(target) == 0o640


def test_a_symlink_stays_a_symlink_and_its_target_gets_the_content(folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = elsewhere / "real.yaml"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = folder / "answers.yaml"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert link.readlink() == real
    assert real.read_text(encoding="utf-8") == "new\n"
    assert mode(real) == 0o640
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]
    assert sorted(path.name for path in elsewhere.iterdir()) == ["real.yaml"]


def test_a_dangling_symlink_into_an_existing_folder_creates_its_target(folder: Path) -> None:
    link = folder / "answers.yaml"
    link.symlink_to(folder / "real.yaml")
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert (folder / "real.yaml").read_text(encoding="utf-8") == "new\n"
    assert mode(folder / "real.yaml") == 0o600


def test_a_dangling_symlink_into_a_missing_folder_cannot_save(folder: Path) -> None:
    link = folder / "answers.yaml"
    link.symlink_to(folder / "missing" / "real.yaml")
    with pytest.raises(DocumentError) as error:
        write_atomic(link, "new\n")
    assert problems(error) == [Problem(str(link), "cannot save: No such file or directory")]
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]


def test_a_symlink_loop_cannot_save(folder: Path) -> None:
    first, second = folder / "a", folder / "b"
    first.symlink_to(second)
    second.symlink_to(first)
    with pytest.raises(DocumentError, match="cannot save"):
        write_atomic(first, "new\n")
    assert first.is_symlink()
    assert second.is_symlink()
    assert sorted(path.name for path in folder.iterdir()) == ["a", "b"]


def test_a_fifo_is_refused_without_being_opened(folder: Path) -> None:
    target = folder / "answers.yaml"
    os.mkfifo(target)
    with pytest.raises(DocumentError) as error:
        write_atomic(target, "new\n")  # opening the FIFO would block this test forever
    assert problems(error) == [Problem(str(target), "is not a regular file (a FIFO)")]
    assert str(error.value.problems[0]) == f"{target}: is not a regular file (a FIFO)"
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]


def test_a_symlink_to_a_fifo_is_refused(folder: Path) -> None:
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    link = folder / "answers.yaml"
    link.symlink_to(fifo)
    with pytest.raises(DocumentError, match=r"is not a regular file \(a FIFO\)"):
        write_atomic(link, "new\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_folder_is_refused(folder: Path) -> None:
    target = folder / "answers.yaml"
    target.mkdir()
    with pytest.raises(DocumentError) as error:
        write_atomic(target, "new\n")
    assert problems(error) == [Problem(str(target), "is a folder, not a file")]
    assert target.is_dir()
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]


def test_a_missing_folder_cannot_save(folder: Path) -> None:
    target = folder / "missing" / "answers.yaml"
    with pytest.raises(DocumentError) as error:
        write_atomic(target, "new\n")
    assert problems(error) == [Problem(str(target), "cannot save: No such file or directory")]
    assert sorted(path.name for path in folder.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "answers.yaml"
    target.write_text("old\n", encoding="utf-8")

    def full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DocumentError) as error:
        write_atomic(target, "new\n")
    assert problems(error) == [Problem(str(target), "cannot save: No space left on device")]
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]


def test_ctrl_c_during_the_write_leaves_the_old_file_and_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "answers.yaml"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(_descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(path.name for path in folder.iterdir()) == ["answers.yaml"]


def test_a_symlink_planted_at_the_old_temporary_name_is_not_written_through(folder: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    planted = folder / f".answers.yaml.{os.getpid()}.tmp"
    planted.symlink_to(victim)
    target = folder / "answers.yaml"
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert not target.is_symlink()
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert planted.is_symlink()
    assert sorted(path.name for path in folder.iterdir()) == sorted([planted.name, "answers.yaml"])


def test_a_read_only_folder_cannot_save(folder: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    target = folder / "answers.yaml"
    folder.chmod(0o500)
    try:
        with pytest.raises(DocumentError, match="cannot save: Permission denied"):
            write_atomic(target, "new\n")
    finally:
        folder.chmod(0o700)
    assert sorted(path.name for path in folder.iterdir()) == []
