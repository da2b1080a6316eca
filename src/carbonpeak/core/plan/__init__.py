"""The plan as data: a generic schema for any district's carbon-peak plan, with validation by path."""

from carbonpeak.core.plan.model import (
    Action,
    Comparator,
    Deadline,
    Goal,
    Indicator,
    IndicatorMethod,
    Plan,
    PlanDocument,
    PlanMeta,
    ResponsibleUnit,
    Target,
    TargetRule,
    Task,
    UnitKind,
)
from carbonpeak.core.plan.validate import PlanIssue, parse_plan

__all__ = [
    "Action",
    "Comparator",
    "Deadline",
    "Goal",
    "Indicator",
    "IndicatorMethod",
    "Plan",
    "PlanDocument",
    "PlanIssue",
    "PlanMeta",
    "ResponsibleUnit",
    "Target",
    "TargetRule",
    "Task",
    "UnitKind",
    "parse_plan",
]
