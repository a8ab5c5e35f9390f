"""Rich tables and text for people. Text from data is always shown literally."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from caremgr_cli.catalog.models import Catalog, Credential, EmployerPreference, EntryRoute, Pay, Role, Route, Source
from caremgr_cli.engine.results import CredentialResult, EntryResult
from caremgr_cli.engine.text import describe_condition
from caremgr_cli.errors import printable


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def describe_as_of(as_of: str) -> str:
    """'2022-05' reads better as 'May 2022'; full dates and years stay as they are."""
    parts = as_of.split("-")
    return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}" if len(parts) == 2 else as_of


def literal(text: str, style: str = "") -> Text:
    """Data is never markup (a Text, not a string) and never a terminal command (printable)."""
    return Text(printable(text), style=style)


class SourceIndex:
    """[n] markers in the catalog's one numbering (the order of `sources`), so that [3] is the
    same page in show, compare and the quiz; remembers what was cited, for the list below."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.cited: set[str] = set()

    def mark(self, source_ids: Iterable[str]) -> str:
        ids = set(source_ids)
        self.cited |= ids
        numbers = sorted(self.catalog.source_numbers[source_id] for source_id in ids)
        return f" [{','.join(map(str, numbers))}]" if numbers else ""

    def sources(self) -> list[tuple[int, Source]]:
        return [(self.catalog.source_numbers[s.id], s) for s in self.catalog.sources if s.id in self.cited]


def describe_source(source: Source) -> str:
    """A source's title and date, without its address (which goes on a line of its own)."""
    kind = {"secondary": ", secondary source", "seed": ", the seed article"}.get(source.kind, "")
    address = "" if source.url else "; address not recorded"
    return f"{source.title} (as of {describe_as_of(source.as_of)}{kind}{address})"


def describe_pay(pay: Pay) -> str:
    period = "a year" if pay.period == "year" else "an hour"
    when = f", {describe_as_of(pay.as_of)}" if pay.as_of else ", undated"
    note = f" {pay.note}" if pay.note else ""
    return f"${pay.amount:,} {period}: {pay.label}{when}.{note}"


def _bullets(lines: Iterable[str]) -> Text:
    return Text("\n").join(literal(f"• {line}") for line in lines)


def _credential_brief(credential: Credential, index: SourceIndex) -> Text:
    status = "" if credential.confirmed else " (unconfirmed)"
    head = literal(f"{credential.abbreviation}, {credential.body}{status}", "bold")
    lines = [literal(f"{credential.summary}{index.mark(credential.sources)}")]
    if len(credential.routes) > 1:
        lines.append(literal("Routes, any one of:"))
    lines += [literal(f"• {route.label}") for route in credential.routes]
    return Text("\n").join([head, *lines])


def compare_table(catalog: Catalog, roles: list[Role]) -> tuple[Table, SourceIndex]:
    index = SourceIndex(catalog)
    table = Table(box=box.SQUARE, show_lines=True, expand=False, pad_edge=True)
    table.add_column("", style="bold", no_wrap=True)
    for role in roles:
        table.add_column(literal(role.title), ratio=1, overflow="fold")

    shared = catalog.shared_skills

    def row(topic: str, cells: list[RenderableType]) -> None:
        table.add_row(topic, *cells)

    row("Summary", [literal(r.summary.text + index.mark(r.summary.sources)) for r in roles])
    row(
        "Care style",
        [
            literal(f"{r.care_style.value.capitalize()}: {r.care_style.text}{index.mark(r.care_style.sources)}")
            for r in roles
        ],
    )
    row("Duties", [_bullets(d.text + index.mark(d.sources) for d in r.duties) for r in roles])
    row(
        "Work settings",
        [
            literal(
                f"{r.work_setting.text}{index.mark(r.work_setting.sources)} "
                + sentence(", ".join(catalog.label("settings", s) for s in r.settings.ids))
                + "."
                + index.mark(r.settings.sources)
            )
            for r in roles
        ],
    )
    row("Entry routes", [_bullets(_route_summary(route, index) for route in r.entry) for r in roles])
    row("License", [literal(r.license.text + index.mark(r.license.sources)) for r in roles])
    row("Experience", [literal(r.experience.text + index.mark(r.experience.sources)) for r in roles])
    row(
        "Credentials",
        [
            Text("\n\n").join([_credential_brief(catalog.credential(c), index) for c in r.credentials])
            or literal("none")
            for r in roles
        ],
    )
    row(
        "Pay",
        [_bullets(describe_pay(p) + index.mark(p.sources) for p in r.pay) or literal("no figures") for r in roles],
    )
    row(
        "Skills",
        [
            _bullets(
                [sentence(", ".join(catalog.label("skills", s) for s in r.skills.ids)) + index.mark(r.skills.sources)]
                + (
                    [
                        "Every role: "
                        + ", ".join(catalog.label("skills", s) for s in shared.skills)
                        + index.mark(shared.sources)
                    ]
                    if shared
                    else []
                )
            )
            for r in roles
        ],
    )
    row("Corrections", [_bullets(_corrections(catalog, r, index)) for r in roles])
    return table, index


def _route_summary(route: EntryRoute, index: SourceIndex) -> str:
    text = f"{sentence(route.name)}: {route.label}{index.mark(route.sources)}"
    if route.preferences:
        text += ". Employers prefer " + " and ".join(p.label + index.mark(p.sources) for p in route.preferences)
    return text


def _corrections(catalog: Catalog, role: Role, index: SourceIndex) -> list[str]:
    return [
        f"It says: {c.seed_says} In fact: {c.correct}{index.mark(c.sources)}"
        for c in catalog.corrections
        if c.id in role.corrections
    ]


def print_sources(console: Console, index: SourceIndex) -> None:
    """The cited sources, each with its address on a line of its own that is never wrapped or
    cut: an address broken in two cannot be copied or clicked."""
    console.print(literal("Sources", "bold"))
    for number, source in index.sources():
        marker = f"[{number}]"
        console.print(_item(marker, describe_source(source)))
        if source.url:
            indent = " " * (len(marker) + 1)
            fits = len(indent) + len(source.url) <= console.width
            console.print(literal((indent if fits else "") + source.url), soft_wrap=True)


def print_compare(console: Console, catalog: Catalog, roles: list[Role]) -> None:
    table, index = compare_table(catalog, roles)
    console.print(table)
    print_sources(console, index)


def role_list(catalog: Catalog) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("aliases")
    for role in catalog.roles:
        table.add_row(literal(role.id), literal(role.title), literal(", ".join(role.aliases)))
    return table


def _heading(text: str) -> Text:
    return literal(text, "bold underline")


def _route_lines(catalog: Catalog, route: Route, index: SourceIndex) -> list[Text]:
    name = f"{sentence(route.name)}: " if isinstance(route, EntryRoute) else ""
    lines = [literal(f"• {name}{route.label}{index.mark(route.sources)}", "bold")]
    lines += [literal(f"    - {describe_condition(catalog, c)}") for c in route.all_of]
    if route.note:
        lines.append(literal(f"    {route.note}"))
    if isinstance(route, EntryRoute) and route.preferences:
        lines.append(literal("    Employers prefer (not a requirement):"))
        lines += [literal(f"    - {_preference_text(p)}{index.mark(p.sources)}") for p in route.preferences]
    return lines


def _preference_text(preference: EmployerPreference) -> str:
    return preference.label + ("" if preference.confirmed else " (unconfirmed)")


def credential_section(catalog: Catalog, credential: Credential, index: SourceIndex) -> Group:
    title = f"{credential.abbreviation}: {credential.name}, by {credential.body}"
    if credential.formerly:
        title += f" (formerly {credential.formerly})"
    parts: list[RenderableType] = [literal(title + index.mark(credential.sources), "bold")]
    if not credential.confirmed and credential.note:
        parts.append(literal(f"Unconfirmed: {credential.note}", "yellow"))
    parts.append(literal(credential.summary))
    full_time = credential.full_time
    confirmed = "" if full_time.confirmed else " (assumed, unconfirmed)"
    parts.append(
        literal(
            f"Full-time means {full_time.hours_per_week:g} hours a week{confirmed}"
            + (f": {full_time.note}" if full_time.note else "")
            + index.mark(full_time.sources)
        )
    )
    if credential.rules_note:
        parts.append(literal(credential.rules_note + index.mark(credential.rules_note_sources)))
    parts.append(literal("Routes, any one of:" if len(credential.routes) > 1 else "Route:"))
    for route in credential.routes:
        parts.extend(_route_lines(catalog, route, index))
    if credential.exam:
        parts.append(literal(f"Exam: {credential.exam.text}{index.mark(credential.exam.sources)}"))
    if credential.renewal:
        renewal = credential.renewal
        parts.append(literal(f"Renewal: {renewal.text}{index.mark(renewal.sources)}"))
    return Group(*parts)


def print_role(console: Console, catalog: Catalog, role: Role) -> None:
    index = SourceIndex(catalog)
    names = ", ".join([*role.also_called, *role.aliases])
    console.print(literal(f"{role.title} ({role.id})", "bold"))
    if names:
        console.print(literal(f"Also: {names}"))
    sections: list[tuple[str, list[RenderableType]]] = [
        ("Summary", [literal(role.summary.text + index.mark(role.summary.sources))]),
        (
            "Care style",
            [
                literal(
                    f"{role.care_style.value.capitalize()}: {role.care_style.text}"
                    + index.mark(role.care_style.sources)
                )
            ],
        ),
        ("Duties", [_bullets(d.text + index.mark(d.sources) for d in role.duties)]),
        (
            "Work settings",
            [
                literal(role.work_setting.text + index.mark(role.work_setting.sources)),
                _bullets(catalog.label("settings", s) for s in role.settings.ids),
            ],
        ),
        (
            "Entry routes, any one of" if len(role.entry) > 1 else "Entry route",
            [line for route in role.entry for line in _route_lines(catalog, route, index)],
        ),
        ("License", [literal(role.license.text + index.mark(role.license.sources))]),
        ("Experience", [literal(role.experience.text + index.mark(role.experience.sources))]),
        ("Skills", [_bullets(catalog.label("skills", s) for s in role.skills.ids)]),
        ("Pay", [_bullets(describe_pay(p) + index.mark(p.sources) for p in role.pay)] if role.pay else []),
        (
            "Credentials (all voluntary)",
            [credential_section(catalog, catalog.credential(c), index) for c in role.credentials],
        ),
    ]
    corrections = _corrections(catalog, role, index)
    if corrections:
        sections.append(("Where the seed article is wrong", [_bullets(corrections)]))
    for heading, body in sections:
        if not body:  # a role without pay figures or credentials has no such section
            continue
        console.print()
        console.print(_heading(heading))
        for part in body:
            console.print(Padding(part, (0, 0, 0, 2), expand=False))
    console.print()
    print_sources(console, index)


def _bar(fit: int, width: int = 20) -> str:
    filled = round(fit * width / 100)
    return "█" * filled + "░" * (width - filled)


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _item(marker: str, text: str, indent: int = 0, style: str = "") -> Padding:
    """A marker and text with a hanging indent, so wrapped lines stay under the text."""
    if not marker:
        return Padding(literal(text, style), (0, 0, 0, indent), expand=False)
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(literal(marker, style), literal(text, style))
    return Padding(grid, (0, 0, 0, indent), expand=False)


def fit_sources(catalog: Catalog, role_id: str) -> list[str]:
    return [ref for term in catalog.role(role_id).fit for ref in term.sources]


def _print_entry(say: Callable[..., None], entry: EntryResult, index: SourceIndex) -> None:
    marks = index.mark(entry.sources)
    if entry.met:
        say(_item(_mark(True), f"Meets the entry by {entry.route_name}: {entry.route_label}{marks}", 2))
    else:
        say(_item(_mark(False), f"Nearest entry: {entry.route_name}: {entry.route_label}{marks}", 2))
        for gap in entry.gaps:
            say(_item("-", f"{sentence(entry.route_name)} {gap.message}", 4))
    if entry.preferences:
        say(_item("", "Employers on this route prefer (not a requirement):", 4))
        for preference in entry.preferences:
            unconfirmed = "" if preference.confirmed else " (unconfirmed)"
            say(_item(_mark(preference.met), f"{preference.label}{unconfirmed}", 4))


def _print_credential(say: Callable[..., None], credential: CredentialResult, index: SourceIndex) -> None:
    status = _credential_status(credential)
    marks = index.mark(credential.sources)
    say(_item(_mark(credential.eligible), f"{credential.abbreviation}, {credential.body}: {status}{marks}", 2))
    route = "route" if credential.eligible else "nearest route"
    say(_item("", f"{route}: {credential.route_label}", 4))
    for gap in credential.gaps:
        say(_item("-", gap.message, 4))
    for note in credential.notes:
        say(_item("note:", note, 4, "dim"))


def _credential_status(credential: CredentialResult) -> str:
    if credential.eligible:
        return "eligible now"
    progress = f"{credential.progress}% of its requirements met"
    if credential.eligible_on is not None:
        return f"{progress}; eligible on {credential.eligible_on.isoformat()} {credential.assumes}"
    return f"{progress}; no date: {credential.undated_because}"
