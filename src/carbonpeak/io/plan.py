"""Read a plan file (YAML or JSON) and validate it; errors name the file and the path inside it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from carbonpeak.core.plan import Plan, PlanIssue, parse_plan
from carbonpeak.core.plan.validate import plan_document


@dataclass
class PlanFile:
    """A plan file as read: the plan when valid, else the issues; notes say what was not checked."""

    path: Path
    plan: Plan | None
    issues: list[PlanIssue]
    notes: list[str] = field(default_factory=list)
    source_text: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file is a valid plan."""
        return self.plan is not None and not self.issues

    def errors(self) -> list[str]:
        """One line per issue: ``FILE: path: reason``."""
        return [f"{self.path.name}: {issue}" for issue in self.issues]


def _load_data(path: Path) -> tuple[Any, PlanIssue | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, PlanIssue("", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text), None
        except json.JSONDecodeError as exc:
            return None, PlanIssue(
                "", f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            )
    try:
        return yaml.safe_load(text), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, PlanIssue("", f"is not valid YAML: {problem}{where}")


def read_plan_file(path: Path) -> PlanFile:
    """Read and validate a plan file.

    ``plan.source_text``, when set, names the plan's text beside the file; every target's quote must
    appear in it verbatim. When that text is not beside the file (an exported copy elsewhere), quotes are
    not checked and a note says so.

    Parameters
    ----------
    path : Path
        A ``.yaml``/``.yml`` or ``.json`` plan file.
    """
    if not path.is_file():
        return PlanFile(path, None, [PlanIssue("", "no such file")])
    data, problem = _load_data(path)
    if problem is not None:
        return PlanFile(path, None, [problem])
    notes: list[str] = []
    source_text = None
    meta = data.get("plan") if isinstance(data, dict) else None
    source_name = meta.get("source_text") if isinstance(meta, dict) else None
    if isinstance(source_name, str) and source_name:
        source_path = path.parent / source_name
        if source_path.is_file():
            source_text = source_path.read_text(encoding="utf-8")
        else:
            notes.append(f"quotes not checked: the plan text {source_name} is not beside {path.name}")
    plan, issues = parse_plan(data, source_text=source_text)
    return PlanFile(path, plan, issues, notes, source_text)


def dump_plan(plan: Plan, fmt: str) -> str:
    """Serialise a plan in the export format (``json`` or ``yaml``); loading it back gives the same plan."""
    document = plan_document(plan)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    raise ValueError(f"unknown format '{fmt}': use json or yaml")
