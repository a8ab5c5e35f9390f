from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from caremgr_cli.cli.app import app

DATA = Path(__file__).parent / "data"
Invoke = Callable[..., Result]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run the app as a user would, at a fixed width, colour off, no roles override."""
    monkeypatch.delenv("CAREMGR_ROLES", raising=False)

    def run(args: list[str], input: str | None = None, env: dict[str, str] | None = None) -> Result:
        full_env = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", **(env or {})}
        return CliRunner().invoke(app, args, input=input, env=full_env, prog_name="caremgr")

    return run


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update or not path.exists():
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}; rerun with --update-golden"


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the programs they start) keep their catalog cache away from the real home."""
    import os

    os.environ["CAREMGR_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
