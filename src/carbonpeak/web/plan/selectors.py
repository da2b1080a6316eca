"""Read-only queries for plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.plan import Plan, Target
from carbonpeak.web.plan.models import (
    CurrentPlanChoice,
    PlanAction,
    PlanGoal,
    PlanTarget,
    PlanTask,
    PlanTaskUnit,
    PlanUnit,
    PlanVersion,
)


def plan_versions(*, plan_code: str | None = None) -> list[PlanVersion]:
    """Every stored version, newest first; of one plan when ``plan_code`` is given."""
    qs = PlanVersion.objects.order_by("-loaded_at", "-id")
    if plan_code:
        qs = qs.filter(plan_code=plan_code)
    return list(qs)


def plan_version_get(*, plan_code: str | None = None, version: int | None = None) -> PlanVersion | None:
    """A stored version: the given one, else the latest of ``plan_code``, else the current plan."""
    if plan_code is None and version is None:
        return current_plan_version()
    qs = PlanVersion.objects.all()
    if plan_code:
        qs = qs.filter(plan_code=plan_code)
    if version is not None:
        qs = qs.filter(version=version)
    return qs.order_by("-loaded_at", "-version", "-id").first()


def plan_model(*, plan_version: PlanVersion) -> Plan:
    """The stored version as a core :class:`Plan` (rebuilt from its canonical document)."""
    return Plan.model_validate(plan_version.document)


def current_plan_version() -> PlanVersion | None:
    """The plan version the platform runs on (the latest :class:`CurrentPlanChoice`), or ``None``.

    ``None`` means no plan has been loaded (or chosen) yet: pages say so instead of showing numbers.
    """
    choice = CurrentPlanChoice.objects.select_related("plan_version").order_by("-chosen_at", "-id").first()
    return None if choice is None else choice.plan_version


def current_plan() -> Plan | None:
    """The current plan as a core :class:`Plan`, or ``None`` when no plan is loaded.

    A stored version never changes, so the parsed plan is kept per (version id, content hash).
    """
    version = current_plan_version()
    if version is None:
        return None
    key = (version.pk, version.sha256)
    plan = _PLANS.get(key)
    if plan is None:
        plan = plan_model(plan_version=version)
        if len(_PLANS) >= 8:
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = plan
    return plan


_PLANS: dict[tuple[int, str], Plan] = {}
"""Parsed plans by (version id, sha256); see :func:`current_plan`."""


def target_years(target: Target, plan: Plan | None = None) -> tuple[int, int]:
    """The inclusive (first, last) years a target of the current plan (or ``plan``) spans.

    A five-year period gives its years (十四五: 2021-2025), ``from YYYY`` that year to the horizon's end,
    a year the horizon's start to it, and ``ongoing`` the whole horizon.
    """
    plan = plan or current_plan()
    if plan is None:
        raise ValueError("no plan is loaded")
    return target.deadline.years((plan.plan.horizon.start, plan.plan.horizon.end))


def target_period(target: Target, plan: Plan | None = None) -> tuple[date, date]:
    """:func:`target_years` as a (1 January, 31 December) pair of dates."""
    first, last = target_years(target, plan)
    return date(first, 1, 1), date(last, 12, 31)


def target_applies_from(target: Target) -> int | None:
    """The first year a target's rule covers: its ``rule.applies_from``, else a ``from YYYY`` deadline."""
    if target.rule is not None and target.rule.applies_from is not None:
        return target.rule.applies_from
    if target.deadline.kind == "from":
        return int(target.deadline.text.split()[1])
    return None


class NoPlanError(CarbonpeakError):
    """A computation needs the current plan (its region, targets or years) and none is loaded."""


NO_PLAN_MESSAGE = "no plan is loaded; run 'carbonpeak setup --plan FILE' (or 'carbonpeak demo' for the demo)"


def current_region() -> str:
    """The current plan's region code, which selects the reference factors (e.g. a province's).

    Raises
    ------
    NoPlanError
        When no plan is loaded: the platform never assumes a region.
    """
    plan = current_plan()
    if plan is None:
        raise NoPlanError(NO_PLAN_MESSAGE)
    return plan.plan.region


def plan_peak_year(plan: Plan | None = None) -> int | None:
    """The year the plan's carbon peak is due (its ``peak_by`` target's deadline), or ``None``."""
    from carbonpeak.core.plan import Comparator

    plan = plan or current_plan()
    if plan is None:
        return None
    for _, target in plan.all_targets():
        if target.comparator is Comparator.PEAK_BY:
            return target_years(target, plan)[1]
    return None


@dataclass(frozen=True)
class PlanListing:
    """One stored plan version, and whether it is the current plan."""

    plan_code: str
    version: int
    title_zh: str
    title_en: str
    district_zh: str
    loaded_at: Any
    synthetic: bool
    current: bool


def plan_list() -> list[PlanListing]:
    """Every stored plan version, by plan then newest version first, marking the current one."""
    current = current_plan_version()
    return [
        PlanListing(
            v.plan_code,
            v.version,
            v.title_zh,
            v.title_en,
            v.district_zh,
            v.loaded_at,
            v.synthetic,
            current is not None and v.pk == current.pk,
        )
        for v in PlanVersion.objects.order_by("plan_code", "-version")
    ]


def current_targets(indicator_code: str) -> list[Target]:
    """The current plan's targets of one indicator, in file order (with their ``rule`` parameters).

    Providers of computed indicators read their thresholds, scopes and years here, never from code.
    Empty when no plan is loaded or the plan has no such indicator.
    """
    plan = current_plan()
    if plan is None:
        return []
    return [target for _, target in plan.all_targets() if target.indicator == indicator_code]


@dataclass
class PlanFilters:
    """Filters of the plan browser; empty strings mean no filter."""

    unit: str = ""
    action: str = ""
    deadline: str = ""
    kind: str = ""  # "quantitative" or "qualitative"

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.unit or self.action or self.deadline or self.kind)


@dataclass
class TaskView:
    """A task with its units (lead first) and the targets that pass the filters."""

    task: PlanTask
    lead: PlanUnit
    co_units: list[PlanUnit]
    targets: list[PlanTarget]


@dataclass
class ActionView:
    """An action with the tasks that pass the filters."""

    action: PlanAction
    tasks: list[TaskView] = field(default_factory=list)


def _target_filter(filters: PlanFilters) -> Q:
    condition = Q()
    if filters.deadline:
        condition &= Q(deadline=filters.deadline)
    if filters.kind == "quantitative":
        condition &= Q(quantitative=True)
    elif filters.kind == "qualitative":
        condition &= Q(quantitative=False)
    return condition


def plan_browse(*, plan_version: PlanVersion, filters: PlanFilters) -> list[ActionView]:
    """Actions, then tasks, then targets, each task with its units, narrowed by the filters.

    A task is shown when it matches the unit filter (as lead or co-responsible unit) and has at least one
    target passing the deadline and kind filters.
    """
    targets = (
        PlanTarget.objects.filter(_target_filter(filters)).select_related("indicator").order_by("position")
    )
    tasks: QuerySet[PlanTask] = PlanTask.objects.filter(action__plan_version=plan_version).prefetch_related(
        Prefetch("targets", queryset=targets, to_attr="shown_targets"),
        Prefetch("task_units", queryset=PlanTaskUnit.objects.select_related("unit").order_by("position")),
    )
    if filters.action:
        tasks = tasks.filter(action__code=filters.action)
    if filters.unit:
        tasks = tasks.filter(task_units__unit__code=filters.unit)
    by_action: dict[int, ActionView] = {}
    actions = PlanAction.objects.filter(plan_version=plan_version).order_by("position")
    for action in actions:
        by_action[action.pk] = ActionView(action)
    for task in tasks.order_by("action__position", "position").distinct():
        shown = task.shown_targets  # type: ignore[attr-defined]
        if not shown:
            continue
        roles = list(task.task_units.all())
        by_action[task.action_id].tasks.append(
            TaskView(task, roles[0].unit, [r.unit for r in roles[1:]], shown)
        )
    return [view for view in by_action.values() if view.tasks]


def plan_goals(*, plan_version: PlanVersion, filters: PlanFilters) -> list[tuple[PlanGoal, list[PlanTarget]]]:
    """The overall goals with their targets (hidden when filtering by unit or action: goals have none)."""
    if filters.unit or filters.action:
        return []
    goals = []
    for goal in PlanGoal.objects.filter(plan_version=plan_version).order_by("position"):
        shown = list(
            goal.targets.filter(_target_filter(filters)).select_related("indicator").order_by("position")
        )
        if shown:
            goals.append((goal, shown))
    return goals


def plan_filter_options(*, plan_version: PlanVersion) -> dict[str, Any]:
    """Choices for the browser's filters: units, actions and the deadlines that occur."""
    deadlines = sorted(
        set(
            PlanTarget.objects.filter(plan_version=plan_version).values_list("deadline", "deadline_last_year")
        ),
        key=lambda item: (item[1], item[0]),
    )
    return {
        "units": list(PlanUnit.objects.filter(plan_version=plan_version).order_by("position")),
        "actions": list(PlanAction.objects.filter(plan_version=plan_version).order_by("position")),
        "deadlines": [d for d, _ in deadlines],
    }


@dataclass
class UnitResponsibilities:
    """What a unit leads and what it co-leads, with target counts."""

    unit: PlanUnit
    leads: list[PlanTask]
    co_leads: list[PlanTask]
    target_count: int


def unit_responsibilities(*, plan_version: PlanVersion, unit_code: str) -> UnitResponsibilities | None:
    """The tasks a unit leads and co-leads in a plan version (``None`` for an unknown unit)."""
    unit = PlanUnit.objects.filter(plan_version=plan_version, code=unit_code).first()
    if unit is None:
        return None
    roles = (
        PlanTaskUnit.objects.filter(unit=unit)
        .select_related("task__action")
        .prefetch_related("task__targets")
        .order_by("task__action__position", "task__position")
    )
    leads = [r.task for r in roles if r.role == PlanTaskUnit.LEAD]
    co_leads = [r.task for r in roles if r.role == PlanTaskUnit.CO]
    count = PlanTarget.objects.filter(task__in=[*leads, *co_leads]).count()
    return UnitResponsibilities(unit, leads, co_leads, count)


def units_overview(*, plan_version: PlanVersion) -> list[dict[str, Any]]:
    """Every unit with how many tasks it leads and co-leads."""
    rows = []
    for unit in (
        PlanUnit.objects.filter(plan_version=plan_version).prefetch_related("task_roles").order_by("position")
    ):
        roles = list(unit.task_roles.all())
        rows.append(
            {
                "unit": unit,
                "leads": sum(1 for r in roles if r.role == PlanTaskUnit.LEAD),
                "co_leads": sum(1 for r in roles if r.role == PlanTaskUnit.CO),
            }
        )
    return rows


def plan_counts(*, plan_version: PlanVersion) -> dict[str, int]:
    """How many actions, tasks, targets (quantitative and qualitative) and units a version has."""
    targets = PlanTarget.objects.filter(plan_version=plan_version)
    return {
        "actions": PlanAction.objects.filter(plan_version=plan_version, kind="action").count(),
        "tasks": PlanTask.objects.filter(action__plan_version=plan_version).count(),
        "targets": targets.count(),
        "quantitative": targets.filter(quantitative=True).count(),
        "qualitative": targets.filter(quantitative=False).count(),
        "units": PlanUnit.objects.filter(plan_version=plan_version).count(),
    }
