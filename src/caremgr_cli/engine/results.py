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


@dataclass(slots=True)
class Reason:
    id: str
    points: int
    max_points: int
    message: str


@dataclass(slots=True)
class CredentialResult:
    id: str
    name: str
    abbreviation: str
    body: str
    confirmed: bool
    eligible: bool
    route: str | None
    route_label: str | None
    gaps: tuple[Gap, ...]
    eligible_on: date | None
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class RoleResult:
    id: str
    title: str
    fit: Annotated[int, Field(ge=0, le=100)]
    eligible: bool
    gaps: tuple[Gap, ...]
    reasons: tuple[Reason, ...]
    certifications: tuple[CredentialResult, ...]


@dataclass(slots=True)
class Result:
    schema_version: Literal[1]
    id: str | None
    as_of: date
    ranking: tuple[str, ...]
    roles: tuple[RoleResult, ...]
    warnings: tuple[str, ...]
    disclaimer: str
