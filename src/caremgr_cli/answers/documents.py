"""One answers document (a YAML or JSON file, or the questionnaire's answers) -> Answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from caremgr_cli.catalog.models import Catalog
from caremgr_cli.files import DocumentError, Problem, read_text
from caremgr_cli.reading import (
    describe_unknown,
    locate,
    not_a_mapping,
    parse_yaml,
    validate_document,
)

from .model import Answers


def load_answers(path: Path | str, model: type[Answers], catalog: Catalog) -> tuple[dict[str, Any], Answers]:
    """Read an answers document (YAML or JSON, '-' for stdin): the raw document and the answers."""
    name, text = read_text(path)
    data, root = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise not_a_mapping(name, data, root)
    answers = validate_document(data, root, name, model)
    check_skills(answers, catalog, name, root)
    return data, answers


def validate_answers(document: dict[str, Any], model: type[Answers], catalog: Catalog) -> Answers:
    """Answers gathered by the questionnaire, checked as a file's would be."""
    answers = validate_document(document, None, "answers", model)
    check_skills(answers, catalog, "answers")
    return answers


def unknown_skills(answers: Answers, catalog: Catalog) -> list[tuple[str, str]]:
    """(skill id, message) for each rated skill the catalog does not know."""
    known = [skill.id for skill in catalog.skills]
    return [
        (skill_id, describe_unknown("skill", skill_id, known)) for skill_id in answers.skills if skill_id not in known
    ]


def check_skills(answers: Answers, catalog: Catalog, name: str, root: yaml.Node | None = None) -> None:
    """Skill ratings may name only the catalog's skills."""
    problems = [
        Problem(name, message, locate(root, ("skills", skill_id)) if root is not None else None, f"skills.{skill_id}")
        for skill_id, message in unknown_skills(answers, catalog)
    ]
    if problems:
        raise DocumentError(problems)
