"""What the engine returns: plain dataclasses, typed for mypy and described for JSON Schema
by pydantic, never re-validated (our own code builds them; see docs/performance.md), and
never changed once built. output/json.py serialises them.

They are not `frozen`: a frozen dataclass sets each field through object.__setattr__, which
made building a person's dozen gaps, reasons and results a fifth of all scoring time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import Field


@dataclass(slots=True)
class Gap:
    kind: str
    message: str
    needed: float | None = None
    have: float | None = None
    unit: str | None = None
    # An any_of gap whose alternatives one is partly met: what that one still lacks.
    closest: str | None = None


@dataclass(slots=True)
class Reason:
    id: str
    points: int
    max_points: int
    message: str


@dataclass(slots=True)
class PreferenceResult:
    """An employer preference of the entry route: shown, never a gap and never scored."""

    id: str
    label: str
    met: bool
    confirmed: bool
    sources: tuple[str, ...]


@dataclass(slots=True)
class EntryResult:
    """The route a person meets a role's entry by, or the nearest one and what it lacks."""

    met: bool
    route: str
    route_name: str
    route_label: str
    gaps: tuple[Gap, ...]
    preferences: tuple[PreferenceResult, ...]
    sources: tuple[str, ...]


@dataclass(slots=True)
class CredentialResult:
    id: str
    name: str
    abbreviation: str
    body: str
    confirmed: bool
    eligible: bool
    progress: Annotated[int, Field(ge=0, le=100)]  # the share of the route's requirements met
    route: str
    route_label: str
    gaps: tuple[Gap, ...]
    eligible_on: date | None
    assumes: str | None  # what a projected date assumes of the current job
    undated_because: str | None  # why no date can be projected, when there is none
    notes: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(slots=True)
class RoleResult:
    id: str
    title: str
    fit: Annotated[int, Field(ge=0, le=100)] | None  # None: no preference or skill was given
    summary: str
    entry: EntryResult
    reasons: tuple[Reason, ...]
    credentials: tuple[CredentialResult, ...]


@dataclass(slots=True)
class CitedSource:
    number: int  # one numbering for the whole catalog: [3] is the same page in every output
    id: str
    title: str
    url: str | None
    as_of: str
    kind: str


@dataclass(slots=True)
class Result:
    schema_version: Literal[2]
    id: str | None
    as_of: date
    ranking: tuple[str, ...]
    roles: tuple[RoleResult, ...]
    warnings: tuple[str, ...]
    disclaimer: str
    sources: tuple[CitedSource, ...]  # every source the result cites, by number


def credential_readiness(credential: CredentialResult) -> tuple[bool, date, int]:
    """Eligible first, then the soonest date, then the most progress (smallest is most ready)."""
    return (not credential.eligible, credential.eligible_on or date.max, -credential.progress)


def advice(result: Result) -> tuple[object, ...]:
    """What a result tells a person to do, apart from fit and warnings: each entry and
    credential, met or not, with its gaps, progress and date. Two answers that give the same
    advice cannot be told apart by what the person would do next."""
    return tuple(
        (
            role.entry.met,
            tuple(gap.message for gap in role.entry.gaps),
            tuple(
                (c.eligible, c.eligible_on, c.progress, tuple(gap.message for gap in c.gaps)) for c in role.credentials
            ),
        )
        for role in result.roles
    )
