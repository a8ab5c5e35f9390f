"""The quiz's results page: the answer first (each role's verdict, the warnings, the next
steps), then every point and gap, then the sources. The same page goes to the terminal and,
recorded, to an HTML, SVG or text file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from caremgr_cli.catalog.models import Catalog
from caremgr_cli.engine.results import CredentialResult, EntryResult, Result
from caremgr_cli.engine.steps import next_steps

from .console import trim
from .text import SourceIndex, item, literal, print_sources, sentence

EXPORT_FORMATS = {".html": "html", ".htm": "html", ".svg": "svg", ".txt": "text"}
EXPORT_WIDTH = 88


def print_report(
    console: Console,
    catalog: Catalog,
    result: Result,
    *,
    plain: bool = False,
    answers: list[tuple[str, str]] | None = None,
    links: bool = False,
) -> None:
    """The whole page. `answers` (short name, answer) are listed when given: an export says
    what the results were worked out from. `links` makes the sources' addresses links."""
    say = console.print
    index = SourceIndex(catalog)
    say(literal(f"Results as of {result.as_of.isoformat()}" + (f" for {result.id}" if result.id else ""), "bold"))
    say()
    width = max(len(role.title) for role in result.roles)
    for rank, role in enumerate(result.roles, start=1):
        bar = "" if plain or role.fit is None else f"{_bar(role.fit, 12)}  "
        say(item(f"{rank}.", f"{role.title.ljust(width)}  {bar}{role.summary}"))
    fits = [role.fit for role in result.roles]
    if len(fits) > 1 and fits[0] is not None and fits[0] == fits[1]:
        say(literal("   Equal fits are ranked by how ready you are for each role.", "dim"))
    if result.warnings:
        say(literal("Check these answers:", "bold"))
        for warning in result.warnings:
            say(item("!", warning, 1, "yellow"))
    steps = next_steps(result)
    if steps:
        say(literal("Next steps:", "bold"))
        for number, step in enumerate(steps, start=1):
            say(item(f"{number}.", step, 1))
    say(literal("Below: each role's fit point by point, every gap, and the sources.", "dim"))
    if answers:
        say()
        say(literal("Your answers", "bold underline"))
        for name, value in answers:
            say(item("-", f"{name}: {value}", 1))
    _print_details(console, catalog, result, index)
    say()
    say(literal(result.disclaimer))
    print_sources(console, index, links=links)


def _print_details(console: Console, catalog: Catalog, result: Result, index: SourceIndex) -> None:
    say = console.print
    for role in result.roles:
        say()
        fit = f"fit {role.fit}/100" if role.fit is not None else "no fit"
        say(literal(f"{role.title}: {fit}", "bold underline"))
        _entry(say, role.entry, index)
        say(literal("  Credentials (voluntary):"))
        for credential in role.credentials:
            _credential(say, credential, index)
        say(literal(f"  Why this fit{index.mark(_fit_sources(catalog, role.id))}:"))
        for reason in role.reasons:
            say(item(f"{reason.points:3}/{reason.max_points:<3}", reason.message, 2))
        total = sum(r.points for r in role.reasons), sum(r.max_points for r in role.reasons)
        say(item(f"{total[0]:3}/{total[1]:<3}", f"in all, {fit}", 2))


def export_format(path: Path) -> str | None:
    """'html', 'svg' or 'text' by the file's extension; None for any other."""
    return EXPORT_FORMATS.get(path.suffix.lower())


def render_export(catalog: Catalog, result: Result, answers: list[tuple[str, str]], kind: str) -> str:
    """The results page as a document of this kind, recorded by rich (not hand-written)."""
    # Wide enough for the longest address, which is never wrapped (an SVG would cut it off);
    # a height too, or rich takes a dumb TERM to mean 80 columns whatever the width.
    width = max([EXPORT_WIDTH, *(len(source.url or "") for source in catalog.sources)])
    console = Console(
        record=True, file=io.StringIO(), width=width, height=50, highlight=False, emoji=False,
        force_terminal=kind != "text", color_system="truecolor" if kind != "text" else None,
    )  # fmt: skip
    print_report(console, catalog, result, plain=kind == "text", answers=answers, links=kind == "html")
    title = f"caremgr results as of {result.as_of.isoformat()}"
    if kind == "html":
        return console.export_html()
    if kind == "svg":
        return console.export_svg(title=title)
    return trim(console.export_text())


def _bar(fit: int, width: int = 20) -> str:
    filled = round(fit * width / 100)
    return "█" * filled + "░" * (width - filled)


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _fit_sources(catalog: Catalog, role_id: str) -> list[str]:
    return [ref for term in catalog.role(role_id).fit for ref in term.sources]


def _entry(say: Callable[..., None], entry: EntryResult, index: SourceIndex) -> None:
    marks = index.mark(entry.sources)
    if entry.met:
        say(item(_mark(True), f"Meets the entry by {entry.route_name}: {entry.route_label}{marks}", 2))
    else:
        say(item(_mark(False), f"Nearest entry: {entry.route_name}: {entry.route_label}{marks}", 2))
        for gap in entry.gaps:
            say(item("-", f"{sentence(entry.route_name)} {gap.message}", 4))
    if entry.preferences:
        say(item("", "Employers on this route prefer (not a requirement):", 4))
        for preference in entry.preferences:
            unconfirmed = "" if preference.confirmed else " (unconfirmed)"
            say(item(_mark(preference.met), f"{preference.label}{unconfirmed}", 4))


def _credential(say: Callable[..., None], credential: CredentialResult, index: SourceIndex) -> None:
    status = _status(credential)
    marks = index.mark(credential.sources)
    say(item(_mark(credential.eligible), f"{credential.abbreviation}, {credential.body}: {status}{marks}", 2))
    route = "route" if credential.eligible else "nearest route"
    say(item("", f"{route}: {credential.route_label}", 4))
    for gap in credential.gaps:
        say(item("-", gap.message, 4))
    for note in credential.notes:
        say(item("note:", note, 4, "dim"))


def _status(credential: CredentialResult) -> str:
    if credential.eligible:
        return "eligible now"
    progress = f"{credential.progress}% of its requirements met"
    if credential.eligible_on is not None:
        return f"{progress}; eligible on {credential.eligible_on.isoformat()} {credential.assumes}"
    return f"{progress}; no date: {credential.undated_because}"
