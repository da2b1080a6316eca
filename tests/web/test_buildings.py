"""Building monitoring on SQLite and PostgreSQL: idempotent ingest, resets, quarantine, metrics, gateways."""

from datetime import datetime, timedelta

import pytest

from carbonpeak.io.buildings import read_buildings_file, read_meters_file
from carbonpeak.io.readings import RawReading
from carbonpeak.web.buildings import selectors, services
from carbonpeak.web.buildings.models import MeterRollup, QuarantinedReading, Reading
from tests.web.buildings_fixtures import BUILDINGS, SH, T0, ingest, readings_file

pytestmark = pytest.mark.django_db


def test_importing_the_same_file_twice_changes_nothing(site):
    lines = [f"E1,{(T0 + timedelta(minutes=15 * i)):%Y-%m-%d %H:%M},{1 + i % 4}" for i in range(96)]
    path = readings_file(site, lines)
    first = ingest(path)
    assert (first.accepted, first.quarantined) == (96, 0)
    rollups = list(
        MeterRollup.objects.order_by("period", "start").values_list("period", "start", "consumption")
    )
    second = ingest(path)
    assert (second.accepted, second.duplicates, second.quarantined) == (0, 96, 0)
    assert Reading.objects.count() == 96
    assert (
        list(MeterRollup.objects.order_by("period", "start").values_list("period", "start", "consumption"))
        == rollups
    )
    day = MeterRollup.objects.get(period="day")
    assert (day.consumption, day.readings) == (240.0, 96)  # 24 x (1 + 2 + 3 + 4)


def test_a_counter_reset_is_handled(site):
    values = [100, 110, 120, 5, 15]
    path = readings_file(
        site,
        [
            f"R1,2023-01-01 00:{15 * i:02d},{v}" if i < 4 else f"R1,2023-01-01 01:00,{v}"
            for i, v in enumerate(values)
        ],
    )
    result = ingest(path)
    assert (result.accepted, result.corrected) == (5, 1)
    stored = list(Reading.objects.filter(meter__code="R1").order_by("ts").values_list("consumption", "flag"))
    assert [c for c, _ in stored] == [0.0, 10.0, 10.0, 5.0, 10.0]
    assert stored[3][1] == "counter reset at 00:45, corrected"
    assert MeterRollup.objects.get(meter__code="R1", period="day").consumption == 35.0


def test_late_register_reading_recomputes_the_next_interval(site):
    ingest(readings_file(site, ["R1,2023-01-01 00:00,100", "R1,2023-01-01 00:30,130"]))
    ingest(readings_file(site, ["R1,2023-01-01 00:15,110"], "late.csv"))
    assert list(
        Reading.objects.filter(meter__code="R1").order_by("ts").values_list("consumption", flat=True)
    ) == [0.0, 10.0, 20.0]
    assert MeterRollup.objects.get(meter__code="R1", period="hour").consumption == 30.0


def test_unknown_meters_and_bad_values_are_quarantined_with_their_reason(site):
    path = readings_file(
        site,
        ["NOPE,2023-01-01 00:00,1", "E1,2023-01-01 00:00,abc", "E1,yesterday,1", "E1,2023-01-01 00:15,-3"],
    )
    result = ingest(path)
    assert (result.accepted, result.quarantined) == (0, 4)
    reasons = sorted(QuarantinedReading.objects.values_list("meter_code", "reason"))
    assert reasons == [
        ("E1", "'abc' is not a number"),
        ("E1", "'yesterday' is not a timestamp"),
        ("E1", "negative interval value"),
        ("NOPE", "unknown meter 'NOPE'"),
    ]


def test_a_conflicting_duplicate_keeps_the_first_value(site):
    ingest(readings_file(site, ["E1,2023-01-01 00:00,5"]))
    result = ingest(readings_file(site, ["E1,2023-01-01 00:00,7"], "again.csv"))
    assert (result.accepted, result.conflicts, result.quarantined) == (0, 1, 1)
    assert Reading.objects.get().raw == 5.0
    assert QuarantinedReading.objects.get().reason == "conflict: stored 5, received 7 (first value kept)"


def test_future_readings_are_quarantined(site):
    readings = [RawReading("E1", datetime(2030, 1, 1, tzinfo=SH), 1.0, "1", 2)]
    result = services.readings_ingest(readings=readings, source="http", now=T0)
    assert result.quarantined == 1
    assert QuarantinedReading.objects.get().reason == "timestamp is in the future"


def test_hand_made_building_eui_kgce_and_co2(site):
    # 12 monthly readings of 83,333.3 kWh (1,000,000 kWh) and 12 of 833.33 m3 gas (10,000 m3) in 2023.
    lines = []
    for month in range(1, 13):
        lines.append(f"E1,2023-{month:02d}-01 00:00,{1_000_000 / 12}")
        lines.append(f"G1,2023-{month:02d}-01 00:00,{10_000 / 12}")
    ingest(readings_file(site, lines))
    (b1,) = [m for m in selectors.metrics_for_year(year=2023) if m.values["id"] == "B1"]
    v = b1.values
    assert v["eui_kgce_per_m2"] == pytest.approx(13.5043, abs=1e-4)  # 135,043 kgce / 10,000 m2
    assert v["co2_t"] == pytest.approx(441.6219, abs=1e-4)  # 420 + 21.6219
    assert v["eui_kwh_per_m2"] == pytest.approx((1_000_000 + 12_143 * 29_307 / 3_600) / 10_000, abs=1e-3)
    assert (v["quota_id"], v["quota_status"], v["quota_constraint"]) == (
        "db31-1341-office-i",
        "over_guide",
        14.0,
    )
    assert v["audit_due"] is None  # exactly 10,000 m2: the duty starts above it


def test_a_token_for_building_a_cannot_post_for_building_b(site, client):
    _, token = services.gateway_create(name="gw-b1", building_codes=["B1"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"readings": [{"meter": "E2", "timestamp": "2023-01-01T00:00:00+08:00", "value": 5}]}
    denied = client.post("/api/readings", body, content_type="application/json", **auth)
    assert denied.status_code == 403
    assert "may not post readings for meters E2" in denied.json()["detail"]
    mixed = {
        "readings": [{"meter": "E1", "timestamp": "2023-01-01T00:00:00+08:00", "value": 5}, *body["readings"]]
    }
    assert client.post("/api/readings", mixed, content_type="application/json", **auth).status_code == 403
    assert Reading.objects.count() == 0  # nothing from a refused request
    own = {
        "readings": [
            {"meter": "E1", "timestamp": "2023-01-01T00:00:00+08:00", "value": 5},
            {"meter": "E1", "timestamp": "2023-01-01T00:15:00+08:00", "value": "n/a"},
        ]
    }
    ok = client.post("/api/readings", own, content_type="application/json", **auth)
    assert ok.status_code == 200
    assert (ok.json()["accepted"], ok.json()["quarantined"]) == (1, 1)
    assert client.post("/api/readings", own, content_type="application/json").status_code == 401
    bad = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    assert client.post("/api/readings", own, content_type="application/json", **bad).status_code == 401


def test_registry_rejects_bad_rows_whole(tmp_path, reference_loaded):
    path = tmp_path / "b.csv"
    path.write_text(BUILDINGS + "B3,,hotel,abc,,,,\n", encoding="utf-8")
    parsed = read_buildings_file(path)
    assert parsed.rows == []
    assert [str(e) for e in parsed.errors] == [
        "b.csv, row 4: field name: is missing; field floor_area_m2: 'abc' is not a number"
    ]


def test_meter_of_an_unknown_building_rejects_the_file(site):
    path = site / "m2.csv"
    path.write_text("id,building_id,energy_class,unit\nX1,B9,electricity,kWh\n", encoding="utf-8")
    outcome = services.meters_import(rows=read_meters_file(path).rows, label="m2.csv")
    assert [str(e) for e in outcome.errors] == ["m2.csv, row 2: field building_id: unknown building 'B9'"]


def test_coverage_and_peer_percentile(site):
    lines = [f"E1,{(T0 + timedelta(minutes=15 * i)):%Y-%m-%d %H:%M},1" for i in range(96)]
    lines += [f"E2,{(T0 + timedelta(minutes=15 * i)):%Y-%m-%d %H:%M},1" for i in range(48)]
    ingest(readings_file(site, lines))
    b1 = next(b for b in selectors.metrics_for_year(year=2023) if b.values["id"] == "B1")
    # 96 readings against B1's 3 physical meters (E1, G1, R1) x 35,040 expected in 2023
    assert b1.values["coverage_pct"] == pytest.approx(100 * 96 / (3 * 35_040), abs=0.005)
    assert b1.values["peer_percentile"] == 50  # alone in its category


def test_main_meters_are_chosen_per_energy_class(site, tmp_path):
    # B1 has a gas `total` meter, and electricity only as sub-meters (E1 is `total`, R1 is under hvac):
    # a sub-metered class must not be dropped because another class has a total meter.
    from carbonpeak.web.buildings.models import Building

    path = tmp_path / "m3.csv"
    path.write_text(
        "id,building_id,energy_class,unit,category\nS1,B2,electricity,kWh,hvac\n"
        "S2,B2,electricity,kWh,hvac.plant\nS3,B2,electricity,kWh,lighting_sockets\n"
        "S4,B2,gas,m3,total\n",
        encoding="utf-8",
    )
    assert services.meters_import(rows=read_meters_file(path).rows).errors == []
    b2 = Building.objects.get(code="B2")
    # E2 is B2's electricity total meter, so the electricity sub-meters are not added to it.
    assert sorted(m.code for m in selectors.main_meters(b2)) == ["E2", "S4"]
    b2.meters.filter(code="E2").delete()
    assert sorted(m.code for m in selectors.main_meters(b2)) == ["S1", "S3", "S4"]  # S2 sits under metered S1


def test_late_register_readings_between_stored_ones_are_not_double_counted(site):
    # Register 0, 10, 20, 30, 40 every 15 minutes; the readings at 0, 30 and 60 arrive first, 15 and 45 late.
    ingest(readings_file(site, ["R1,2023-01-01 00:00,0", "R1,2023-01-01 00:30,20", "R1,2023-01-01 01:00,40"]))
    ingest(readings_file(site, ["R1,2023-01-01 00:15,10", "R1,2023-01-01 00:45,30"], "late.csv"))
    stored = list(
        Reading.objects.filter(meter__code="R1").order_by("ts").values_list("consumption", flat=True)
    )
    assert stored == [0.0, 10.0, 10.0, 10.0, 10.0]
    assert MeterRollup.objects.get(meter__code="R1", period="day").consumption == 40.0
    assert MeterRollup.objects.get(meter__code="R1", period="day").readings == 5


def test_non_finite_values_from_the_api_are_quarantined_with_a_reason(site, client):
    _, token = services.gateway_create(name="gw-nan", building_codes=["B1"])
    body = {
        "readings": [
            {"meter": "E1", "timestamp": "2023-01-01T00:00:00+08:00", "value": "nan"},
            {"meter": "E1", "timestamp": "2023-01-01T00:15:00+08:00", "value": "inf"},
        ]
    }
    response = client.post(
        "/api/readings", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.json()["quarantined"] == 2
    assert set(QuarantinedReading.objects.values_list("reason", flat=True)) == {
        "'nan' is not a finite number",
        "'inf' is not a finite number",
    }
    assert Reading.objects.count() == 0


def test_an_audit_on_29_february_has_a_due_date(site):
    from datetime import date

    from carbonpeak.web.buildings.models import Building

    building = Building.objects.get(code="B2")
    building.last_audit_date, building.audit_interval_years = date(2020, 2, 29), 3
    assert selectors.audit_status(building, date(2023, 3, 1)) == {
        "required": True,
        "due": date(2023, 2, 28),
        "status": "overdue",
    }


def test_virtual_meters_are_computed_from_their_members(site, tmp_path, client, office_admin):
    path = tmp_path / "v.csv"
    path.write_text(
        "id,building_id,energy_class,unit,virtual\nB1-OTHER,B1,electricity,kWh,E1 - R1\n", encoding="utf-8"
    )
    parsed = read_meters_file(path)
    assert parsed.ok, parsed.errors
    assert services.meters_import(rows=parsed.rows).errors == []
    ingest(
        readings_file(
            site,
            [
                "E1,2023-01-01 00:00,50",
                "E1,2023-01-01 00:15,50",
                "R1,2023-01-01 00:00,100",
                "R1,2023-01-01 00:15,130",
            ],
        )
    )
    from carbonpeak.web.buildings.models import Building

    totals = selectors.meter_year_totals(Building.objects.get(code="B1"), 2023)
    assert (totals["E1"], totals["R1"], totals["B1-OTHER"]) == (100.0, 30.0, 70.0)
    client.force_login(office_admin)
    html = client.get("/buildings/B1/", {"year": 2023}).content.decode()
    assert 'data-meter-total="B1-OTHER">70.0<' in html


def test_reimporting_the_registry_keeps_fields_the_file_does_not_carry(site, tmp_path):
    from carbonpeak.web.buildings.models import Building

    Building.objects.filter(code="B2").update(publishable=True, owner="区国资委")  # set in the admin
    path = tmp_path / "again.csv"
    path.write_text(
        "id,name,primary_use,floor_area_m2\nB2,滨江商场(改),shopping_mall,52000\n", encoding="utf-8"
    )
    parsed = read_buildings_file(path)
    assert services.buildings_import(rows=parsed.rows, columns=parsed.columns).updated == 1
    b2 = Building.objects.get(code="B2")
    assert (b2.name, b2.floor_area_m2, b2.publishable, b2.owner) == (
        "滨江商场(改)",
        52000.0,
        True,
        "区国资委",
    )


def test_re_sending_a_bad_reading_does_not_grow_the_quarantine(site):
    lines = ["NOPE,2023-01-01 00:00,1", "E1,2023-01-01 00:00,abc"]
    first = ingest(readings_file(site, lines))
    again = ingest(readings_file(site, lines, "again.csv"))
    assert (first.quarantined, again.quarantined) == (2, 2)  # each call reports what it could not use...
    assert QuarantinedReading.objects.count() == 2  # ...but the quarantine holds each bad reading once


def test_bulk_paths_keep_times_values_and_local_months_exactly(site):
    """COPY (binary, PostgreSQL) and executemany (SQLite) store what was sent, to the microsecond and bit."""
    path = readings_file(
        site,
        [
            "E1,2023-01-31 23:45:00.123456,0.1",
            "E1,2023-02-01 00:00:00,1234567.890123",
            "E1,2023-02-01 00:15:00.000001,3.3000000000000003",
        ],
    )
    assert ingest(path).accepted == 3
    stored = list(Reading.objects.filter(meter__code="E1").order_by("ts").values_list("ts", "raw"))
    assert stored == [
        (datetime(2023, 1, 31, 23, 45, 0, 123456, tzinfo=SH), 0.1),
        (datetime(2023, 2, 1, tzinfo=SH), 1234567.890123),
        (datetime(2023, 2, 1, 0, 15, 0, 1, tzinfo=SH), 3.3000000000000003),
    ]
    months = dict(
        MeterRollup.objects.filter(meter__code="E1", period="month").values_list("start", "consumption")
    )
    assert months == {
        datetime(2023, 1, 1, tzinfo=SH): 0.1,
        datetime(2023, 2, 1, tzinfo=SH): 1234567.890123 + 3.3000000000000003,
    }


def test_changing_a_meters_multiplier_recomputes_its_consumption_and_rollups(site):
    ingest(readings_file(site, ["E1,2023-01-01 00:00,2", "E1,2023-01-01 00:15,3"]))
    assert MeterRollup.objects.get(meter__code="E1", period="day").consumption == 5.0
    path = site / "changed-meters.csv"
    path.write_text(  # the same meters, with E1's CT ratio now 40
        "id,building_id,energy_class,unit,category,kind,register_max,multiplier\n"
        "E1,B1,electricity,kWh,total,interval,,40\n"
        "G1,B1,gas,m3,total,interval,,1\n"
        "R1,B1,electricity,kWh,hvac,cumulative,99999,1\n"
        "E2,B2,electricity,kWh,total,interval,,1\n",
        encoding="utf-8",
    )
    parsed = read_meters_file(path)
    assert parsed.ok, parsed.errors
    outcome = services.meters_import(rows=parsed.rows)
    assert outcome.recomputed == ["E1"]  # only the meter whose scaling changed
    stored = list(Reading.objects.filter(meter__code="E1").order_by("ts").values_list("raw", "consumption"))
    assert stored == [(2.0, 80.0), (3.0, 120.0)]  # raw kept, consumption = raw x CT ratio 40
    assert MeterRollup.objects.get(meter__code="E1", period="day").consumption == 200.0
    assert MeterRollup.objects.get(meter__code="E1", period="month").readings == 2


def test_peer_percentiles_rank_within_the_whole_district_only(site):
    from carbonpeak.web.buildings.models import Building

    Building.objects.create(
        code="B3", name="另一办公楼", primary_use="commercial_office", floor_area_m2=10_000
    )
    Building.objects.filter(code="B3").update(public_institution=False)
    from carbonpeak.web.buildings.models import Meter

    Meter.objects.create(
        code="E3", building=Building.objects.get(code="B3"), energy_class="electricity", unit="kWh"
    )
    lines = [f"E1,{(T0 + timedelta(minutes=15 * i)):%Y-%m-%d %H:%M},1" for i in range(96)]
    lines += [f"E3,{(T0 + timedelta(minutes=15 * i)):%Y-%m-%d %H:%M},3" for i in range(96)]
    ingest(readings_file(site, lines))
    district = {m.values["id"]: m.values["peer_percentile"] for m in selectors.metrics_for_year(year=2023)}
    # two offices: B1 uses less per m² (lower EUI) than B3: mid-ranks 25 and 75
    assert (district["B1"], district["B3"]) == (25, 75)
    (alone,) = selectors.metrics_for_year(year=2023, buildings=[Building.objects.get(code="B3")])
    assert alone.values["peer_percentile"] is None  # never a percentile among a subset
