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
    try:
        from .cli.app import app

        app(prog_name="caremgr")
    except KeyboardInterrupt:  # before a command took over (still loading): no traceback either
        from .errors import report

        sys.exit(report(KeyboardInterrupt()))
    except SystemExit:
        _flush()  # typer's own output (--help, completion scripts) may not have reached a full disk yet
        raise
    except (OSError, RuntimeError) as error:  # from typer's own work: --help, completion
        from .errors import OUTPUT_ERRORS, UserError, output_failed, report

        if isinstance(error, OSError) and error.errno in OUTPUT_ERRORS:
            sys.exit(report(output_failed(error)))
        if not {"--install-completion", "--show-completion"} & set(sys.argv):
            raise
        sys.exit(report(UserError([f"caremgr: cannot set up completion: {error}"])))  # no home, HOME a file


def _flush() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head -1`): it has what it wanted
        from .errors import reader_gone

        reader_gone()
    except OSError as error:
        from .errors import output_failed, report

        sys.exit(report(output_failed(error)))


def _version() -> None:
    from . import __version__

    try:
        sys.stdout.write(f"caremgr {__version__}\n")
    except OSError as error:
        from .errors import output_failed, report

        sys.exit(report(output_failed(error)))
    _flush()


if __name__ == "__main__":
    main()
