"""Role-name completion without loading typer, for the TAB presses that shells repeat.

Only the hot case is answered here: a role name after `compare` or `show` in bash, zsh or
fish, with the packaged or --roles-free catalog. Everything else returns False and typer's
own completion runs. tests/test_completion.py checks that both give the same answers.
"""

from __future__ import annotations

import os
import sys

ROLE_COMMANDS = {"compare": None, "show": 0}  # command -> how many roles may precede (None: any)


def _split(text: str) -> list[str]:
    """Split as click does: like shlex, but keep a partial last token (an open quote)."""
    import shlex

    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:
        words.append(lexer.token)
    return words


def _words(shell: str) -> tuple[list[str], str]:
    """(arguments before the cursor, the word being completed), as typer reads them."""
    if shell == "bash":
        words = _split(os.environ.get("COMP_WORDS", ""))
        index = int(os.environ.get("COMP_CWORD", "0") or 0)
        return words[1:index], words[index] if index < len(words) else ""
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)[1:]
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def complete_fast(instruction: str) -> bool:
    """Print role-name completions and return True, or return False to let typer answer."""
    command, _, shell = instruction.partition("_")
    if command != "complete" or shell not in ("bash", "zsh", "fish") or os.environ.get("CAREMGR_ROLES") is not None:
        return False
    try:
        args, incomplete = _words(shell)
    except ValueError:  # a COMP_CWORD that is not a number: typer reports it
        return False
    if not args or args[0] not in ROLE_COMMANDS or incomplete.startswith("-"):
        return False
    before = args[1:]
    limit = ROLE_COMMANDS[args[0]]
    if any(word.startswith("-") for word in before) or (limit is not None and len(before) > limit):
        return False
    from .cache import load_documents
    from .errors import UserError

    try:
        role_names: dict[str, str] = load_documents()["role_names"]
    except UserError:
        return False
    # Names are lower-case; click keeps only those that start with the typed word as typed.
    matches = [name for name in role_names if name.startswith(incomplete)]
    if shell == "fish" and os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
        sys.exit(0 if matches else 1)
    if shell == "zsh":
        quoted = "\n".join(f'"{name}"' for name in matches)
        text = f"_arguments '*: :(({quoted}))'" if matches else "_files"
    elif shell == "fish" and os.environ.get("_TYPER_COMPLETE_FISH_ACTION") != "get-args":
        text = ""
    else:
        text = "\n".join(matches)
    sys.stdout.write(text + "\n")
    return True
