"""A person's next steps, read from their result: what to do first, in plain words.

Pure: a function of a result alone. The best-ranked role comes first: its entry if not met,
else its credentials from the most ready; then the other roles' the same way."""

from __future__ import annotations

from .results import CredentialResult, Gap, Result, RoleResult, credential_readiness


def next_steps(result: Result, limit: int = 3) -> list[str]:
    """Up to `limit` steps, most useful first; each names what it is for and what it brings."""
    steps: list[str] = []
    seen: set[str] = set()  # a credential two roles share is one step
    for role in result.roles:
        steps += _role_steps(role, seen)
    return list(dict.fromkeys(steps))[:limit]


def _role_steps(role: RoleResult, seen: set[str]) -> list[str]:
    entry = role.entry
    if not entry.met:
        return [f"{role.title}: {entry.route_name} {_first(entry.gaps)}"] if entry.gaps else []
    steps = []
    for credential in sorted(role.credentials, key=credential_readiness):
        # A credential that asks for a license the person lacks belongs to another profession
        # (CMGT-BC to nurses): not a next step for a social worker; it stays in the details.
        if credential.id in seen or any(gap.kind == "license" for gap in credential.gaps):
            continue
        seen.add(credential.id)
        steps.append(_credential_step(credential))
    return steps


def _credential_step(credential: CredentialResult) -> str:
    if credential.eligible:
        return f"{credential.abbreviation}: eligible now; you can apply"
    first = _first(credential.gaps)
    if credential.eligible_on is not None:
        on = credential.eligible_on.isoformat()
        return f"{credential.abbreviation}: {first}; eligible on {on} {credential.assumes}"
    return f"{credential.abbreviation}: {first}"


def _first(gaps: tuple[Gap, ...]) -> str:
    """The first gap in a step's few words: of alternatives, the one nearest to met."""
    if not gaps:
        return ""
    return gaps[0].closest or gaps[0].message
