"""Flex app: resource import, the event lifecycle with its audit trail, dispatch, settlement, the demo."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from carbonpeak.io.readings import ReadingColumns
from carbonpeak.web.flex import services
from carbonpeak.web.flex.models import Aggregator, DrEvent, EventParticipation, FlexResource
from carbonpeak.web.tracking.models import AuditEntry
from carbonpeak.web.tracking.services import Actor

SH = ZoneInfo("Asia/Shanghai")
EVENT_START = datetime(2025, 7, 16, 14, tzinfo=SH)
RULE = {
    "rule_id": "test-80-120",
    "lower_rate": 0.8,
    "upper_rate": 1.2,
    "below_lower": "no_payment",
    "penalty_factor": None,
    "above_upper": "pay_to_upper",
    "source": "test",
    "evidence": "R",
}
RESOURCES = (
    "id,name,kind,meter_id,aggregator_id,controllable_kw,ramp_kw_per_min,max_duration_h,response_types,cost_yuan_per_kwh\n"
    "R1,政务中心空调,building_load,E1,AGG,40,5,4,peak_shaving,1.0\n"
    "R2,商场储能,battery,E2,AGG,100,,1,peak_shaving;valley_filling,0.5\n"
)


@pytest.fixture
def flex_site(site):
    actor = Actor.cli()
    services.aggregator_create(actor=actor, code="AGG", name="聚合商", ven_name="ven-test")
    outcome = services.resources_file_import(actor=actor, filename="r.csv", content=RESOURCES.encode())
    assert outcome.errors == []
    assert outcome.created == 2
    # E1: 100 kW every hour for 30 days; 60 kW in the event's two hours
    first = EVENT_START.replace(hour=0) - timedelta(days=29)
    stamps, values = [], []
    for h in range(30 * 24):
        ts = first + timedelta(hours=h)
        stamps.append(int(ts.timestamp()) * 10**9)
        values.append(60.0 if EVENT_START <= ts < EVENT_START + timedelta(hours=2) else 100.0)
    from carbonpeak.web.buildings.services import readings_ingest

    cols = ReadingColumns.from_meter_ids(["E1"] * len(stamps), np.array(stamps), np.array(values))
    readings_ingest(readings=cols, source="test", now=datetime(2026, 1, 1, tzinfo=SH))
    return actor


def test_import_rejects_unknown_meter_and_bad_kind(site):
    actor = Actor.cli()
    services.aggregator_create(actor=actor, code="AGG", name="聚合商")
    bad = RESOURCES.replace("E2,AGG,100", "NOPE,AGG,100").replace("building_load,E1", "turbine,E1")
    outcome = services.resources_file_import(actor=actor, filename="r.csv", content=bad.encode())
    assert [str(e) for e in outcome.errors] == [
        "r.csv, row 2: field kind: 'turbine' is not one of building_load, charging_site, battery, pv_storage"
    ]
    outcome = services.resources_file_import(
        actor=actor, filename="r.csv", content=RESOURCES.replace("E2,AGG", "NOPE,AGG").encode()
    )
    assert [str(e) for e in outcome.errors] == ["r.csv, row 3: field meter_id: unknown meter 'NOPE'"]
    assert FlexResource.objects.count() == 0


def test_lifecycle_dispatch_and_settlement(flex_site):
    actor = flex_site
    event = services.event_create(
        actor=actor,
        code="EV1",
        event_type="peak_shaving",
        start=EVENT_START,
        end=EVENT_START + timedelta(hours=2),
        notice_at=EVENT_START - timedelta(minutes=30),
        requested_kw=40,
        price=2.0,
        price_basis="yuan_per_kwh",
        settlement_rule=RULE,
        baseline_params={"days": 10},
    )
    with pytest.raises(services.FlexStateError, match="answers are taken only while notified"):
        services.event_answer(actor=actor, event=event, aggregator=Aggregator.objects.get(), opt_in=True)
    services.event_notify(actor=actor, event=event)
    agg = Aggregator.objects.get()
    assert services.event_answer(actor=actor, event=event, aggregator=agg, opt_in=True, resources=["R1"]) == 1
    assert (
        services.event_answer(actor=actor, event=event, aggregator=agg, opt_in=False, resources=["R2"]) == 1
    )
    allocation = services.event_dispatch(actor=actor, event=event)
    assert allocation["allocated_kw"] == pytest.approx({"R1": 40.0})
    services.event_activate(actor=actor, event=event)
    with pytest.raises(services.FlexStateError, match="settle needs it completed"):
        services.event_settle(actor=actor, event=event)
    services.event_complete(actor=actor, event=event)
    services.event_settle(actor=actor, event=event)
    event.refresh_from_db()
    assert event.state == DrEvent.SETTLED
    part = EventParticipation.objects.get(resource__code="R1")
    assert part.problem == ""
    # baseline 100 kW (10 of 10 flat days), actual 60 kW for 2 h: 80 kWh; 40 kW requested → rate 1.0
    assert part.baseline["reduction_kwh"] == pytest.approx(80.0)
    assert part.settlement["response_rate"] == pytest.approx(1.0)
    assert part.settlement["payment_yuan"] == pytest.approx(160.0)
    assert EventParticipation.objects.get(resource__code="R2").settlement is None
    actions = list(
        AuditEntry.objects.filter(object_type="dr_event", object_id="EV1")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "flex.event.create",
        "flex.event.notify",
        "flex.event.opt_in",
        "flex.event.opt_out",
        "flex.event.dispatch",
        "flex.event.activate",
        "flex.event.complete",
        "flex.event.settle",
    ]


def test_event_without_known_rule_keeps_the_problem(flex_site):
    actor = flex_site
    event = services.event_create(
        actor=actor,
        code="EV2",
        event_type="peak_shaving",
        start=EVENT_START,
        end=EVENT_START + timedelta(hours=2),
        requested_kw=40,
        price=2.0,
        price_basis="yuan_per_kwh",
        resources=["R1"],
    )
    services.event_notify(actor=actor, event=event)
    services.event_answer(actor=actor, event=event, aggregator=Aggregator.objects.get(), opt_in=True)
    services.event_activate(actor=actor, event=event)
    services.event_complete(actor=actor, event=event)
    services.event_settle(actor=actor, event=event)
    part = EventParticipation.objects.get(event=event)
    assert "no known band" in part.problem


def test_demo_is_synthetic_and_settles(site):
    from carbonpeak.web.buildings.models import Building

    Building.objects.update(synthetic=True)
    message = services.demo_flex_load(seed=3)
    assert "SYNTHETIC" in message
    event = DrEvent.objects.get()
    assert event.synthetic
    assert event.state == DrEvent.SETTLED
    parts = list(event.participations.all())
    assert parts
    assert all(p.problem == "" for p in parts)
    assert all(p.settlement["response_rate"] > 0.3 for p in parts)
    assert "already present" in services.demo_flex_load(seed=3)
