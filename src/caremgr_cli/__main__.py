"""Entry point for `caremgr` and `python -m caremgr_cli`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    # `--version` is asked for by scripts and shells often: answer it without loading typer.
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"caremgr {__version__}\n")
        return
    # Shells ask for completions on every TAB: role names come from the cache, not from typer.
    instruction = os.environ.get("_CAREMGR_COMPLETE")
    if instruction:
        from .completion import complete_fast

        if complete_fast(instruction):
            return
    # Scripts run `quiz --answers FILE --json` in loops: the plainest spellings skip typer.
    from .shortcuts import run

    if run(sys.argv[1:]):
        return
    from .cli import app

    app(prog_name="caremgr")


if __name__ == "__main__":
    main()
