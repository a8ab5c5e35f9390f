"""Entry point for `caremgr` and `python -m caremgr_cli`."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.stdout is None:  # started with stdout closed (`>&-`): nothing could be printed
        if sys.stderr is not None:
            sys.stderr.write("caremgr: standard output is closed; nothing can be printed\n")
        sys.exit(1)
    # `--version` is asked for by scripts and shells often: answer it without loading typer.
    if sys.argv[1:] == ["--version"]:
        _version()
        return
    from .cli.app import app

    app(prog_name="caremgr")


def _version() -> None:
    from . import __version__

    try:
        sys.stdout.write(f"caremgr {__version__}\n")
        sys.stdout.flush()
    except OSError as error:
        from .errors import output_failed, report

        sys.exit(report(output_failed(error)))


if __name__ == "__main__":
    main()
