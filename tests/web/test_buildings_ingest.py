"""Ingest and bulk storage on SQLite and PostgreSQL: blocks, atomicity, exact times, errors."""

from datetime import timedelta

import numpy as np
import pytest
from django.db import IntegrityError, connection, transaction

from carbonpeak.io import readings as readings_io
from carbonpeak.web.buildings import storage
from carbonpeak.web.buildings.ingest import readings_file_import
from carbonpeak.web.buildings.models import Meter, MeterRollup, QuarantinedReading, Reading
from tests.web.buildings_fixtures import T0, readings_file

pytestmark = pytest.mark.django_db
NOW = T0 + timedelta(days=400)


def _lines(count: int) -> list[str]:
    """A day and more of 15-minute readings of E1 and E2, interleaved, plus a register."""
    out = []
    for k in range(count):
        moment = T0 + timedelta(minutes=15 * k)
        out += [f"E1,{moment:%Y-%m-%d %H:%M:%S},{1 + k % 5}", f"E2,{moment:%Y-%m-%d %H:%M:%S},{2.5 + k % 3}"]
        out.append(f"R1,{moment:%Y-%m-%d %H:%M:%S},{1000 + 3 * k}")
    return out


def _stored():
    readings = list(
        Reading.objects.order_by("meter__code", "ts").values_list("meter__code", "ts", "consumption")
    )
    rollups = list(
        MeterRollup.objects.order_by("meter__code", "period", "start").values_list(
            "meter__code", "period", "start", "consumption", "readings"
        )
    )
    return readings, rollups


def test_a_file_read_in_many_blocks_stores_what_one_block_stores(site, monkeypatch):
    path = readings_file(site, _lines(300))  # 900 readings over 3 days and more
    result, errors = readings_file_import(path=path, now=NOW)
    assert (errors, result.accepted, result.quarantined) == ([], 900, 0)
    whole = _stored()
    Reading.objects.all().delete()
    MeterRollup.objects.all().delete()
    monkeypatch.setattr(readings_io, "BLOCK_BYTES", 2048)  # about 60 rows a block: rollups cross blocks
    result, errors = readings_file_import(path=path, now=NOW)
    assert (errors, result.accepted, result.received) == ([], 900, 900)
    assert _stored() == whole
    days = MeterRollup.objects.filter(meter__code="E1", period="day").order_by("start")
    assert [d.readings for d in days] == [96, 96, 96, 12]
    register = MeterRollup.objects.get(meter__code="R1", period="month")
    assert register.consumption == 3 * 299  # differences of the register, the first one its baseline


def test_a_file_that_fails_part_way_stores_nothing(site, monkeypatch):
    monkeypatch.setattr(readings_io, "BLOCK_BYTES", 2048)
    path = site / "broken.csv"
    body = "\n".join(_lines(200)).encode() + b"\nE\xff1,2023-01-05 00:00:00,1\n"
    path.write_bytes(b"meter_id,timestamp,value\n" + body)
    result, errors = readings_file_import(path=path, now=NOW)
    assert errors == ["broken.csv: is not UTF-8 text; save it as CSV UTF-8"]
    assert result.accepted == 0
    assert Reading.objects.count() == 0
    assert MeterRollup.objects.count() == 0
    assert QuarantinedReading.objects.count() == 0


def test_stored_series_keep_microseconds_and_meter_order(site):
    e1, e2 = (Meter.objects.get(code=c).pk for c in ("E1", "E2"))
    base = int(T0.timestamp()) * 10**9
    stamps = np.array([base, base + 1_500_000_000, base + 900 * 10**9 + 123_456_000])
    with transaction.atomic(), storage.BulkWriter() as writer:
        writer.readings(e2, stamps, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), {1: "note"})
        writer.readings(e1, stamps[:1], np.array([9.0]), np.array([18.0]), {})
        writer.rollups([])
    got = storage.stored_readings({e1: (base, base + 10**12), e2: (base + 1000, base + 10**12)})
    assert got.meter_ids.tolist() == [e1, e2, e2]
    assert got.ts_ns.tolist() == [base, base + 1_500_000_000, base + 900 * 10**9 + 123_456_000]
    assert got.raw.tolist() == [9.0, 2.0, 3.0]
    assert got.consumption.tolist() == [18.0, 2.0, 3.0]
    assert Reading.objects.get(meter_id=e2, ts=storage.utc(base + 1_500_000_000)).flag == "note"
    assert Reading.objects.get(meter_id=e2, ts=storage.utc(base)).flag is None
    before = storage.stored_readings({e2: (base, base + 1_500_000_000)}, upper="<")
    assert before.ts_ns.tolist() == [base]


def test_register_context_finds_the_last_reading_before_and_any_after(site):
    r1 = Meter.objects.get(code="R1").pk
    base = int(T0.timestamp()) * 10**9
    step = 900 * 10**9
    with transaction.atomic(), storage.BulkWriter() as writer:
        stamps = np.array([base, base + 2 * step])
        writer.readings(r1, stamps, np.array([10.0, 30.0]), np.array([0.0, 20.0]), {})
    last, later = storage.register_context({r1: base + step})
    assert last == {r1: (base, 10.0)}
    assert later == {r1}
    last, later = storage.register_context({r1: base + 3 * step})
    assert (last, later) == ({r1: (base + 2 * step, 30.0)}, set())


def test_a_failed_bulk_write_raises_and_rolls_back(site):
    e1 = Meter.objects.get(code="E1").pk
    base = np.array([int(T0.timestamp()) * 10**9])

    def write_twice() -> None:
        with transaction.atomic(), storage.BulkWriter() as writer:
            writer.readings(e1, base, np.array([1.0]), np.array([1.0]), {})
            writer.readings(e1, base, np.array([2.0]), np.array([2.0]), {})  # the same (meter, time) again
            writer.rollups([])

    with pytest.raises(IntegrityError):
        write_twice()
    assert Reading.objects.count() == 0


def test_existing_rollups_are_added_to_not_replaced(site):
    path = readings_file(site, ["E1,2023-01-01 00:00,1", "E1,2023-01-01 00:15,2"])
    readings_file_import(path=path, now=NOW)
    late = readings_file(site, ["E1,2023-01-01 00:30,4", "E1,2023-01-01 23:45,8"], "late.csv")
    result, _ = readings_file_import(path=late, now=NOW)
    assert result.accepted == 2
    hours = dict(MeterRollup.objects.filter(period="hour").values_list("start", "consumption"))
    assert sorted(hours.values()) == [7.0, 8.0]
    day = MeterRollup.objects.get(period="day")
    assert (day.consumption, day.readings) == (15.0, 4)


def test_tables_are_keyed_by_meter_and_time(db):
    """One index per table; SQLite tables WITHOUT ROWID (a Django table rebuild would silently drop it)."""
    with connection.cursor() as cursor:
        for table, key in (
            ("buildings_reading", ["meter_id", "ts"]),
            ("buildings_meterrollup", ["meter_id", "period", "start"]),
        ):
            constraints = connection.introspection.get_constraints(cursor, table)
            primary = [c for c in constraints.values() if c["primary_key"]]
            assert [c["columns"] for c in primary] == [key]
            assert not [c for c in constraints.values() if c["unique"] and not c["primary_key"]]
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
                assert cursor.fetchone()[0].rstrip().endswith("WITHOUT ROWID")
