"""The wheel ships the roles file: install it in a throwaway venv and run it from another folder."""

from __future__ import annotations

import json
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("caremgr-*.whl")
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True)
    # Dependencies come from the test environment, added after the install so that pip cannot
    # mistake this project's copy there for the wheel; the venv's own packages come first.
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = [*site.getsitepackages(), sysconfig.get_path("purelib")]
    (Path(purelib) / "test-deps.pth").write_text("\n".join(deps) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    caremgr = tmp_path / "venv" / "bin" / "caremgr"
    env = {"COLUMNS": "80", "PATH": "/usr/bin:/bin", "CAREMGR_CACHE_DIR": str(tmp_path / "cache")}
    table = subprocess.run(
        [caremgr, "compare", "case", "care"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    assert "\nCredentials ─" in table.stdout
    assert "\x1b" not in table.stdout
    document = json.loads(
        subprocess.run(
            [caremgr, "compare", "--json"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    assert [role["id"] for role in document["roles"]] == ["case-manager", "care-manager"]
    installed = subprocess.run(
        [python, "-c", "from caremgr_cli.files import default_roles_path as p; print(p())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert installed.startswith(str(tmp_path / "venv"))
