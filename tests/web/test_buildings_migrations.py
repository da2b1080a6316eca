"""Migration 0005 (readings keyed by meter and time) keeps every stored row, both ways, on both databases."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("buildings", "0004_rollup_month_index")]
AFTER = [("buildings", "0005_readings_keyed_by_meter_and_time")]
T1 = datetime(2024, 5, 1, 2, 15, tzinfo=UTC)
T2 = datetime(2024, 5, 1, 2, 30, 0, 250_000, tzinfo=UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_migration_0005_keeps_readings_and_rollups_both_ways():
    latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "buildings"]
    try:
        old = _migrate(BEFORE)
        building = old.get_model("buildings", "Building").objects.create(
            code="B1", name="b", primary_use="other", floor_area_m2=1.0
        )
        meter = old.get_model("buildings", "Meter").objects.create(
            code="E1", building=building, energy_class="electricity", unit="kWh"
        )
        old.get_model("buildings", "Reading").objects.create(
            meter=meter, ts=T1, raw=5.0, consumption=5.0, flag=""
        )
        old.get_model("buildings", "Reading").objects.create(
            meter=meter, ts=T2, raw=7.0, consumption=2.0, flag="counter reset at 10:30, corrected"
        )
        old.get_model("buildings", "MeterRollup").objects.create(
            meter=meter, period="day", start=T1, consumption=7.0, readings=2
        )

        new = _migrate(AFTER)
        readings = new.get_model("buildings", "Reading").objects.order_by("ts")
        assert list(readings.values_list("meter_id", "ts", "raw", "consumption", "flag")) == [
            (meter.pk, T1, 5.0, 5.0, None),
            (meter.pk, T2, 7.0, 2.0, "counter reset at 10:30, corrected"),
        ]
        rollup = new.get_model("buildings", "MeterRollup").objects.get()
        assert (rollup.pk, rollup.consumption, rollup.readings) == ((meter.pk, "day", T1), 7.0, 2)

        back = _migrate(BEFORE)
        assert list(
            back.get_model("buildings", "Reading").objects.order_by("ts").values_list("ts", "flag")
        ) == [
            (T1, ""),
            (T2, "counter reset at 10:30, corrected"),
        ]
        assert back.get_model("buildings", "MeterRollup").objects.get().consumption == 7.0
    finally:
        _migrate(latest)
