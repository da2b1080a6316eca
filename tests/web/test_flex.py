"""Flex app: resource import, the event lifecycle with its audit trail, dispatch, settlement, the demo."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.conf import settings
from django.urls import reverse

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


@pytest.fixture
def demo_event(site):
    from carbonpeak.data import REFERENCE_PLAN
    from carbonpeak.io.plan import read_plan_file
    from carbonpeak.web.buildings.models import Building
    from carbonpeak.web.plan.services import plan_load

    plan_load(plan=read_plan_file(REFERENCE_PLAN).plan)
    Building.objects.update(synthetic=True)
    services.demo_flex_load(seed=3)
    return DrEvent.objects.get()


def test_pages_render_and_need_login(client, office_admin, demo_event):
    for name, args in (
        ("vpp", []),
        ("resources", []),
        ("events", []),
        ("event", [demo_event.code]),
        ("compare", []),
    ):
        url = reverse(f"flex:{name}", args=args)
        assert client.get(url).status_code == 302
    client.force_login(office_admin)
    page = client.get(reverse("flex:vpp")).content.decode()
    assert 'id="flexible-mw"' in page
    assert "synthetic" in page
    assert 'data-target="demand_response_virtual_power_plant"' in page
    assert 'id="events-held">1<' in page
    event_page = client.get(reverse("flex:event", args=[demo_event.code])).content.decode()
    assert 'id="statements"' in event_page
    xlsx = client.get(reverse("flex:statement_xlsx", args=[demo_event.code]))
    assert xlsx.status_code == 200
    assert "SYNTHETIC" in xlsx["Content-Disposition"]
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(xlsx.content))
    assert book["summary"]["C1"].value.startswith("SYNTHETIC")
    assert set(book.sheetnames) == {"summary", "DEMO-AGG-1", "DEMO-AGG-2"}


def test_compare_needs_prices_and_runs_the_lp(client, office_admin, flex_site):
    client.force_login(office_admin)
    url = reverse("flex:compare")
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    assert "no hourly electricity data" in client.get(url, {"building": "B2"}).content.decode()
    missing = client.get(url, {"building": "B1"})
    assert missing.status_code == 400
    assert "no confirmed prices" in missing.content.decode(), re.findall(
        r"<li>([^<]*)</li>", missing.content.decode()
    )
    ok = client.get(
        url,
        {
            "building": "B1",
            "peak_price": "1.2",
            "flat_price": "0.8",
            "valley_price": "0.4",
            "battery_kwh": "0,200",
        },
    )
    assert ok.status_code == 200, ok.content.decode()[:2000]
    assert ok.content.decode().count("<tr>") >= 3


def test_event_form_and_actions(client, office_admin, flex_site):
    client.force_login(office_admin)
    form = {
        "code": "EVW",
        "event_type": "peak_shaving",
        "start": "2025-07-16T14:00",
        "end": "2025-07-16T16:00",
        "requested_kw": "40",
        "price": "2",
        "price_basis": "yuan_per_kwh",
        "lower_rate": "80",
        "upper_rate": "120",
    }
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    bad = client.post(reverse("flex:events"), {**form, "requested_kw": "lots"})
    assert bad.status_code == 400
    assert "requested_kw: &#x27;lots&#x27; is not a number" in bad.content.decode()
    assert client.post(reverse("flex:events"), form).status_code == 302
    action = reverse("flex:event_action", args=["EVW"])
    client.post(action, {"action": "notify"})
    client.post(action, {"action": "opt_in", "aggregator": "AGG"})
    client.post(action, {"action": "activate"})
    assert DrEvent.objects.get(code="EVW").state == DrEvent.ACTIVE


def test_aggregator_rest_answer_and_report(client, flex_site):
    from carbonpeak.web.buildings.models import MeterRollup

    agg, token = services.aggregator_create(actor=flex_site, code="AGG2", name="二号")
    FlexResource.objects.filter(code="R2").update(aggregator=agg)
    event = services.event_create(
        actor=flex_site,
        code="EVR",
        event_type="peak_shaving",
        start=EVENT_START,
        end=EVENT_START + timedelta(hours=2),
        requested_kw=40,
        price=2.0,
        price_basis="yuan_per_kwh",
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/flex/aggregator/events").status_code == 401
    assert client.get("/api/flex/aggregator/events", **auth).json() == []  # drafts are not shown
    services.event_notify(actor=flex_site, event=event)
    listed = client.get("/api/flex/aggregator/events", **auth).json()
    assert [r["resource"] for r in listed[0]["resources"]] == ["R2"]
    url = "/api/flex/aggregator/events/EVR/answer"
    answer = client.post(url, {"opt_in": True}, content_type="application/json", **auth)
    assert answer.json() == {"answered": 1}
    assert EventParticipation.objects.get(event=event, resource__code="R2").answered_via == "rest"
    other = client.post(url, {"opt_in": True, "resources": ["R1"]}, content_type="application/json", **auth)
    assert other.status_code == 409
    report = client.post(
        "/api/flex/aggregator/events/EVR/report",
        {"readings": [{"resource": "R2", "timestamp": "2025-07-16T14:00:00+08:00", "kwh": 55.0}]},
        content_type="application/json",
        **auth,
    )
    assert report.json() == {"stored": 1, "quarantined": 0}
    assert MeterRollup.objects.filter(meter__code="E2", period="hour").count() == 1


def test_numbers_are_grouped_and_unknowns_are_dashes():
    from carbonpeak.web.flex.templatetags.flex_tags import grouped

    assert grouped(1234567.84, 1) == "1,234,567.8"
    assert grouped(None) == "—"
