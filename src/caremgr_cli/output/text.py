"""Rich tables and text for people. Text from data is always shown literally."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from caremgr_cli.catalog.models import Catalog, Credential, EmployerPreference, EntryRoute, Pay, Role, Route, Source
from caremgr_cli.engine.text import describe_condition
from caremgr_cli.errors import printable

T = TypeVar("T")


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


def describe_pay(pay: Pay, with_note: bool = True) -> str:
    """'$81,220 a year: registered nurses ..., May 2022.' and its note; without the note (for
    compare's brief), without the full stop too."""
    period = "a year" if pay.period == "year" else "an hour"
    when = describe_as_of(pay.as_of) if pay.as_of else "undated"
    text = f"${pay.amount:,} {period}: {pay.label}, {when}"
    if not with_note:
        return text
    return f"{text}." + (f" {pay.note}" if pay.note else "")


class _Hanging:
    """A marker and text with a hanging indent (made by `item`), drawn by wrapping the text rather
    than as a table: `show` prints a hundred of them, and a table apiece doubled its time."""

    def __init__(self, marker: str, text: str, indent: int = 0, style: str = "") -> None:
        self.marker = Text(" " * indent) + Text(marker, style) + " " if marker else Text(" " * indent)
        self.text = literal(text, style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = len(self.marker)
        for number, line in enumerate(self.text.wrap(console, max(options.max_width - width, 1))):
            line.rstrip()  # the blank a line was wrapped at
            yield (self.marker if number == 0 else Text(" " * width)) + line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        measured = Measurement.get(console, options, self.text)
        return Measurement(measured.minimum + len(self.marker), measured.maximum + len(self.marker))


def _bullets(lines: Iterable[str]) -> Group:
    """A bulleted list whose wrapped lines stay under their text."""
    return Group(*(item("•", line) for line in lines))


def _in_every(groups: Sequence[Sequence[T]]) -> list[T]:
    """What every group holds, in the first group's order; nothing when there is one group."""
    first, *rest = groups
    return [item for item in first if all(item in group for group in rest)] if rest else []


# --- compare: one row per topic, each role's side by side; the details are `show`'s -----------


def print_compare(console: Console, catalog: Catalog, roles: list[Role]) -> None:
    """Roles side by side, a topic at a time under a rule; what every role shares is stated
    once, across the columns. Kept to two screens at 80 columns: each credential by its
    summary alone, the seed article's errors counted (`show` has them, and every route)."""
    index = SourceIndex(catalog)
    console.print(_side_by_side([literal(role.title, "bold") for role in roles]))
    for topic, cells, shared in compare_topics(catalog, roles, index):
        console.print(_topic(topic))
        console.print(_side_by_side(cells))
        for line in shared:
            console.print(line)
    print_sources(console, index, _topic("Sources"))


Topic = tuple[str, list[RenderableType], list[RenderableType]]


def compare_topics(catalog: Catalog, roles: list[Role], index: SourceIndex) -> list[Topic]:
    """(topic, a cell for each role, what they all share) in the order shown; a topic no role
    has (credentials, pay figures, the seed article's errors) is left out, as in `show`."""
    every = {1: "Also:", 2: "Both:"}.get(len(roles), "All:")
    topics: list[Topic] = [
        (
            "Care style and work setting",
            [
                Group(
                    literal(f"{sentence(r.care_style.value)}: {r.care_style.text}{index.mark(r.care_style.sources)}"),
                    literal(r.work_setting.text + index.mark(r.work_setting.sources)),
                )
                for r in roles
            ],
            [],
        ),
        (
            "Entry, any one of" if any(len(r.entry) > 1 for r in roles) else "Entry",
            [_bullets(_route_summary(route, index) for route in r.entry) for r in roles],
            [],
        ),
    ]
    if any(r.credentials for r in roles):
        briefs = [[_credential_brief(catalog.credential(c), index) for c in r.credentials] for r in roles]
        topics.append(("Credentials", [_bullets(brief) if brief else literal("none") for brief in briefs], []))
    if any(r.pay for r in roles):
        shared_pay = _in_every([r.pay for r in roles])
        own: list[RenderableType] = [
            _bullets(_pay_brief(p, index) for p in r.pay if p not in shared_pay) if r.pay else literal("no figures")
            for r in roles
        ]
        topics.append(("Pay", own, [item(every, _pay_brief(p, index)) for p in shared_pay]))
    shared_skills = catalog.shared_skills
    topics.append(
        (
            "Skills",
            [literal(sentence(_labels(catalog, "skills", r.skills.ids)) + index.mark(r.skills.sources)) for r in roles],
            [item(every, _labels(catalog, "skills", shared_skills.skills) + index.mark(shared_skills.sources))]
            if shared_skills
            else [],
        )
    )
    if any(r.corrections for r in roles):
        seed = [source.id for source in catalog.sources if source.kind == "seed"]
        topics.append(
            (
                f"Where the seed article{index.mark(seed)} is wrong",
                [literal(f"{_count(len(r.corrections), 'point')}: caremgr show {r.id}") for r in roles],
                [],
            )
        )
    return topics


def _side_by_side(cells: list[RenderableType]) -> Table:
    """One cell per role in columns of equal width, parted by a line."""
    table = Table(box=box.MINIMAL, show_header=False, show_edge=False, expand=True, pad_edge=False, padding=(0, 1))
    for _ in cells:
        table.add_column(ratio=1, overflow="fold")
    table.add_row(*cells)
    return table


def _topic(title: str) -> Rule:
    return Rule(literal(title, "bold"), align="left", characters="─")


def _credential_brief(credential: Credential, index: SourceIndex) -> str:
    """A credential by its summary: its routes are `show`'s, so no rule is stated twice."""
    status = "" if credential.confirmed else " (unconfirmed)"
    return f"{credential.abbreviation}{status}: {credential.summary}{index.mark(credential.sources)}"


def _pay_brief(pay: Pay, index: SourceIndex) -> str:
    return describe_pay(pay, with_note=False) + index.mark(pay.sources)


def _labels(catalog: Catalog, table: str, ids: Iterable[str]) -> str:
    return ", ".join(catalog.label(table, item_id) for item_id in ids)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _route_summary(route: EntryRoute, index: SourceIndex) -> str:
    return f"{sentence(route.name)}: {route.label}{index.mark(route.sources)}"


def _corrections(catalog: Catalog, role: Role, index: SourceIndex) -> list[str]:
    return [
        f"It says: {c.seed_says} In fact: {c.correct}{index.mark(c.sources)}"
        for c in catalog.corrections
        if c.id in role.corrections
    ]


def print_sources(
    console: Console, index: SourceIndex, heading: RenderableType | None = None, links: bool = False
) -> None:
    """The cited sources, each with its address on a line of its own that is never wrapped or
    cut: an address broken in two cannot be copied or clicked. `links` makes each a link (for
    an exported page; a terminal shows the address itself)."""
    console.print(heading or literal("Sources", "bold"))
    for number, source in index.sources():
        marker = f"[{number}]"
        console.print(item(marker, describe_source(source)))
        if source.url:
            indent = " " * (len(marker) + 1)
            fits = len(indent) + len(source.url) <= console.width
            address = literal(source.url, f"link {source.url}" if links else "")
            console.print(Text(indent if fits else "") + address, soft_wrap=True)


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


def _routes(
    catalog: Catalog, routes: Sequence[Route], index: SourceIndex, heading: str | None = None
) -> list[RenderableType]:
    """Routes, any one of which will do, each condition stated once: what every route needs
    first, then each route with only what is its own."""
    shared = _in_every([route.all_of for route in routes])
    notes = {route.note for route in routes}
    shared_note = notes.pop() if len(routes) > 1 and len(notes) == 1 else None
    preferences = _in_every([route.preferences if isinstance(route, EntryRoute) else () for route in routes])
    lines: list[RenderableType] = []
    if shared:
        lines.append(literal("All routes need:"))
        lines += [item("-", describe_condition(catalog, c), 2) for c in shared]
    if shared_note:
        lines.append(item("", shared_note, 2))
    if heading:
        lines.append(literal(heading))
    for route in routes:
        name = f"{sentence(route.name)}: " if isinstance(route, EntryRoute) else ""
        lines.append(item("•", f"{name}{route.label}{index.mark(route.sources)}", style="bold"))
        lines += [item("-", describe_condition(catalog, c), 2) for c in route.all_of if c not in shared]
        if route.note and not shared_note:
            lines.append(item("", route.note, 2))
        if isinstance(route, EntryRoute):
            lines += _preferences([p for p in route.preferences if p not in preferences], index, 2)
    if preferences:
        lines += _preferences(preferences, index, 0, "On every route, employers prefer (not a requirement):")
    return lines


def _preferences(
    preferences: Sequence[EmployerPreference],
    index: SourceIndex,
    indent: int,
    heading: str = "Employers prefer (not a requirement):",
) -> list[RenderableType]:
    if not preferences:
        return []
    items = [item("-", f"{_preference_text(p)}{index.mark(p.sources)}", indent) for p in preferences]
    return [item("", heading, indent), *items]


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
    if len(credential.routes) == 1:  # its summary says it in words: here are its conditions
        (route,) = credential.routes
        parts.append(literal(f"Needs{index.mark(route.sources)}:"))
        parts += [item("-", describe_condition(catalog, c), 2) for c in route.all_of]
        if route.note:
            parts.append(item("", route.note, 2))
    else:
        parts += _routes(catalog, credential.routes, index, "Routes, any one of:")
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
    credentials: list[RenderableType] = [
        Group(*([Text()] if number else []), credential_section(catalog, catalog.credential(credential_id), index))
        for number, credential_id in enumerate(role.credentials)
    ]  # a blank line between credentials
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
        ("Entry routes, any one of" if len(role.entry) > 1 else "Entry route", _routes(catalog, role.entry, index)),
        ("License", [literal(role.license.text + index.mark(role.license.sources))]),
        ("Experience", [literal(role.experience.text + index.mark(role.experience.sources))]),
        ("Skills", [_bullets(catalog.label("skills", s) for s in role.skills.ids)]),
        ("Pay", [_bullets(describe_pay(p) + index.mark(p.sources) for p in role.pay)] if role.pay else []),
        ("Credentials (all voluntary)", credentials),
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


def item(marker: str, text: str, indent: int = 0, style: str = "") -> _Hanging:
    """A marker and text with a hanging indent, so wrapped lines stay under the text."""
    return _Hanging(marker, text, indent, style)
