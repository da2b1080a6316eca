"""Read-only queries for target tracking: targets, published values, statuses, queues, overdue reports.

Statuses are always computed from *published* values only: computed values from the registry and the
approved version of each reported value. Drafts and pending submissions never change a status.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from carbonpeak.core.plan import Indicator, IndicatorMethod, Plan
from carbonpeak.core.plan.model import Comparator, Target
from carbonpeak.core.tracking import (
    DEFAULT_TRAJECTORY,
    Milestone,
    Observation,
    Status,
    TargetSpec,
    TargetStatus,
    TrackingError,
    target_status,
    trajectory,
)
from carbonpeak.web.plan.models import PlanAction, PlanUnit, PlanVersion
from carbonpeak.web.plan.selectors import current_plan as current_core_plan
from carbonpeak.web.plan.selectors import current_plan_version
from carbonpeak.web.tracking import registry
from carbonpeak.web.tracking.models import (
    AllocatedTargetValue,
    AuditEntry,
    MilestoneVersion,
    ReportedValue,
    ReportingCalendar,
)
from carbonpeak.web.tracking.roles import Roles

COMPUTED = "computed"
REPORTED = "reported"
MILESTONES = "milestones"
STATUS_ORDER = [s.value for s in Status]
"""Statuses in display order."""


@dataclass(frozen=True)
class TargetInfo:
    """A plan target with what tracking needs: its spec, lead unit, action and how its values arrive."""

    code: str
    clause: str
    indicator_code: str
    indicator_zh: str
    indicator_en: str
    comparator: str
    value: float | None
    unit: str
    """Unit of the values [e.g. tce/万元]; for a reduction the indicator's unit, not %."""
    lead_unit: str | None
    """Code of the lead unit (牵头单位); ``None`` for an overall goal (the office's own)."""
    action_code: str | None
    """``None`` for a target of an overall goal."""
    deadline: str
    kind: str
    """``computed`` (a provider is registered), ``reported`` (by the lead unit) or ``milestones``."""
    spec: TargetSpec
    quote: str
    headline: bool = False
    """Shown among the dashboard's headline goals (the plan file's ``headline: true``)."""
    quantitative: bool = True
    provider: str | None = None
    """Name of the registered calculation of the target's indicator, if any."""
    allocated_source: str | None = None
    """The document that allocates the target's value, when the office entered one."""

    @property
    def reportable(self) -> bool:
        """Whether the lead unit reports values of this target."""
        return self.kind == REPORTED


def _value_unit(target: Target, indicator_unit: str) -> str:
    """Unit of the target's values: the indicator's for a reduction (its value is a %), else the target's."""
    if target.comparator is Comparator.REDUCTION_PCT:
        return indicator_unit
    return target.unit or indicator_unit


def _kind(target: Target, indicator: Indicator) -> str:
    """Milestones for a qualitative target; computed when the plan says ``method: computed`` and a
    calculation is registered; otherwise reported by the lead unit (the plan's choice is respected)."""
    if target.comparator is Comparator.QUALITATIVE:
        return MILESTONES
    if indicator.method is IndicatorMethod.COMPUTED and registry.is_computed(indicator.code):
        return COMPUTED
    return REPORTED


def allocated_values(*, plan_code: str) -> dict[str, AllocatedTargetValue]:
    """The latest office-entered allocated value of each target (``services.allocated_value_enter``)."""
    out: dict[str, AllocatedTargetValue] = {}
    for row in AllocatedTargetValue.objects.filter(plan_code=plan_code).order_by("target_code", "version"):
        out[row.target_code] = row
    return out


def tracked_targets(*, plan: Plan) -> list[TargetInfo]:
    """Every target of a plan, goals first, in plan order.

    A target the plan states without a value (allocated by a higher level) takes the office's latest
    allocated value, with its source document, when one is entered.
    """
    horizon = (plan.plan.horizon.start, plan.plan.horizon.end)
    allocated = allocated_values(plan_code=plan.plan.id)
    indicators = {i.code: i for i in plan.indicators}
    pairs: list[tuple[str | None, Target]] = [(None, t) for g in plan.goals for t in g.targets]
    pairs += [(a.id, t) for a in plan.actions for task in a.tasks for t in task.targets]
    out = []
    for action, target in pairs:
        if target.value is None and target.code in allocated:
            target = target.model_copy(update={"value": allocated[target.code].value})
        indicator = indicators[target.indicator]
        out.append(
            TargetInfo(
                code=target.code,
                clause=target.clause or "",
                indicator_code=target.indicator,
                indicator_zh=indicator.name_zh,
                indicator_en=indicator.name_en,
                comparator=target.comparator.value,
                value=target.value,
                unit=_value_unit(target, indicator.unit),
                lead_unit=target.lead_unit,
                action_code=action,
                deadline=target.deadline.text,
                kind=_kind(target, indicator),
                spec=TargetSpec.from_plan(target, horizon),
                quote=target.quote,
                headline=target.headline,
                quantitative=target.quantitative,
                provider=(
                    registry.provider_name(target.indicator) if _kind(target, indicator) == COMPUTED else None
                ),
                allocated_source=(
                    allocated[target.code].source_document if target.code in allocated else None
                ),
            )
        )
    return out


def current_plan() -> tuple[PlanVersion, Plan] | None:
    """The current plan's version and its core model, or ``None`` when no plan is loaded."""
    version = current_plan_version()
    plan = current_core_plan()
    if version is None or plan is None:
        return None
    return version, plan


def target_get(*, plan: Plan, code: str) -> TargetInfo | None:
    """One target of the plan by code."""
    return next((t for t in tracked_targets(plan=plan) if t.code == code), None)


def value_rows(*, plan_code: str, target_code: str | None = None) -> QuerySet[ReportedValue]:
    """Every stored version of reported values (of one target), oldest first."""
    qs = ReportedValue.objects.filter(plan_code=plan_code).select_related("created_by")
    if target_code is not None:
        qs = qs.filter(target_code=target_code)
    return qs.order_by("target_code", "period_end", "version")


def current_versions(rows: Any) -> dict[tuple[str, date], ReportedValue]:
    """The newest version of each (target, period) among ``rows`` (ordered oldest first)."""
    out: dict[tuple[str, date], ReportedValue] = {}
    for row in rows:
        out[(row.target_code, row.period_end)] = row
    return out


def approved_values(*, plan_code: str) -> dict[str, list[ReportedValue]]:
    """The published (newest approved) version of every reported value, by target, oldest period first."""
    rows = value_rows(plan_code=plan_code).filter(state=ReportedValue.APPROVED)
    out: dict[str, list[ReportedValue]] = {}
    for row in current_versions(rows).values():
        out.setdefault(row.target_code, []).append(row)
    for values in out.values():
        values.sort(key=lambda r: r.period_end)
    return out


def visible_history(*, plan_code: str, target: TargetInfo, roles: Roles) -> list[ReportedValue]:
    """The versions of a target's reported values the user may read, newest first.

    Unit members and the office see every version; everyone else only approved versions.
    """
    rows = list(value_rows(plan_code=plan_code, target_code=target.code))
    if not roles.can_read_drafts(target.lead_unit):
        rows = [r for r in rows if r.state == ReportedValue.APPROVED]
    return sorted(rows, key=lambda r: (r.period_end, r.version), reverse=True)


@dataclass
class TargetRow:
    """A target with its status on ``as_of`` (the columns of ``carbonpeak indicators status``)."""

    info: TargetInfo
    result: TargetStatus
    source: str
    synthetic: bool = False
    observations: list[Observation] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.info.code

    @property
    def status(self) -> str:
        return self.result.status.value

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values."""
        r = self.result
        return {
            "code": self.info.code,
            "status": r.status.value,
            "latest_value": r.latest_value,
            "period": r.latest_period.isoformat() if r.latest_period else None,
            "target_value": r.target_value,
            "deadline": self.info.spec.deadline_year,
            "forecast": r.forecast_value,
            "lead_unit": self.info.lead_unit,
            "action": self.info.action_code,
            "indicator": self.info.indicator_code,
            "unit": self.info.unit,
            "kind": self.info.kind,
            "source": self.source,
            "synthetic": self.synthetic,
            "reason": r.reason,
            "value_source": self.value_source,
            "provider": self.info.provider,
            "quantitative": self.info.quantitative,
        }

    @property
    def value_source(self) -> str:
        """Where the row's values come from: ``computed`` (a registered calculation gave values),
        ``reported`` (approved values or milestones of the lead unit) or ``none``."""
        if self.info.kind == MILESTONES:
            return "none" if self.result.status is Status.NO_DATA else "reported"
        if not self.observations:
            return "none"
        return "computed" if self.info.kind == COMPUTED else "reported"


@dataclass(frozen=True)
class TargetFilters:
    """Filters of the targets list; empty strings mean no filter."""

    action: str = ""
    unit: str = ""
    status: str = ""


def _observations(
    info: TargetInfo,
    computed: dict[str, list[registry.ComputedValue]],
    approved: dict[str, list[ReportedValue]],
) -> tuple[list[Observation], str, bool]:
    if info.kind == COMPUTED:
        values = registry.values_for_target(computed.get(info.indicator_code, []), info.code)
        source = values[-1].source if values else "no computed value yet"
        return [v.observation() for v in values], source, any(v.synthetic for v in values)
    rows = approved.get(info.code, [])
    return [Observation(r.period_end, r.value) for r in rows], "reported" if rows else "", False


def target_rows(
    *, as_of: date | None = None, filters: TargetFilters | None = None, plan: Plan | None = None
) -> list[TargetRow]:
    """Every target of the latest plan with its status on ``as_of`` (default: today), filtered.

    Only published values count: computed values and approved reported values.
    """
    if plan is None:
        found = current_plan()
        if found is None:
            return []
        plan = found[1]
    day = as_of or timezone.localdate()
    filters = filters or TargetFilters()
    computed = registry.computed_values()
    approved = approved_values(plan_code=plan.plan.id)
    milestones = approved_milestones(plan_code=plan.plan.id)
    rows = []
    for info in tracked_targets(plan=plan):
        if filters.action and info.action_code != filters.action:
            continue
        if filters.unit and info.lead_unit != filters.unit:
            continue
        observations, source, synthetic = _observations(info, computed, approved)
        steps = milestones.get(info.code, [])
        result = target_status(info.spec, observations, as_of=day, milestones=steps)
        if steps:
            source = "milestones"
        if filters.status and result.status.value != filters.status:
            continue
        rows.append(TargetRow(info, result, source, synthetic, observations))
    return rows


def status_counts(rows: list[TargetRow]) -> dict[str, int]:
    """How many targets have each status (every status present, 0 included)."""
    counts = Counter(r.status for r in rows)
    return {s: counts.get(s, 0) for s in STATUS_ORDER}


@dataclass
class ActionCounts:
    """An action with the counts of its targets by status."""

    code: str
    clause: str
    title_zh: str
    title_en: str
    counts: dict[str, int]
    total: int


def counts_by_action(*, rows: list[TargetRow], plan_version: PlanVersion) -> list[ActionCounts]:
    """Counts of targets by status for each action (the eight green actions, then the safeguards)."""
    out = []
    for action in PlanAction.objects.filter(plan_version=plan_version).order_by("position"):
        mine = [r for r in rows if r.info.action_code == action.code]
        out.append(
            ActionCounts(
                action.code, action.clause, action.title_zh, action.title_en, status_counts(mine), len(mine)
            )
        )
    return out


def due_date(*, indicator_code: str, year: int, calendar: dict[str, tuple[int, int]] | None = None) -> date:
    """When the report of ``indicator_code`` for ``year`` is due (default: 31 January of the next year)."""
    if calendar is None:
        calendar = reporting_calendar()
    month, day = calendar.get(indicator_code, (1, 31))
    return date(year + 1, month, day)


def reporting_calendar() -> dict[str, tuple[int, int]]:
    """Configured due dates (month, day) by indicator code."""
    return {c.indicator_code: (c.due_month, c.due_day) for c in ReportingCalendar.objects.all()}


@dataclass(frozen=True)
class OverdueItem:
    """A report whose due date has passed without a submitted or approved value."""

    target: TargetInfo
    year: int
    due: date
    days_late: int
    state: str
    """``missing``, ``draft`` or ``returned``: how far the unit got."""


def overdue_reports(
    *, as_of: date | None = None, plan: Plan | None = None, unit: str = ""
) -> list[OverdueItem]:
    """Reports past their due date, most recently due first (of one lead unit if ``unit`` is given)."""
    if plan is None:
        found = current_plan()
        if found is None:
            return []
        plan = found[1]
    day = as_of or timezone.localdate()
    calendar = reporting_calendar()
    current = current_versions(value_rows(plan_code=plan.plan.id))
    approved = set(
        ReportedValue.objects.filter(plan_code=plan.plan.id, state=ReportedValue.APPROVED).values_list(
            "target_code", "period_end"
        )
    )
    out = []
    for info in tracked_targets(plan=plan):
        if not info.reportable or (unit and info.lead_unit != unit):
            continue
        for year in range(info.spec.start_year, info.spec.deadline_year + 1):
            due = due_date(indicator_code=info.indicator_code, year=year, calendar=calendar)
            if due >= day:
                break
            period = date(year, 12, 31)
            row = current.get((info.code, period))
            if (info.code, period) in approved or (row is not None and row.state == ReportedValue.SUBMITTED):
                continue
            state = "missing" if row is None else row.state
            out.append(OverdueItem(info, year, due, (day - due).days, state))
    out.sort(key=lambda o: (-o.due.toordinal(), o.target.lead_unit or "", o.target.code))
    return out


def approval_queue(*, plan_code: str) -> list[ReportedValue]:
    """Values whose newest version awaits the office's decision, oldest submission first."""
    current = current_versions(value_rows(plan_code=plan_code))
    pending = [r for r in current.values() if r.state == ReportedValue.SUBMITTED]
    return sorted(pending, key=lambda r: (r.created_at, r.pk))


def unit_names(*, plan_version: PlanVersion) -> dict[str, PlanUnit]:
    """The plan's units by code."""
    return {u.code: u for u in PlanUnit.objects.filter(plan_version=plan_version)}


def audit_log(*, limit: int = 200) -> list[AuditEntry]:
    """The newest audit entries."""
    return list(AuditEntry.objects.select_related("user").order_by("-at", "-id")[:limit])


@dataclass
class Headline:
    """A headline goal: its status row and, for reductions, the change so far against the baseline [%]."""

    row: TargetRow
    change_pct: float | None


def _change_pct(row: TargetRow) -> float | None:
    spec = row.info.spec
    latest = row.result.latest_value
    if spec.baseline_year is None or latest is None:
        return None
    base = spec.baseline_value
    if base is None:
        base = next(
            (o.value for o in row.observations if o.period_end == date(spec.baseline_year, 12, 31)), None
        )
    if not base:
        return None
    return (latest / base - 1.0) * 100.0


@dataclass
class Dashboard:
    """What the home page shows: headline goals, the actions' counts, late and off-track items."""

    headlines: list[Headline]
    actions: list[ActionCounts]
    totals: dict[str, int]
    off_track: list[TargetRow]
    overdue: list[OverdueItem]
    overdue_total: int
    quantitative_total: int = 0
    """The plan's quantitative targets."""
    computed_total: int = 0
    """Quantitative targets whose values are computed from records (a calculation gave values)."""


def dashboard(*, roles: Roles, as_of: date | None = None, limit: int = 8) -> Dashboard | None:
    """The dashboard on ``as_of`` (default today); overdue reports only for internal users."""
    found = current_plan()
    if found is None:
        return None
    version, plan = found
    rows = target_rows(as_of=as_of, plan=plan)
    headlines = [Headline(r, _change_pct(r)) for r in rows if r.info.headline]
    actions = counts_by_action(rows=rows, plan_version=version)
    kinds = dict(PlanAction.objects.filter(plan_version=version).values_list("code", "kind"))
    actions = [a for a in actions if kinds.get(a.code) == "action"]
    late = [r for r in rows if r.status in (Status.OFF_TRACK.value, Status.AT_RISK.value)]
    late.sort(key=lambda r: (r.status != Status.OFF_TRACK.value, -(r.result.gap or 0.0)))
    overdue = overdue_reports(as_of=as_of, plan=plan) if roles.internal else []
    if roles.internal and not (roles.office or roles.analyst):
        overdue = [o for o in overdue if o.target.lead_unit in roles.units]
    quantitative = [r for r in rows if r.info.quantitative]
    computed = sum(1 for r in quantitative if r.value_source == "computed")
    return Dashboard(
        headlines,
        actions,
        status_counts(rows),
        late[:limit],
        overdue[:limit],
        len(overdue),
        quantitative_total=len(quantitative),
        computed_total=computed,
    )


def milestone_rows(*, plan_code: str, target_code: str | None = None) -> QuerySet[MilestoneVersion]:
    """Every stored milestone version (of one target), oldest first."""
    qs = MilestoneVersion.objects.filter(plan_code=plan_code).select_related("created_by")
    if target_code is not None:
        qs = qs.filter(target_code=target_code)
    return qs.order_by("target_code", "number", "version")


def current_milestones(rows: Any) -> dict[tuple[str, int], MilestoneVersion]:
    """The newest version of each (target, milestone number) among ``rows`` (ordered oldest first)."""
    out: dict[tuple[str, int], MilestoneVersion] = {}
    for row in rows:
        out[(row.target_code, row.number)] = row
    return out


def approved_milestones(*, plan_code: str) -> dict[str, list[Milestone]]:
    """The published (newest approved) version of every milestone, as core milestones, by target."""
    rows = milestone_rows(plan_code=plan_code).filter(state=MilestoneVersion.APPROVED)
    out: dict[str, list[Milestone]] = {}
    for row in current_milestones(rows).values():
        out.setdefault(row.target_code, []).append(Milestone(row.name, row.due, row.done))
    return out


def visible_milestones(*, plan_code: str, target: TargetInfo, roles: Roles) -> list[MilestoneVersion]:
    """Milestone versions the user may read, by milestone then newest first (approved only for outsiders)."""
    rows = list(milestone_rows(plan_code=plan_code, target_code=target.code))
    if not roles.can_read_drafts(target.lead_unit):
        rows = [r for r in rows if r.state == MilestoneVersion.APPROVED]
    return sorted(rows, key=lambda r: (r.number, -r.version))


def milestone_queue(*, plan_code: str) -> list[MilestoneVersion]:
    """Milestones whose newest version awaits the office's decision, oldest first."""
    current = current_milestones(milestone_rows(plan_code=plan_code))
    pending = [r for r in current.values() if r.state == MilestoneVersion.SUBMITTED]
    return sorted(pending, key=lambda r: (r.created_at, r.pk))


def target_chart(row: TargetRow) -> dict[str, Any] | None:
    """Series for a target's chart: actual values by year, the trajectory, the target and the forecast.

    For additions the actual series is the running sum within the target's years. The trajectory is
    drawn only when the baseline is known (stated, or a value for the baseline year; 0 for additions), and
    uses the same method as the status rules (compound for reductions, linear otherwise).
    """
    info, result, spec = row.info, row.result, row.info.spec
    if info.kind == MILESTONES or not row.observations:
        return None
    ordered = sorted(row.observations, key=lambda o: o.period_end)
    comparator = Comparator(info.comparator)
    baseline: tuple[int, float] | None = None
    if comparator is Comparator.CUMULATIVE_ADDITION:
        total, actual = 0.0, {}
        for obs in ordered:
            if spec.start_year <= obs.year <= spec.deadline_year:
                total += obs.value
                actual[obs.year] = total
        baseline = (spec.start_year - 1, 0.0)
    else:
        actual = {obs.year: obs.value for obs in ordered}
        if spec.baseline_year is not None:
            value = spec.baseline_value if spec.baseline_value is not None else actual.get(spec.baseline_year)
            baseline = None if value is None else (spec.baseline_year, value)
    years = sorted(set(actual) | {spec.deadline_year})
    path: dict[int, float] = {}
    if baseline is not None and result.target_value is not None and not spec.in_force:
        start, base = baseline
        method = DEFAULT_TRAJECTORY.get(comparator, "linear")
        span = list(range(start, spec.deadline_year + 1))
        try:
            values = trajectory(
                base,
                result.target_value,
                start=start,
                end=spec.deadline_year,
                at=[float(y) for y in span],
                method=method,
            )
        except TrackingError:
            values = []
        path = dict(zip(span, values, strict=False))
        years = sorted(set(years) | set(path))
    return {
        "years": years,
        "actual": [actual.get(y) for y in years],
        "trajectory": [path.get(y) for y in years] if path else [],
        "target": [result.target_value if y == spec.deadline_year else None for y in years],
        "forecast": [result.forecast_value if y == spec.deadline_year else None for y in years],
        "unit": info.unit,
    }


def assessment_as_of(year: int, today: date | None = None) -> date:
    """The evaluation date of year ``year``'s assessment: 31 March of the next year, or today if earlier.

    Reports for a year fall due on 31 January of the next year (the default calendar); the office assesses
    in the first quarter.
    """
    return min(today or timezone.localdate(), date(year + 1, 3, 31))


def assessment_document(
    *, year: int, as_of: date | None = None, rubric: str = "default"
) -> dict[str, Any] | None:
    """The annual assessment (every target's status, each unit's score, late and off-track items) as a
    plain document for :func:`carbonpeak.io.report.write_annual_report`; ``None`` when no plan is loaded.

    Only published values count (computed values and approved reports), as on the dashboard.
    """
    from carbonpeak.core.tracking.scorecard import TargetRow as ScoreRow
    from carbonpeak.io.report import annual_report_document

    found = current_plan()
    if found is None:
        return None
    version, plan = found
    day = as_of or assessment_as_of(year)
    co_units = {target.code: tuple(target.co_units or ()) for _, target in plan.all_targets()}
    late = {o.target.code for o in overdue_reports(as_of=day, plan=plan)}
    statuses = target_rows(as_of=day, plan=plan)
    rows = [
        ScoreRow(
            code=r.info.code,
            action=r.info.action_code or "",
            lead_unit=r.info.lead_unit,
            co_units=co_units.get(r.info.code, ()),
            status=r.result.status,
            latest_value=r.result.latest_value,
            period=str(r.result.latest_period.year) if r.result.latest_period else None,
            target_value=r.result.target_value,
            deadline=r.info.deadline,
            forecast=r.result.forecast_value,
            overdue=r.info.code in late,
        )
        for r in statuses
    ]
    synthetic = version.synthetic or any(r.synthetic for r in statuses)
    return annual_report_document(
        year=year,
        plan_title=plan.plan.title_zh,
        rows=rows,
        generated_at=timezone.now(),
        synthetic=synthetic,
        unit_names={u.id: u.name_zh for u in plan.units},
        action_names={a.id: a.title_zh for a in plan.actions},
        units=[u.id for u in plan.units if not u.collective],
        rubric=rubric,
    )
