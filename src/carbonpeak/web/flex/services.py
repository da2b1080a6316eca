"""Writes: aggregators, the resource registry import, events through their lifecycle, dispatch, settlement.

Every event transition is a service that checks the current state, writes the new one and records an entry
in the tracking audit log (who, when, before, after), in one transaction. Lifecycle::

    draft --notify--> notified --(answers: opted in / opted out per resource)--> activate --> active
          --complete--> completed --settle--> settled

Settlement measures each opted-in resource on its meter's hourly rollups (never raw readings) against the
event's baseline method, then pays by the event's settlement rule.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.flex import FlexInputError
from carbonpeak.core.flex.baselines import DayCalendar, compute_baseline
from carbonpeak.core.flex.dispatch import DispatchResource, allocate
from carbonpeak.core.flex.settlement import SettlementRule, settle
from carbonpeak.io.flex import read_resource_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.models import Meter, MeterRollup
from carbonpeak.web.flex.models import Aggregator, DrEvent, EventParticipation, FlexResource
from carbonpeak.web.portal.uploads import UploadRejectedError, tabular_upload_check
from carbonpeak.web.tracking.services import Actor, audit_record

TZ = ZoneInfo("Asia/Shanghai")
LOOKBACK_DAYS = 45
"""Days of hourly rollups read before an event for its baseline (CAISO 45-day look-back, FACTS.md §9 [R])."""


class FlexStateError(CarbonpeakError, ValueError):
    """A lifecycle step that the event's current state does not allow (the message says which)."""


def token_hash(token: str) -> str:
    """The stored form of an aggregator token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def aggregator_create(
    *, actor: Actor, code: str, name: str, ven_name: str = "", contact: str = "", synthetic: bool = False
) -> tuple[Aggregator, str]:
    """Create an aggregator; return it with its REST token (shown once, stored only hashed)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        agg = Aggregator.objects.create(
            code=code,
            name=name,
            ven_name=ven_name,
            contact=contact,
            token_sha256=token_hash(token),
            synthetic=synthetic,
        )
        audit_record(actor=actor, action="flex.aggregator.create", object_type="aggregator", object_id=code)
    return agg, token


@dataclass
class ImportOutcome:
    """Rows created, updated and unchanged, or the errors that rejected the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def resources_import(
    *, actor: Actor, rows: Sequence[dict[str, Any]], label: str = "resources", synthetic: bool = False
) -> ImportOutcome:
    """Create or update resources by id from validated rows; an unknown meter or aggregator rejects all."""
    outcome = ImportOutcome()
    meters = {m.code: m for m in Meter.objects.filter(code__in={r["meter_id"] for r in rows})}
    aggs = {a.code: a for a in Aggregator.objects.filter(code__in={r["aggregator_id"] for r in rows})}
    for row in rows:
        problems = []
        if row["meter_id"] not in meters:
            problems.append(("meter_id", f"unknown meter '{row['meter_id']}'"))
        if row["aggregator_id"] not in aggs:
            problems.append(("aggregator_id", f"unknown aggregator '{row['aggregator_id']}'"))
        if problems:
            outcome.errors.append(RowError(label, row["row"], tuple(problems)))
    if outcome.errors:
        return outcome
    with transaction.atomic():
        for row in rows:
            values = {
                "name": row["name"],
                "kind": row["kind"],
                "meter": meters[row["meter_id"]],
                "aggregator": aggs[row["aggregator_id"]],
                "controllable_kw": row["controllable_kw"],
                "ramp_kw_per_min": row["ramp_kw_per_min"],
                "max_duration_h": row["max_duration_h"],
                "peak_shaving": row["peak_shaving"],
                "valley_filling": row["valley_filling"],
                "cost_yuan_per_kwh": row["cost_yuan_per_kwh"],
                "microgrid_pilot": row["microgrid_pilot"],
                "battery_kwh": row["battery_kwh"],
                "dc_bus_share": row["dc_bus_share"],
                "synthetic": synthetic or row["synthetic"],
            }
            current = FlexResource.objects.filter(code=row["id"]).first()
            if current is None:
                FlexResource.objects.create(code=row["id"], **values)
                outcome.created += 1
            elif all(getattr(current, k) == v for k, v in values.items()):
                outcome.unchanged += 1
            else:
                for key, value in values.items():
                    setattr(current, key, value)
                current.save()
                outcome.updated += 1
        audit_record(
            actor=actor,
            action="flex.resources.import",
            object_type="resource_file",
            object_id=label,
            after={"created": outcome.created, "updated": outcome.updated},
        )
    return outcome


def resources_file_import(*, actor: Actor, filename: str, content: bytes) -> ImportOutcome:
    """Import a resource registry upload (.csv or .xlsx): all rows or none."""
    try:
        tabular_upload_check(filename=filename, content=content)
    except UploadRejectedError as exc:
        return ImportOutcome(errors=[RowError(filename, None, (("", str(exc)),))])
    parsed = read_resource_file(Path(filename), content)
    if parsed.errors:
        return ImportOutcome(errors=parsed.errors)
    if not parsed.rows:
        return ImportOutcome(errors=[RowError(filename, None, (("", "has no data rows"),))])
    return resources_import(actor=actor, rows=parsed.rows, label=filename)


def _state(event: DrEvent, actor: Actor, action: str, allowed: Sequence[str], new: str, **after: Any) -> None:
    if event.state not in allowed:
        raise FlexStateError(
            f"event {event.code} is {event.state}: '{action}' needs it to be {' or '.join(allowed)}"
        )
    before = event.state
    event.state = new
    event.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action=f"flex.event.{action}",
        object_type="dr_event",
        object_id=event.code,
        before={"state": before},
        after={"state": new, **after},
    )


def event_create(
    *,
    actor: Actor,
    code: str,
    event_type: str,
    start: datetime,
    end: datetime,
    requested_kw: float,
    price: float,
    price_basis: str,
    resources: Sequence[str] | None = None,
    notice_at: datetime | None = None,
    settlement_rule: dict[str, Any] | None = None,
    baseline_method: str = "x_of_y",
    baseline_params: dict[str, Any] | None = None,
    synthetic: bool = False,
) -> DrEvent:
    """Create a draft event with a participation per resource (default: every resource of the event's type).

    Raises
    ------
    FlexInputError
        On an end before the start, a non-positive request, a negative price or an unknown resource.
    """
    if end <= start:
        raise FlexInputError("the event ends before it starts")
    if not requested_kw > 0 or not np.isfinite(requested_kw):
        raise FlexInputError("the requested kW must be a positive number")
    if not price >= 0 or not np.isfinite(price):
        raise FlexInputError("the price must be a non-negative number")
    if event_type not in dict(DrEvent.TYPES):
        raise FlexInputError(f"unknown event type '{event_type}'")
    if price_basis not in dict(DrEvent.BASES):
        raise FlexInputError(f"unknown price basis '{price_basis}'")
    if settlement_rule:
        SettlementRule.from_dict(settlement_rule)
    if resources is None:
        chosen = list(FlexResource.objects.filter(**{event_type: True}))
    else:
        chosen = list(FlexResource.objects.filter(code__in=resources))
        missing = set(resources) - {r.code for r in chosen}
        if missing:
            raise FlexInputError(f"unknown resources: {', '.join(sorted(missing))}")
    with transaction.atomic():
        event = DrEvent.objects.create(
            code=code,
            event_type=event_type,
            start=start,
            end=end,
            notice_at=notice_at,
            requested_kw=requested_kw,
            price=price,
            price_basis=price_basis,
            settlement_rule=settlement_rule or {},
            baseline_method=baseline_method,
            baseline_params=baseline_params or {},
            synthetic=synthetic,
        )
        EventParticipation.objects.bulk_create(EventParticipation(event=event, resource=r) for r in chosen)
        audit_record(
            actor=actor,
            action="flex.event.create",
            object_type="dr_event",
            object_id=code,
            after={"state": DrEvent.DRAFT, "resources": [r.code for r in chosen]},
        )
    return event


def event_notify(*, actor: Actor, event: DrEvent) -> DrEvent:
    """Draft → notified: the aggregators may now answer (REST or OpenADR)."""
    with transaction.atomic():
        if event.notice_at is None:
            event.notice_at = timezone.now()
            event.save(update_fields=["notice_at"])
        _state(event, actor, "notify", [DrEvent.DRAFT], DrEvent.NOTIFIED)
    return event


def event_answer(
    *,
    actor: Actor,
    event: DrEvent,
    aggregator: Aggregator,
    opt_in: bool,
    resources: Sequence[str] | None = None,
    via: str = "web",
) -> int:
    """Record an aggregator's opt-in or opt-out for its resources in the event (all of them by default).

    Returns the number of participations answered.

    Raises
    ------
    FlexStateError
        Unless the event is notified.
    FlexInputError
        When a named resource is not the aggregator's, or not in the event.
    """
    if event.state != DrEvent.NOTIFIED:
        raise FlexStateError(f"event {event.code} is {event.state}: answers are taken only while notified")
    qs = event.participations.filter(resource__aggregator=aggregator)
    if resources is not None:
        found = set(qs.filter(resource__code__in=resources).values_list("resource__code", flat=True))
        missing = set(resources) - found
        if missing:
            raise FlexInputError(
                f"resources not in event {event.code} for aggregator {aggregator.code}: "
                f"{', '.join(sorted(missing))}"
            )
        qs = qs.filter(resource__code__in=resources)
    answer = EventParticipation.OPTED_IN if opt_in else EventParticipation.OPTED_OUT
    with transaction.atomic():
        count = qs.update(answer=answer, answered_via=via)
        audit_record(
            actor=actor,
            action="flex.event.opt_in" if opt_in else "flex.event.opt_out",
            object_type="dr_event",
            object_id=event.code,
            after={"aggregator": aggregator.code, "count": count, "via": via},
        )
    return count


def event_dispatch(*, actor: Actor, event: DrEvent) -> dict[str, Any]:
    """Allocate the requested kW across the opted-in resources at least cost (HiGHS LP); store each share."""
    if event.state not in (DrEvent.NOTIFIED, DrEvent.ACTIVE):
        raise FlexStateError(f"event {event.code} is {event.state}: dispatch needs it notified or active")
    parts = list(event.participations.filter(answer=EventParticipation.OPTED_IN).select_related("resource"))
    if not parts:
        raise FlexInputError(f"event {event.code} has no opted-in resources to dispatch")
    notice_min = None
    if event.notice_at is not None:
        notice_min = max((event.start - event.notice_at).total_seconds() / 60, 0.0)
    result = allocate(
        event.requested_kw,
        [
            DispatchResource(
                p.resource.code,
                p.resource.controllable_kw,
                p.resource.cost_yuan_per_kwh,
                p.resource.ramp_kw_per_min,
                p.resource.max_duration_h,
            )
            for p in parts
        ],
        duration_h=event.duration_h,
        notice_min=notice_min,
    )
    with transaction.atomic():
        for p in parts:
            p.dispatched_kw = result.allocated_kw[p.resource.code]
            p.save(update_fields=["dispatched_kw"])
        audit_record(
            actor=actor,
            action="flex.event.dispatch",
            object_type="dr_event",
            object_id=event.code,
            after={"allocated_kw": result.allocated_kw, "shortfall_kw": result.shortfall_kw},
        )
    return result.to_dict()


def event_activate(*, actor: Actor, event: DrEvent) -> DrEvent:
    """Notified → active (at least one resource must have opted in)."""
    if not event.participations.filter(answer=EventParticipation.OPTED_IN).exists():
        raise FlexStateError(f"event {event.code}: no resource has opted in")
    with transaction.atomic():
        _state(event, actor, "activate", [DrEvent.NOTIFIED], DrEvent.ACTIVE)
    return event


def event_complete(*, actor: Actor, event: DrEvent) -> DrEvent:
    """Active → completed."""
    with transaction.atomic():
        _state(event, actor, "complete", [DrEvent.ACTIVE], DrEvent.COMPLETED)
    return event


def hourly_load(meter: Meter, start: datetime, end: datetime) -> pd.Series:
    """Hourly mean load [kW] of a kWh meter from its hourly rollups, local time; hours without data absent."""
    rows = MeterRollup.objects.filter(meter=meter, period=MeterRollup.HOUR, start__gte=start, start__lt=end)
    pairs = list(rows.order_by("start").values_list("start", "consumption"))
    index = pd.DatetimeIndex([p[0] for p in pairs]).tz_convert(TZ) if pairs else pd.DatetimeIndex([], tz=TZ)
    return pd.Series([float(p[1]) * meter.multiplier for p in pairs], index=index, dtype=np.float64)


def _rule(event: DrEvent) -> SettlementRule:
    if event.settlement_rule:
        return SettlementRule.from_dict(event.settlement_rule)
    from carbonpeak.io.flex import read_flex_reference

    return next(r for r in read_flex_reference().settlement_rules if r.rule_id == "shanghai")


def event_settle(*, actor: Actor, event: DrEvent) -> DrEvent:
    """Completed → settled: each opted-in resource's baseline, delivered kWh and payment, stored.

    A resource whose baseline or payment cannot be computed keeps the reason in ``problem``; the event is
    settled all the same, and the statement shows the line as unknown.
    """
    if event.state != DrEvent.COMPLETED:
        raise FlexStateError(f"event {event.code} is {event.state}: settle needs it completed")
    rule = _rule(event)
    other = {e.start.astimezone(TZ).date() for e in DrEvent.objects.exclude(pk=event.pk).only("start")}
    params = dict(event.baseline_params)
    calendar = DayCalendar.from_dict(
        {"holidays": params.pop("holidays", []), "workdays": params.pop("workdays", [])}
    )
    start, end = event.start.astimezone(TZ), event.end.astimezone(TZ)
    day_end = start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    with transaction.atomic():
        for part in event.participations.filter(answer=EventParticipation.OPTED_IN).select_related(
            "resource__meter"
        ):
            part.baseline, part.settlement, part.problem = None, None, ""
            meter = part.resource.meter
            try:
                if meter.unit.lower() != "kwh":
                    raise FlexInputError(f"meter {meter.code} is in {meter.unit}, not kWh")
                load = hourly_load(meter, start - timedelta(days=LOOKBACK_DAYS + 1), day_end)
                if len(load) < 2:
                    raise FlexInputError(f"meter {meter.code} has no hourly data before the event")
                result = compute_baseline(
                    event.baseline_method,
                    load,
                    start,
                    end,
                    calendar=calendar,
                    event_dates=other,
                    **params,
                )
                part.baseline = result.to_dict()
                requested = part.dispatched_kw or part.requested_kw or part.resource.controllable_kw
                part.settlement = settle(
                    name=part.resource.code,
                    requested_kw=requested,
                    duration_h=event.duration_h,
                    delivered_kwh=result.reduction_kwh,
                    price=event.price,
                    price_basis=event.price_basis,
                    rule=rule,
                ).to_dict()
            except (FlexInputError, CarbonpeakError) as exc:
                part.problem = str(exc)[:300]
            part.save(update_fields=["baseline", "settlement", "problem"])
        _state(event, actor, "settle", [DrEvent.COMPLETED], DrEvent.SETTLED, rule=rule.rule_id)
    return event


def demo_flex_load(*, seed: int) -> str:
    """Load the SYNTHETIC demand-response demo: aggregators, resources on demo buildings' meters and one past,
    settled event (see :mod:`carbonpeak.demo.flex`). Idempotent: an existing demo event is left as it is."""
    return _demo_load(seed=seed)


def _demo_load(*, seed: int) -> str:
    from carbonpeak.demo import flex as demo
    from carbonpeak.io.readings import ReadingColumns
    from carbonpeak.web.buildings.models import Building
    from carbonpeak.web.buildings.services import meters_import, readings_ingest

    code = f"DEMO-{demo.EVENT_DAY.isoformat()}"
    if DrEvent.objects.filter(code=code).exists():
        return f"flex: demo event {code} already present, SYNTHETIC"
    buildings = list(
        Building.objects.filter(synthetic=True).order_by("code").values_list("code", flat=True)[:6]
    )
    if not buildings:
        return "flex: no synthetic buildings to put resources on (run the buildings demo first)"
    actor = Actor.cli()
    for agg_code, name, ven in demo.AGGREGATORS:
        if not Aggregator.objects.filter(code=agg_code).exists():
            aggregator_create(actor=actor, code=agg_code, name=name, ven_name=ven, synthetic=True)
    items = demo.resources(buildings, seed=seed)
    meter_rows: list[dict[str, Any]] = [
        {
            "row": k + 2,
            "id": f"{r.building_code}-DR",
            "building_id": r.building_code,
            "energy_class": "electricity",
            "unit": "kWh",
            "category": "hvac",
            "kind": "interval",
            "multiplier": 1.0,
            "interval_minutes": 60,
            "register_max": None,
            "it_load": False,
            "virtual": [],
        }
        for k, r in enumerate(items)
    ]
    outcome = meters_import(rows=meter_rows, label="demo flex meters")
    if outcome.errors:
        raise RuntimeError("; ".join(str(e) for e in outcome.errors))
    columns = []
    for k, r in enumerate(items):
        stamps, values = demo.hourly_readings(r, seed=seed + k)
        columns.append(ReadingColumns.from_meter_ids([f"{r.building_code}-DR"] * len(stamps), stamps, values))
    readings_ingest(readings=ReadingColumns.concat(columns), source="demo")
    rows = [
        {
            "row": k + 2,
            "id": r.code,
            "name": f"{r.building_code} (synthetic)",
            "kind": r.kind,
            "meter_id": f"{r.building_code}-DR",
            "aggregator_id": r.aggregator,
            "controllable_kw": r.controllable_kw,
            "ramp_kw_per_min": r.controllable_kw / 10,
            "max_duration_h": 4.0,
            "peak_shaving": True,
            "valley_filling": r.kind in ("battery", "pv_storage"),
            "cost_yuan_per_kwh": r.cost_yuan_per_kwh,
            "microgrid_pilot": r.pilot,
            "battery_kwh": 2 * r.controllable_kw if r.kind in ("battery", "pv_storage") else None,
            "dc_bus_share": 0.3 if r.pilot else None,
            "synthetic": True,
        }
        for k, r in enumerate(items)
    ]
    result = resources_import(actor=actor, rows=rows, label="demo flex resources", synthetic=True)
    if result.errors:
        raise RuntimeError("; ".join(str(e) for e in result.errors))
    day = demo.EVENT_DAY
    start = datetime(day.year, day.month, day.day, demo.EVENT_HOURS[0], tzinfo=TZ)
    end = datetime(day.year, day.month, day.day, demo.EVENT_HOURS[1], tzinfo=TZ)
    requested = round(sum(r.controllable_kw for r in items) * 0.8, 0)
    event = event_create(
        actor=actor,
        code=code,
        event_type="peak_shaving",
        start=start,
        end=end,
        notice_at=start - timedelta(hours=24),
        requested_kw=requested,
        price=3.0,
        price_basis="yuan_per_kwh",
        settlement_rule=demo.DEMO_RULE,
        baseline_method="x_of_y",
        baseline_params={"days": 10, "holidays": [], "adjustment": "none"},
        synthetic=True,
    )
    event_notify(actor=actor, event=event)
    for agg in Aggregator.objects.filter(code__in=[a[0] for a in demo.AGGREGATORS]):
        event_answer(actor=actor, event=event, aggregator=agg, opt_in=True, via="demo")
    event_dispatch(actor=actor, event=event)
    event_activate(actor=actor, event=event)
    event_complete(actor=actor, event=event)
    event_settle(actor=actor, event=event)
    return (
        f"flex: {len(demo.AGGREGATORS)} aggregators, {len(items)} resources, event {code} settled, SYNTHETIC"
    )


def report_record(*, aggregator: Aggregator, event: DrEvent, count: int, via: str = "rest") -> None:
    """Record in the audit log that an aggregator reported readings for an event."""
    audit_record(
        actor=Actor(
            None, Actor.cli().roles.__class__(authenticated=True), f"aggregator:{aggregator.code}", via
        ),
        action="flex.event.report",
        object_type="dr_event",
        object_id=event.code,
        after={"aggregator": aggregator.code, "readings": count, "via": via},
    )
