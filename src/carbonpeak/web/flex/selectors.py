"""Reads: the VPP's district totals, events with their results and statements, configuration inputs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, Q, Sum

from carbonpeak.core.flex.settlement import Settlement, statement
from carbonpeak.core.tracking.milestones import Milestone
from carbonpeak.web.buildings.models import Building, MeterRollup
from carbonpeak.web.flex.models import Aggregator, DrEvent, EventParticipation, FlexResource

FLEX_TARGETS = (
    "demand_response_virtual_power_plant",
    "building_demand_side_management",
    "smart_microgrid_pilots",
    "pv_storage_pilots",
    "source_grid_load_storage",
)
"""Qualitative plan targets this app reports on (clause 三(一)3 of the reference plan; the codes bind the app
to the plan file, their text and milestones come from the current plan and the tracking module)."""


def resources() -> list[FlexResource]:
    """Every resource with its meter, building and aggregator."""
    return list(FlexResource.objects.select_related("meter__building", "aggregator").order_by("code"))


def aggregators() -> list[Any]:
    """Aggregators with their resource counts and controllable kW."""
    return list(
        Aggregator.objects.annotate(n=Count("resources"), kw=Sum("resources__controllable_kw")).order_by(
            "code"
        )
    )


def events() -> list[DrEvent]:
    """Events, newest first, with participation counts."""
    return list(
        DrEvent.objects.annotate(
            n=Count("participations"),
            opted_in=Count("participations", filter=Q(participations__answer=EventParticipation.OPTED_IN)),
        ).order_by("-start")
    )


def delivered_kwh(event: DrEvent) -> float | None:
    """An event's delivered kWh over its settled resources (``None`` if none could be measured)."""
    values = [
        p.settlement["delivered_kwh"]
        for p in event.participations.filter(answer=EventParticipation.OPTED_IN)
        if p.settlement and p.settlement.get("delivered_kwh") is not None
    ]
    return float(sum(values)) if values else None


def statements(event: DrEvent) -> list[dict[str, Any]]:
    """Per-aggregator statements (core :class:`Statement` as dicts) of a settled event."""
    by_agg: dict[str, list[Settlement]] = {}
    parts = event.participations.filter(answer=EventParticipation.OPTED_IN).select_related(
        "resource__aggregator"
    )
    for p in parts.order_by("resource__code"):
        if p.settlement:
            by_agg.setdefault(p.resource.aggregator.code, []).append(Settlement.from_dict(p.settlement))
    return [statement(code, lines).to_dict() for code, lines in sorted(by_agg.items())]


def event_detail(event: DrEvent) -> dict[str, Any]:
    """An event with its participations and statements."""
    parts = list(event.participations.select_related("resource__aggregator").order_by("resource__code"))
    for p in parts:
        p.baseline_kwh = (  # type: ignore[attr-defined]
            sum(p.baseline["baseline_kw"]) * p.baseline["interval_h"] if p.baseline else None
        )
    return {
        "event": event,
        "participations": parts,
        "statements": statements(event) if event.state == DrEvent.SETTLED else [],
        "delivered_kwh": delivered_kwh(event),
        "synthetic": event.synthetic,
    }


@dataclass(frozen=True)
class Pilot:
    """A pilot microgrid or PV-storage resource and its metered energy over the last 28 days with data."""

    resource: FlexResource
    metered_kwh: float | None
    days: int


def pilots() -> list[Pilot]:
    """Resources flagged as pilot microgrids, with their metered energy over their latest 28 days."""
    out = []
    for r in (
        FlexResource.objects.filter(microgrid_pilot=True).select_related("meter__building").order_by("code")
    ):
        rows = MeterRollup.objects.filter(meter=r.meter, period=MeterRollup.DAY)
        last = rows.order_by("-start").values_list("start", flat=True).first()
        if last is None:
            out.append(Pilot(r, None, 0))
            continue
        window = rows.filter(start__gt=last - timedelta(days=28))
        total = window.aggregate(s=Sum("consumption"), n=Count("start"))
        out.append(Pilot(r, float(total["s"] or 0.0) * r.meter.multiplier, int(total["n"])))
    return out


def _due(milestone: Milestone) -> date:
    return milestone.due


def plan_tasks() -> list[dict[str, Any]]:
    """The plan's qualitative flexibility tasks with their approved milestones (from tracking)."""
    from carbonpeak.web.plan.selectors import current_plan, current_plan_version
    from carbonpeak.web.tracking.selectors import approved_milestones

    plan = current_plan()
    version = current_plan_version()
    if plan is None or version is None:
        return []
    milestones = approved_milestones(plan_code=version.plan_code)
    out: list[dict[str, Any]] = []
    for action in plan.actions:
        for task in action.tasks:
            for target in task.targets:
                if target.code in FLEX_TARGETS:
                    out.append(
                        {
                            "code": target.code,
                            "clause": task.clause,
                            "quote": target.quote,
                            "scope": target.scope,
                            "milestones": sorted(milestones.get(target.code, []), key=_due),
                        }
                    )
    return out


def vpp_summary() -> dict[str, Any]:
    """District totals: flexible MW, events held, delivered MWh, pilots, tasks, and a synthetic flag."""
    total_kw = FlexResource.objects.aggregate(s=Sum("controllable_kw"))["s"] or 0.0
    held = list(DrEvent.objects.filter(state__in=[DrEvent.COMPLETED, DrEvent.SETTLED]))
    delivered = [d for d in (delivered_kwh(e) for e in held if e.state == DrEvent.SETTLED) if d is not None]
    by_kind = {
        k: FlexResource.objects.filter(kind=k).aggregate(s=Sum("controllable_kw"))["s"] or 0.0
        for k, _ in FlexResource.KINDS
    }
    synthetic = (
        FlexResource.objects.filter(synthetic=True).exists()
        or DrEvent.objects.filter(synthetic=True).exists()
    )
    return {
        "flexible_mw": total_kw / 1000,
        "by_kind": [(label, by_kind[k] / 1000) for k, label in FlexResource.KINDS],
        "events_held": len(held),
        "delivered_mwh": sum(delivered) / 1000 if delivered else None,
        "resources": FlexResource.objects.count(),
        "aggregators": Aggregator.objects.count(),
        "pilots": pilots(),
        "tasks": plan_tasks(),
        "synthetic": synthetic,
        "recent_events": events()[:5],
    }


def building_hourly(building: Building, *, days: int = 28) -> tuple[np.ndarray, list[Any]] | None:
    """The building's electricity main-meter hourly load [kW] over its latest ``days`` complete days.

    Returns ``None`` when it has no hourly data; missing hours are NaN (the caller refuses them).
    """
    from carbonpeak.web.buildings.selectors import main_meters

    meters = [m for m in main_meters(building) if m.energy_class == "electricity" and m.unit.lower() == "kwh"]
    if not meters:
        return None
    rows = MeterRollup.objects.filter(meter__in=meters, period=MeterRollup.HOUR)
    last = rows.order_by("-start").values_list("start", flat=True).first()
    if last is None:
        return None
    end = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end - timedelta(days=days)
    hours = [start + timedelta(hours=h) for h in range(days * 24)]
    position = {h: i for i, h in enumerate(hours)}
    load = np.full(len(hours), np.nan)
    multiplier = {m.pk: m.multiplier for m in meters}
    for meter_id, ts, value in rows.filter(start__gte=start, start__lt=end).values_list(
        "meter_id", "start", "consumption"
    ):
        i = position.get(ts)
        if i is not None:
            load[i] = (0.0 if np.isnan(load[i]) else load[i]) + value * multiplier[meter_id]
    return load, hours
