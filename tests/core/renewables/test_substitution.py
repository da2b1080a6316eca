"""Renewable substitution rate of new buildings on a hand-made year (hand-worked results in comments)."""

from __future__ import annotations

from datetime import date

import pytest

from carbonpeak.core.renewables.substitution import (
    ESTIMATE_ORIENTATION,
    FLAG_ESTIMATED_YIELD,
    FLAG_GENERATION_ABOVE_USE,
    FLAG_LOW_COVERAGE,
    FLAG_NO_METERED_ENERGY,
    FLAG_PV_PART_YEAR,
    BuildingEnergyYear,
    OnsitePv,
    estimated_yield_kwh,
    is_new_urban_building,
    operating_fraction,
    renewable_substitution,
)

NEW_FROM = 2022  # the reference plan: new buildings from 2022 (三(一)2)
YEAR = 2025  # 365 days
BUILDINGS = [
    BuildingEnergyYear("N1", 2022, 90_000.0, 100.0),  # rooftop 10 kWp all year
    BuildingEnergyYear("N2", 2024, 40_000.0, 99.0),  # BIPV from 2 July
    BuildingEnergyYear("N3", 2023, None),  # no metered energy: excluded, flagged
    BuildingEnergyYear("N4", 2025, 10_000.0, 80.0, metered_pv_kwh=2_000.0),  # metered PV, low coverage
    BuildingEnergyYear("N5", 2022, 5_000.0, 100.0),  # no PV
    BuildingEnergyYear("O1", 2015, 500_000.0, 100.0),  # built before 2022: not new
    BuildingEnergyYear("L1", 2026, 1_000.0, 100.0),  # built after the year assessed
    BuildingEnergyYear("U1", None, 7_000.0, 100.0),  # year built unknown: listed apart
]
PV = [
    OnsitePv("PV-N1", "N1", "rooftop", 10.0, date(2023, 5, 1), 1_000.0),
    OnsitePv("PV-N2", "N2", "bipv", 20.0, date(2025, 7, 2), 730.0),
    OnsitePv("CP-N2", "N2", "carport", 50.0, date(2024, 1, 1), 1_000.0),  # carport: not counted
    OnsitePv("FA-N2", "N2", "facade", 5.0, date(2026, 1, 1), 600.0),  # after the year
    OnsitePv("PV-N3", "N3", "rooftop", 5.0, date(2024, 1, 1), 1_000.0),
    OnsitePv("PV-N4", "N4", "rooftop", 30.0, date(2025, 1, 1), 1_000.0),  # metered instead
    OnsitePv("PV-O1", "O1", "rooftop", 100.0, date(2020, 1, 1), 1_000.0),
]


def test_operating_fraction_counts_days_from_commissioning() -> None:
    assert operating_fraction(date(2024, 12, 31), YEAR) == 1.0
    assert operating_fraction(date(2025, 1, 1), YEAR) == 1.0
    # 2 July to 31 December: 30 + 31 + 30 + 31 + 30 + 31 = 183 of 365 days
    assert operating_fraction(date(2025, 7, 2), YEAR) == pytest.approx(183 / 365)
    assert operating_fraction(date(2025, 12, 31), YEAR) == pytest.approx(1 / 365)
    assert operating_fraction(date(2026, 1, 1), YEAR) == 0.0
    assert operating_fraction(date(2024, 12, 31), 2024) == pytest.approx(1 / 366)  # leap year


def test_estimated_yield_is_capacity_times_specific_yield_pro_rated() -> None:
    # 20 kWp × 730 kWh/kWp × 183/365 = 20 × 2 × 183 = 7,320 kWh
    assert estimated_yield_kwh(20.0, 730.0, date(2025, 7, 2), YEAR) == pytest.approx(7_320.0)
    assert estimated_yield_kwh(10.0, 1_000.0, date(2023, 5, 1), YEAR) == pytest.approx(10_000.0)
    with pytest.raises(ValueError, match="zero or more"):
        estimated_yield_kwh(-1.0, 1_000.0, date(2023, 5, 1), YEAR)


def test_new_urban_building_is_built_from_2022_to_the_year() -> None:
    assert [is_new_urban_building(y, YEAR, new_from=NEW_FROM) for y in (2021, 2022, 2025, 2026, None)] == [
        False,
        True,
        True,
        False,
        False,
    ]


def test_rate_matches_the_hand_calculation() -> None:
    """R: N1 10,000 (est.) + N2 7,320 (est., part year) + N4 2,000 (metered) + N5 0 = 19,320 kWh.
    E: 90,000 + 40,000 + 10,000 + 5,000 = 145,000 kWh (N3 has none: excluded).
    Rate = 19,320 / (145,000 + 19,320) = 19,320 / 164,320 = 11.7576 %."""
    result = renewable_substitution(BUILDINGS, PV, year=YEAR, new_from=NEW_FROM)
    assert result.renewable_kwh == pytest.approx(19_320.0)
    assert result.energy_kwh == pytest.approx(145_000.0)
    assert result.rate_pct == pytest.approx(100 * 19_320 / 164_320)
    assert result.rate_pct == pytest.approx(11.7576, abs=1e-4)
    assert result.estimated
    assert result.unknown_year_built == ("U1",)
    rows = {r.code: r for r in result.rows}
    assert list(rows) == ["N1", "N2", "N3", "N4", "N5"]  # O1 (old) and L1 (later) are not new in 2025
    assert (rows["N1"].yield_basis, rows["N1"].rate_pct) == ("estimated", pytest.approx(10.0))
    assert rows["N1"].flags == (FLAG_ESTIMATED_YIELD,)
    assert rows["N2"].renewable_kwh == pytest.approx(7_320.0)
    assert rows["N2"].flags == (FLAG_ESTIMATED_YIELD, FLAG_PV_PART_YEAR)
    # 7,320 / 47,320 = 15.469 %
    assert rows["N2"].rate_pct == pytest.approx(100 * 7_320 / 47_320)
    assert not rows["N3"].included
    assert rows["N3"].flags == (FLAG_NO_METERED_ENERGY, FLAG_ESTIMATED_YIELD)
    assert rows["N3"].rate_pct is None
    assert result.excluded == (rows["N3"],)
    assert (rows["N4"].yield_basis, rows["N4"].renewable_kwh) == ("metered", 2_000.0)
    assert rows["N4"].flags == (FLAG_LOW_COVERAGE,)
    assert (rows["N5"].yield_basis, rows["N5"].rate_pct, rows["N5"].flags) == ("none", 0.0, ())


def test_generation_above_use_is_flagged_and_nothing_new_gives_no_rate() -> None:
    exporter = [BuildingEnergyYear("X1", 2023, 1_000.0, 100.0)]
    pv = [OnsitePv("PV-X1", "X1", "rooftop", 10.0, date(2023, 1, 1), 1_000.0)]
    result = renewable_substitution(exporter, pv, year=YEAR, new_from=NEW_FROM)
    # 10,000 / (1,000 + 10,000) = 90.9 %, flagged as a probable exporter
    assert result.rate_pct == pytest.approx(100 * 10_000 / 11_000)
    assert FLAG_GENERATION_ABOVE_USE in result.rows[0].flags
    assert (
        renewable_substitution(exporter, pv, year=2022, new_from=NEW_FROM).rate_pct is None
    )  # X1 is built in 2023
    only_unmetered = renewable_substitution(
        [BuildingEnergyYear("N3", 2023, None)], [], year=YEAR, new_from=NEW_FROM
    )
    assert only_unmetered.rate_pct is None
    assert only_unmetered.excluded[0].flags == (FLAG_NO_METERED_ENERGY,)


def test_estimate_orientations_are_south_facing_defaults() -> None:
    assert ESTIMATE_ORIENTATION == {"rooftop": (20.0, 180.0), "bipv": (25.0, 180.0), "facade": (90.0, 180.0)}
