"""Hand-derived personas: each answers file in tests/data/personas is scored the way the CLI does
(`caremgr quiz --answers FILE --json --as-of 2026-11-29`) and compared with the verdict derived by
hand, from the domain facts and the catalog's rules, in tests/data/personas/verdicts.yaml (each
verdict's `why` writes its arithmetic down). A mismatch is reported in full: every role and
credential of the persona that differs, not just the first.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Invoke

PERSONAS = Path(__file__).parent / "data" / "personas"
VERDICTS: dict[str, Any] = yaml.safe_load((PERSONAS / "verdicts.yaml").read_text(encoding="utf-8"))
AS_OF = "2026-11-29"
NAMES = sorted(VERDICTS)

# Personas must not silently vanish (a verdict deleted, a file renamed).
MIN_PERSONAS = 25


def test_enough_personas() -> None:
    assert len(NAMES) >= MIN_PERSONAS


def test_every_persona_has_a_verdict_and_an_answers_file() -> None:
    files = {path.stem for path in PERSONAS.glob("*.yaml")} - {"verdicts"}
    assert files == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_answers_file_is_named_by_its_id(name: str) -> None:
    document = yaml.safe_load((PERSONAS / f"{name}.yaml").read_text(encoding="utf-8"))
    assert document["id"] == name


def _date(value: object) -> str | None:
    """A verdict's date as the JSON prints it (YAML reads an unquoted date as a date)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _messages(gaps: list[dict[str, Any]] | None) -> list[str]:
    return [str(gap.get("message", "")) for gap in gaps or []]


def _has(substring: str, texts: list[str]) -> bool:
    return any(substring in text for text in texts)


def _index(result: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The result's roles and credentials by id (a credential two roles share is the same)."""
    roles = {role["id"]: role for role in result.get("roles", [])}
    credentials: dict[str, dict[str, Any]] = {}
    for role in roles.values():
        for credential in role.get("credentials", []):
            credentials.setdefault(credential["id"], credential)
    return roles, credentials


def _differences(what: str, got: dict[str, Any], expected: dict[str, Any], keys: dict[str, str]) -> list[str]:
    """`keys` maps a verdict key to the result's key; dates compare as ISO text."""
    problems = []
    for verdict_key, result_key in keys.items():
        if verdict_key not in expected:
            continue
        want = expected[verdict_key]
        want = _date(want) if verdict_key == "eligible_on" else want
        if got.get(result_key) != want:
            problems.append(f"{what}: {verdict_key} {got.get(result_key)!r}, expected {want!r}")
    return problems


def _missing_mentions(what: str, substrings: list[str], texts: list[str]) -> list[str]:
    return [f"{what}: nothing mentions {s!r} (has: {texts})" for s in substrings if not _has(s, texts)]


def compare(name: str, verdict: dict[str, Any], result: dict[str, Any], stderr: str) -> list[str]:
    """Every difference between the hand-derived verdict and the engine's result."""
    problems: list[str] = []
    if result.get("schema_version") != 2:
        problems.append(f"schema_version is {result.get('schema_version')!r}, not 2")
    roles, credentials = _index(result)

    for role_id, expected in (verdict.get("roles") or {}).items():
        if role_id not in roles:
            problems.append(f"role {role_id}: missing from the result")
            continue
        entry = roles[role_id].get("entry") or {}
        problems += _differences(f"role {role_id}", entry, expected, {"entry_met": "met", "entry_route": "route"})

    for credential_id, expected in (verdict.get("credentials") or {}).items():
        if credential_id not in credentials:
            problems.append(f"credential {credential_id}: missing from the result")
            continue
        keys = {"eligible": "eligible", "route": "route", "eligible_on": "eligible_on"}
        problems += _differences(f"credential {credential_id}", credentials[credential_id], expected, keys)

    warnings = [str(warning) for warning in result.get("warnings", [])]
    problems += _missing_mentions("warnings", verdict.get("warnings_include") or [], warnings)
    for credential_id, substrings in (verdict.get("gaps_include") or {}).items():
        messages = _messages((credentials.get(credential_id) or {}).get("gaps"))
        problems += _missing_mentions(f"credential {credential_id} gaps", substrings, messages)
    for role_id, substrings in (verdict.get("entry_gaps_include") or {}).items():
        messages = _messages(((roles.get(role_id) or {}).get("entry") or {}).get("gaps"))
        problems += _missing_mentions(f"role {role_id} entry gaps", substrings, messages)

    everything = [*warnings, stderr]
    for role in roles.values():
        everything += _messages((role.get("entry") or {}).get("gaps"))
    for credential in credentials.values():
        everything += _messages(credential.get("gaps"))
    problems += _missing_mentions("warnings, gaps or stderr", verdict.get("mentions_include") or [], everything)
    return [f"{name}: {problem}" for problem in problems]


@pytest.mark.parametrize("name", NAMES)
def test_persona(name: str, invoke: Invoke) -> None:
    verdict = VERDICTS[name]
    result = invoke(["quiz", "--answers", str(PERSONAS / f"{name}.yaml"), "--json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    problems = compare(name, verdict, document, result.stderr)
    assert not problems, "\n".join(problems) + f"\n\nwhy (hand derivation): {verdict.get('why', '')}"
