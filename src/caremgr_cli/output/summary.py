"""The cohort summary for people: rich tables and bars drawn from the summary document
(cohort.Tally.document), on a terminal or exported through rich's recording console.

Only `caremgr summary` imports this module, inside its command: rich may load here."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich import box  # noqa: TID253 - see the module's docstring
from rich.console import Console, Group, RenderableType  # noqa: TID253
from rich.table import Table  # noqa: TID253
from rich.text import Text  # noqa: TID253

from caremgr_cli.cohort import FIT_BUCKETS, NO_FIT
from caremgr_cli.errors import printable

EXPORT_WIDTH = 100  # columns of an exported summary, whatever the terminal's width
_EIGHTHS = " ▏▎▍▌▋▊▉"
_BAR_STYLE = "cyan"


def _data(text: str, style: str = "") -> Text:
    """Text from the results file: never markup (a Text), never a terminal command (printable)."""
    return Text(printable(text), style=style)


def _number(count: int) -> str:
    return f"{count:,}"


def _share(count: int, whole: int) -> str:
    return f"{100 * count / whole:.1f}%" if whole else "-"


def bar(count: int, most: int, width: int) -> Text:
    """A bar of `width` cells for the largest count, in eighths of a cell; a count above zero
    always shows at least a sliver. Every bar stands beside its number: never colour alone."""
    if most <= 0 or count <= 0:
        return Text("")
    eighths = max(1, round(8 * width * count / most))
    full, part = divmod(eighths, 8)
    return Text("█" * full + (_EIGHTHS[part] if part else ""), style=_BAR_STYLE)


def _table(*headers: str, right: tuple[int, ...] = ()) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for index, header in enumerate(headers):
        table.add_column(header, justify="right" if index in right else "left", no_wrap=index in right)
    return table


def _heading(text: str) -> Text:
    return Text(text, style="bold")


def _bar_width(console: Console, used: int) -> int:
    return max(10, min(40, console.width - used))


def _header(document: dict[str, Any]) -> Text:
    results = document["results"]
    as_of = document["as_of"]
    when = ""
    if as_of is not None:
        first, last = as_of["earliest"], as_of["latest"]
        when = f", as of {first}" if first == last else f", as of {first} to {last}"
    lines = [
        Text.assemble(("Cohort summary of ", "bold"), _data(document["source"], "bold")),
        Text(f"{_number(results)} {'result' if results == 1 else 'results'}{when}"),
    ]
    if document["error_records"]:
        count = document["error_records"]
        were = "record had errors and was" if count == 1 else "records had errors and were"
        lines.append(Text(f"{_number(count)} {were} not scored"))
    if document["bad_lines"]:
        count = document["bad_lines"]
        lines.append(Text(f"{_number(count)} {'line' if count == 1 else 'lines'} could not be read (see stderr)"))
    return Text("\n").join(lines)


def _best_fit(console: Console, document: dict[str, Any]) -> RenderableType:
    roles = document["roles"]
    order = sorted(roles, key=lambda role_id: (-roles[role_id]["best_fit"], role_id))
    most = max((roles[r]["best_fit"] for r in order), default=0)
    table = _table("role", "people", "share", "", right=(1, 2))
    longest = max((len(printable(roles[r]["title"])) for r in order), default=4)
    width = _bar_width(console, longest + 24)
    for role_id in order:
        count = roles[role_id]["best_fit"]
        share = _share(count, document["results"])
        table.add_row(_data(roles[role_id]["title"]), _number(count), share, bar(count, most, width))
    return Group(_heading("Best fit (the first role in each person's ranking)"), table)


def _fit(console: Console, role: dict[str, Any]) -> RenderableType:
    fit = role["fit"]
    most = max(fit.values(), default=0)
    table = _table("fit", "people", "share", "", right=(1, 2))
    width = _bar_width(console, 27)
    for bucket in (*reversed(FIT_BUCKETS), NO_FIT):
        label = "no fit" if bucket == NO_FIT else bucket
        table.add_row(label, _number(fit[bucket]), _share(fit[bucket], role["people"]), bar(fit[bucket], most, width))
    title = Text.assemble(
        ("Fit to the ", "bold"), _data(role["title"], "bold"), (f" role, of {_number(role['people'])}", "bold")
    )
    return Group(title, table)


def _entry(document: dict[str, Any]) -> RenderableType:
    table = _table("Entry to the role", "meet it", "do not (nearest)", right=(1, 2))
    roles = document["roles"]
    for number, role_id in enumerate(sorted(roles)):
        role = roles[role_id]
        entry = role["entry"]
        table.add_row(_data(role["title"], "bold"), "", "", end_section=False)
        routes = entry["routes"]
        for route_id in sorted(routes, key=lambda r: (-routes[r]["met"] - routes[r]["nearest"], r)):
            route = routes[route_id]
            table.add_row(Text("  ") + _data(route["name"]), _number(route["met"]), _number(route["nearest"]))
        table.add_row(
            "  all routes",
            f"{_number(entry['met'])} ({_share(entry['met'], role['people'])})",
            f"{_number(entry['not_met'])} ({_share(entry['not_met'], role['people'])})",
            end_section=number < len(roles) - 1,
        )
    note = Text(
        "Meet it: by the route met (the first, in the roles file's order); do not: by the route nearest to being met.",
        style="dim",
    )
    return Group(table, note)


def _credentials(document: dict[str, Any]) -> RenderableType:
    table = _table(
        "Credential", "now", "by 6 months", "by 12 months", "later", "no date", "people", right=(1, 2, 3, 4, 5, 6)
    )
    credentials = document["credentials"]
    for credential_id in sorted(credentials):
        c = credentials[credential_id]
        table.add_row(
            _data(c["abbreviation"]),
            *(
                _number(c[key])
                for key in ("eligible_now", "within_6_months", "within_12_months", "later", "undated", "people")
            ),
        )
    note = Text(
        "Eligible now, and by 6 and 12 months after the result's date (those eligible now count in both); "
        "later: a date further away; no date: time in the current job alone will not close a gap.",
        style="dim",
    )
    return Group(table, note)


def _gaps(document: dict[str, Any]) -> RenderableType:
    table = _table("", "people", "for", "what they need", right=(0, 1))
    roles, credentials = document["roles"], document["credentials"]
    for number, gap in enumerate(document["top_gaps"], start=1):
        if gap["scope"] == "entry":
            title = roles.get(gap["owner"], {}).get("title", gap["owner"])
            owner = _data(f"{title} entry")
        else:
            owner = _data(credentials.get(gap["owner"], {}).get("abbreviation", gap["owner"]))
        label = _data(gap["label"])
        others = len(gap["wordings"]) - 1
        if others > 0:
            label.append(f" (and {others} other {'wording' if others == 1 else 'wordings'})", style="dim")
        table.add_row(f"{number}", _number(gap["count"]), owner, label)
    shown = len(document["top_gaps"])
    title = f"The {shown} most common gaps, of {_number(document['distinct_gaps'])} (people with each)"
    return Group(_heading(title), table)


def summary_renderables(console: Console, document: dict[str, Any]) -> list[RenderableType]:
    parts: list[RenderableType] = [_header(document)]
    if not document["results"]:
        return [*parts, Text(""), Text("No results to count.")]
    parts += [Text(""), _best_fit(console, document)]
    for role_id in sorted(document["roles"]):
        parts += [Text(""), _fit(console, document["roles"][role_id])]
    parts += [Text(""), _entry(document), Text(""), _credentials(document)]
    if document["top_gaps"]:
        parts += [Text(""), _gaps(document)]
    return parts


def print_summary(console: Console, document: dict[str, Any]) -> None:
    for part in summary_renderables(console, document):
        console.print(part)


def export_summary(document: dict[str, Any], path: Path) -> None:
    """Draw the summary on a recording console and save it as HTML, SVG or text, atomically
    (files.write_atomic: a folder or FIFO is refused, an existing file keeps its mode)."""
    from caremgr_cli.files import write_atomic

    console = Console(
        record=True, file=io.StringIO(), width=EXPORT_WIDTH, color_system="truecolor", force_terminal=True,
        no_color=False, highlight=False, emoji=False,
    )  # fmt: skip
    print_summary(console, document)
    kind = path.suffix.lower()
    if kind == ".html":
        content = console.export_html(inline_styles=True)
    elif kind == ".svg":
        content = console.export_svg(title="caremgr summary")
    else:
        content = console.export_text()
    write_atomic(path, content)
