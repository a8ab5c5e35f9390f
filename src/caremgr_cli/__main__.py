"""Entry point for `caremgr` and `python -m caremgr_cli`."""

from __future__ import annotations

import sys


def main() -> None:
    # `--version` is asked for by scripts and shells often: answer it without loading typer.
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"caremgr {__version__}\n")
        return
    from .cli.app import app

    app(prog_name="caremgr")


if __name__ == "__main__":
    main()
