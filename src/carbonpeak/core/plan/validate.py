"""Validate a plan document and report every problem with its path inside the file.

Paths look like ``actions[2].tasks[1].targets[0].deadline``: list positions count from 0, as in the
file's own order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from carbonpeak.core.errors import UnitError
from carbonpeak.core.plan.model import VALUED_COMPARATORS, Comparator, Plan, Target
from carbonpeak.core.plan.quotes import quote_states_value
from carbonpeak.core.units import is_convertible, parse_unit


@dataclass(frozen=True, slots=True)
class PlanIssue:
    """One problem in a plan file: where (a path inside the file) and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "text":  # Deadline's inner field: report the deadline itself
            text += f".{part}" if text else str(part)
    return text


def _structure_issues(exc: ValidationError) -> list[PlanIssue]:
    issues = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        path = _path(tuple(error["loc"]))
        if (
            ": " in message
            and not path.endswith(message.split(": ", 1)[0])
            and message.split(": ", 1)[0].isidentifier()
        ):
            field, message = message.split(": ", 1)
            path = f"{path}.{field}" if path else field
        if error["type"] == "missing":
            message = "is required"
        elif error["type"] == "extra_forbidden":
            message = "is not a field of the plan format"
        issues.append(PlanIssue(path, message))
    return issues


def _unit_issue(unit: str) -> str | None:
    try:
        parse_unit(unit)
    except UnitError as exc:
        return str(exc)
    return None


def _check_target(
    path: str, target: Target, plan: Plan, indicators: Mapping[str, Any], horizon: tuple[int, int]
) -> list[PlanIssue]:
    issues: list[PlanIssue] = []
    add = issues.append
    indicator = indicators.get(target.indicator)
    if indicator is None:
        add(PlanIssue(f"{path}.indicator", f"unknown indicator '{target.indicator}'"))
    comparator = target.comparator
    if comparator in VALUED_COMPARATORS:
        if target.value is None and not target.value_note:
            add(
                PlanIssue(
                    f"{path}.value",
                    f"a {comparator.value} target needs a value (or a value_note saying why not)",
                )
            )
        if not target.unit:
            add(PlanIssue(f"{path}.unit", f"a {comparator.value} target needs a unit"))
        elif (problem := _unit_issue(target.unit)) is not None:
            add(PlanIssue(f"{path}.unit", problem))
        elif (
            comparator is not Comparator.REDUCTION_PCT  # a % change of the indicator, whatever its unit
            and indicator is not None
            and indicator.unit
            and _unit_issue(indicator.unit) is None
            and not is_convertible(target.unit, indicator.unit)
        ):
            message = f"'{target.unit}' does not convert to the indicator's unit '{indicator.unit}'"
            add(PlanIssue(f"{path}.unit", message))
    elif target.value is not None:
        add(PlanIssue(f"{path}.value", f"a {comparator.value} target has no value; remove it"))
    if target.value is not None and target.unit == "%":
        low_ok = target.value > 0 if comparator is Comparator.REDUCTION_PCT else target.value >= 0
        if not (low_ok and target.value <= 100):
            add(PlanIssue(f"{path}.value", f"{target.value:g}% is out of range (0-100)"))
    if comparator is Comparator.REDUCTION_PCT:
        if target.unit != "%":
            add(PlanIssue(f"{path}.unit", "a reduction_pct target is in %"))
        if target.baseline_year is None:
            add(PlanIssue(f"{path}.baseline_year", "a reduction_pct target needs the baseline year"))
    if comparator is Comparator.FULL_COVERAGE and (target.value, target.unit) != (100, "%"):
        add(PlanIssue(f"{path}.value", "a full_coverage target is 100 %"))
    if comparator is Comparator.PEAK_BY and target.deadline.kind != "year":
        add(PlanIssue(f"{path}.deadline", "a peak_by target needs a year"))
    first, last = target.deadline.years(horizon)
    if not (horizon[0] <= first and last <= horizon[1]):
        add(
            PlanIssue(
                f"{path}.deadline",
                f"{target.deadline.text} ({first}-{last}) is outside the plan horizon "
                f"{horizon[0]}-{horizon[1]}",
            )
        )
    if target.baseline_year is not None and target.baseline_year >= last:
        add(
            PlanIssue(
                f"{path}.baseline_year", f"baseline {target.baseline_year} is not before the deadline {last}"
            )
        )
    if target.baseline_value is not None and target.baseline_year is None:
        add(PlanIssue(f"{path}.baseline_year", "a baseline value needs its year"))
    return issues


def _check_unique(items: list[tuple[str, str]], what: str) -> list[PlanIssue]:
    seen: dict[str, str] = {}
    issues = []
    for path, key in items:
        if key in seen:
            issues.append(PlanIssue(path, f"duplicate {what} '{key}' (first at {seen[key]})"))
        else:
            seen[key] = path
    return issues


def _derived(
    path: str, target: Target, clause: str, lead: str | None, co: list[str]
) -> tuple[list[PlanIssue], Target]:
    issues = []
    for name, expected in (("clause", clause), ("lead_unit", lead), ("co_units", co)):
        given = getattr(target, name)
        if given is not None and given != expected:
            issues.append(
                PlanIssue(f"{path}.{name}", f"is {given!r} but its place in the plan gives {expected!r}")
            )
    return issues, target.model_copy(update={"clause": clause, "lead_unit": lead, "co_units": list(co)})


def check_plan(plan: Plan, *, source_text: str | None = None) -> tuple[list[PlanIssue], Plan]:
    """Cross-check a structurally valid plan and fill in the derived target fields.

    Checks that identifiers are unique, that every referenced unit and indicator exists, the
    comparator rules (values, units, percentages in range, baselines), that deadlines fall within the
    horizon, that given derived fields agree with their place, and, when ``source_text`` is given, that
    every target's quote appears in it verbatim.

    Returns
    -------
    tuple of (list of PlanIssue, Plan)
        The issues, and the plan with ``clause``, ``lead_unit`` and ``co_units`` filled on every target.
    """
    issues: list[PlanIssue] = []
    horizon = (plan.plan.horizon.start, plan.plan.horizon.end)
    unit_ids = {u.id for u in plan.units}
    indicators = {i.code: i for i in plan.indicators}
    issues += _check_unique([(f"units[{i}].id", u.id) for i, u in enumerate(plan.units)], "unit id")
    issues += _check_unique(
        [(f"indicators[{i}].code", x.code) for i, x in enumerate(plan.indicators)], "indicator code"
    )
    issues += _check_unique([(f"actions[{i}].id", a.id) for i, a in enumerate(plan.actions)], "action id")
    issues += _check_unique([(f"goals[{i}].id", g.id) for i, g in enumerate(plan.goals)], "goal id")
    issues += _check_unique(
        [
            (f"actions[{a}].tasks[{k}].id", t.id)
            for a, act in enumerate(plan.actions)
            for k, t in enumerate(act.tasks)
        ],
        "task id",
    )
    issues += _check_unique([(f"{p}.code", t.code) for p, t in plan.all_targets()], "target code")
    issues += _check_unique(
        [
            (f"actions[{a}].tasks[{k}].clause", t.clause)
            for a, act in enumerate(plan.actions)
            for k, t in enumerate(act.tasks)
        ],
        "task clause",
    )
    for i, indicator in enumerate(plan.indicators):
        if indicator.unit and (problem := _unit_issue(indicator.unit)) is not None:
            issues.append(PlanIssue(f"indicators[{i}].unit", problem))
    for path, target in plan.all_targets():
        found = _check_target(path, target, plan, indicators, horizon)
        issues += found
        if not found and not quote_states_value(target):  # a value already refused is not re-reported
            unit = f" {target.unit}" if target.unit else ""
            issues.append(PlanIssue(f"{path}.value", f"{target.value:g}{unit} is not what the quote states"))
        if source_text is not None and target.quote not in source_text:
            issues.append(PlanIssue(f"{path}.quote", "does not appear verbatim in the plan text"))

    goals = []
    for g, goal in enumerate(plan.goals):
        targets = []
        for t, target in enumerate(goal.targets):
            found, filled = _derived(f"goals[{g}].targets[{t}]", target, goal.clause, None, [])
            issues += found
            targets.append(filled)
        goals.append(goal.model_copy(update={"targets": targets}))
    actions = []
    for a, action in enumerate(plan.actions):
        tasks = []
        for k, task in enumerate(action.tasks):
            for u, unit in enumerate(task.units):
                if unit not in unit_ids:
                    issues.append(PlanIssue(f"actions[{a}].tasks[{k}].units[{u}]", f"unknown unit '{unit}'"))
            if len(set(task.units)) != len(task.units):
                issues.append(PlanIssue(f"actions[{a}].tasks[{k}].units", "names a unit twice"))
            targets = []
            for t, target in enumerate(task.targets):
                found, filled = _derived(
                    f"actions[{a}].tasks[{k}].targets[{t}]",
                    target,
                    task.clause,
                    task.lead_unit,
                    task.co_units,
                )
                issues += found
                targets.append(filled)
            tasks.append(task.model_copy(update={"targets": targets}))
        actions.append(action.model_copy(update={"tasks": tasks}))
    return issues, plan.model_copy(update={"goals": goals, "actions": actions})


def parse_plan(data: Any, *, source_text: str | None = None) -> tuple[Plan | None, list[PlanIssue]]:
    """Validate plan data (as read from YAML or JSON) and return the plan, or every problem found.

    Parameters
    ----------
    data : Any
        The parsed file content: a mapping with ``plan``, ``units``, ``indicators``, ``goals``, ``actions``.
    source_text : str, optional
        The plan's text; when given, every quote must appear in it verbatim.

    Returns
    -------
    tuple of (Plan or None, list of PlanIssue)
        The plan with derived fields filled when there are no issues; otherwise ``None`` and the issues.
    """
    if not isinstance(data, Mapping):
        return None, [PlanIssue("", "the file must hold a mapping with plan, units, indicators and actions")]
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        return None, _structure_issues(exc)
    issues, filled = check_plan(plan, source_text=source_text)
    return (None, issues) if issues else (filled, [])


def plan_document(plan: Plan) -> dict[str, Any]:
    """Return the plan as plain data: the export format, which :func:`parse_plan` loads back unchanged."""
    return plan.model_dump(mode="json")
