"""Waste rates on small hand-made statistics (hand-worked results in the comments)."""

from __future__ import annotations

import pytest

from carbonpeak.core.waste import (
    InspectionKind,
    InspectionRecord,
    PopulationRecord,
    Stream,
    StreamRecord,
    WasteData,
    WasteInputError,
    district_rollup,
    per_capita_generation,
    quality_flags,
    resource_recovery_rate,
    sorting_compliance_rate,
    waste_indicator,
)
from carbonpeak.core.waste.model import FlagCode, parse_period
from carbonpeak.core.waste.rates import DistrictRollup, select_periods


def _streams(
    street: str, period: str, rows: dict[Stream, tuple[float, float, float, float]]
) -> list[StreamRecord]:
    return [StreamRecord(street, period, s, *v) for s, v in rows.items()]


# FACTS.md §12: Shanghai 2020, t/d: recyclables 6,375, wet 9,504, dry 14,194 (total 30,073).
# Separated share = (6,375 + 9,504) / 30,073 = 15,879 / 30,073 = 52.80 %.
# Utilised (net of rejects): recyclables 6,000, wet 6,931.39 -> 12,931.39 / 30,073 = 43.00 %.
HAND_WORKED = _streams(
    "示例街道",
    "2020",
    {
        Stream.RECYCLABLE: (6375.0, 6000.0, 375.0, 0.0),
        Stream.WET: (9504.0, 6931.39, 2572.61, 0.0),
        Stream.DRY: (14194.0, 0.0, 12000.0, 2194.0),
        Stream.HAZARDOUS: (0.0, 0.0, 0.0, 0.0),
    },
)


def test_recovery_rate_is_the_utilised_share_not_the_separated_share() -> None:
    result = resource_recovery_rate(WasteData(tuple(HAND_WORKED)), year=2020, street="示例街道")
    assert result.separated_share_pct == pytest.approx(52.80, abs=0.005)
    assert result.rate_pct == pytest.approx(43.00, abs=1e-9)
    assert result.rate_pct != pytest.approx(result.separated_share_pct, abs=1.0)
    assert result.total_t == pytest.approx(30073.0)
    assert result.utilised_recovered_t == pytest.approx(12931.39)
    assert result.flags == ()


def test_recovery_rate_numerator_ignores_dry_and_hazardous_utilised() -> None:
    rows = _streams(
        "A",
        "2024",
        {
            Stream.RECYCLABLE: (10, 8, 2, 0),
            Stream.WET: (20, 10, 10, 0),
            Stream.DRY: (60, 5, 55, 0),  # dry 'utilised' (e.g. RDF) is not recovery
            Stream.HAZARDOUS: (10, 10, 0, 0),
        },
    )
    # (8 + 10) / 100 = 18 %
    assert resource_recovery_rate(WasteData(tuple(rows)), year=2024).rate_pct == pytest.approx(18.0)


def test_missing_stream_refuses_unless_allowed() -> None:
    rows = [r for r in HAND_WORKED if r.stream is not Stream.DRY]
    data = WasteData(tuple(rows))
    refused = resource_recovery_rate(data, year=2020)
    assert refused.rate_pct is None
    assert any(f.code is FlagCode.STREAM_MISSING and f.detail == "dry" for f in refused.flags)
    allowed = resource_recovery_rate(data, year=2020, allow_incomplete=True)
    assert allowed.rate_pct == pytest.approx(100 * 12931.39 / 15879)
    assert any(f.code is FlagCode.INCOMPLETE_STREAMS for f in allowed.flags)


def test_utilised_above_collected_is_flagged() -> None:
    rows = _streams("A", "2024", {s: (10.0, 12.0 if s is Stream.WET else 0.0, 0.0, 0.0) for s in Stream})
    flags = resource_recovery_rate(WasteData(tuple(rows)), year=2024).flags
    assert [f.code for f in flags] == [FlagCode.UTILISED_EXCEEDS_COLLECTED]
    assert "wet" in flags[0].detail


def test_disposal_above_collected_is_flagged() -> None:
    rows = _streams("A", "2024", {s: (10.0, 5.0, 6.0, 0.0) for s in Stream})
    codes = {f.code for f in resource_recovery_rate(WasteData(tuple(rows)), year=2024).flags}
    assert codes == {FlagCode.DISPOSAL_EXCEEDS_COLLECTED}


def test_quarters_sum_and_partial_year_is_flagged() -> None:
    q = [
        r
        for period in ("2024Q1", "2024Q2", "2024Q3")
        for r in _streams("A", period, {s: (10.0, 5.0 if s is Stream.WET else 0.0, 5.0, 0.0) for s in Stream})
    ]
    result = resource_recovery_rate(WasteData(tuple(q)), year=2024)
    assert result.total_t == 120.0
    assert result.rate_pct == pytest.approx(100 * 15 / 120)
    partial = [f for f in result.flags if f.code is FlagCode.PARTIAL_YEAR]
    assert len(partial) == 1
    assert "Oct" in partial[0].detail
    assert "Dec" in partial[0].detail


def test_year_record_wins_over_finer_periods() -> None:
    codes, flags = select_periods(["2024", "2024Q1", "2024-02", "2023"], 2024, "A")
    assert codes == {"2024"}
    assert sorted(f.period for f in flags if f.code is FlagCode.PERIOD_OVERLAP) == ["2024-02", "2024Q1"]


def test_months_inside_a_reported_quarter_are_ignored() -> None:
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    codes, flags = select_periods([*months, "2024Q2"], 2024)
    assert codes == {"2024Q2", "2024-01", "2024-02", "2024-03", *months[6:]}
    assert {f.period for f in flags} == {"2024-04", "2024-05", "2024-06"}


def test_period_parsing() -> None:
    assert parse_period("2024q3").months == frozenset({7, 8, 9})
    assert parse_period("2024-07").kind == "month"
    assert parse_period("2024").months == frozenset(range(1, 13))
    for bad in ("2024Q5", "2024-13", "24", "2024/07"):
        with pytest.raises(WasteInputError, match="is not a period"):
            parse_period(bad)


def test_negative_or_non_finite_tonnes_refused() -> None:
    with pytest.raises(WasteInputError):
        StreamRecord("A", "2024", Stream.WET, -1.0, 0.0, 0.0, 0.0)
    with pytest.raises(WasteInputError):
        StreamRecord("A", "2024", Stream.WET, float("nan"), 0.0, 0.0, 0.0)
    with pytest.raises(WasteInputError):
        InspectionRecord("A", "2024", InspectionKind.UNIT, 3, 4)


INSPECTIONS = (
    InspectionRecord("A", "2024", InspectionKind.RESIDENTIAL, 40, 38),
    InspectionRecord("A", "2024", InspectionKind.UNIT, 60, 54),
    InspectionRecord("B", "2024", InspectionKind.RESIDENTIAL, 10, 10),
)


def test_compliance_over_both_kinds_or_each() -> None:
    data = WasteData(inspections=INSPECTIONS)
    assert sorting_compliance_rate(data, year=2024, street="A").rate_pct == pytest.approx(92.0)  # 92/100
    assert sorting_compliance_rate(data, year=2024, street="A", kind="residential").rate_pct == 95.0
    assert sorting_compliance_rate(data, year=2024, street="A", kind="unit").rate_pct == 90.0
    # district: (38 + 54 + 10) / 110
    assert sorting_compliance_rate(data, year=2024).rate_pct == pytest.approx(100 * 102 / 110)
    none = sorting_compliance_rate(data, year=2024, street="B", kind="unit")
    assert none.rate_pct is None
    assert none.flags[-1].code is FlagCode.NO_INSPECTIONS
    with pytest.raises(WasteInputError, match="unknown inspection kind"):
        sorting_compliance_rate(data, year=2024, kind="shops")


def test_per_capita_needs_population_and_a_whole_year() -> None:
    rows = tuple(_streams("A", "2024", {s: (250.0, 0.0, 250.0, 0.0) for s in Stream}))  # 1,000 t
    missing = per_capita_generation(WasteData(rows), year=2024, street="A")
    assert missing.generation_kg_per_capita_a is None
    assert missing.flags[-1].code is FlagCode.POPULATION_MISSING
    data = WasteData(rows, population=(PopulationRecord("A", 2024, 4000.0),))
    result = per_capita_generation(data, year=2024, street="A")
    assert result.generation_kg_per_capita_a == pytest.approx(250.0)  # 1,000,000 kg / 4,000
    assert result.generation_kg_per_capita_d == pytest.approx(250.0 / 366)  # 2024 is a leap year
    quarter = tuple(_streams("A", "2024Q1", {s: (25.0, 0.0, 25.0, 0.0) for s in Stream}))
    partial = WasteData(quarter, population=data.population)
    assert per_capita_generation(partial, year=2024, street="A").generation_kg_per_capita_a is None
    assert per_capita_generation(
        partial, year=2024, street="A", allow_partial_year=True
    ).generation_kg_per_capita_a == pytest.approx(25.0)


def test_district_rollup_sums_tonnes_and_ranks_streets() -> None:
    a = _streams(
        "A",
        "2024",
        {
            Stream.RECYCLABLE: (10, 9, 1, 0),
            Stream.WET: (10, 9, 1, 0),
            Stream.DRY: (80, 0, 80, 0),
            Stream.HAZARDOUS: (0, 0, 0, 0),
        },
    )
    b = _streams(
        "B",
        "2024",
        {
            Stream.RECYCLABLE: (100, 50, 50, 0),
            Stream.WET: (100, 50, 50, 0),
            Stream.DRY: (100, 0, 100, 0),
            Stream.HAZARDOUS: (0, 0, 0, 0),
        },
    )
    data = WasteData(
        tuple(a + b), INSPECTIONS, (PopulationRecord("A", 2024, 1000), PopulationRecord("B", 2024, 1000))
    )
    rollup = district_rollup(data, year=2024)
    by_street = {s.street: s for s in rollup.streets}
    assert by_street["A"].recovery.rate_pct == pytest.approx(18.0)  # 18 / 100
    assert by_street["B"].recovery.rate_pct == pytest.approx(100 * 100 / 300)
    assert (by_street["B"].recovery_rank, by_street["A"].recovery_rank) == (1, 2)
    assert (by_street["B"].compliance_rank, by_street["A"].compliance_rank) == (1, 2)
    # district = (18 + 100) / 400 = 29.5 %, not the mean of 18 % and 33.3 %
    assert rollup.district.recovery.rate_pct == pytest.approx(29.5)
    assert rollup.district.per_capita.population_persons == 2000
    assert DistrictRollup.from_dict(rollup.to_dict()) == rollup


def test_dispatcher_rejects_unknown_method() -> None:
    data = WasteData(tuple(HAND_WORKED))
    assert waste_indicator("resource_recovery_rate", data, year=2020).rate_pct == pytest.approx(43.0)
    with pytest.raises(WasteInputError, match="unknown waste method 'recycling_rate'"):
        waste_indicator("recycling_rate", data, year=2020)
    with pytest.raises(WasteInputError):
        waste_indicator("district_rollup", data, year=2020, street="A")


def test_quality_flags_lists_every_street() -> None:
    rows = _streams("A", "2024Q1", {Stream.WET: (1.0, 2.0, 0.0, 0.0)})
    codes = {f.code for f in quality_flags(WasteData(tuple(rows)), year=2024)}
    # no inspections and no population either: those are findings too
    assert codes == {
        FlagCode.PARTIAL_YEAR,
        FlagCode.UTILISED_EXCEEDS_COLLECTED,
        FlagCode.STREAM_MISSING,
        FlagCode.NO_DATA,
        FlagCode.NO_INSPECTIONS,
        FlagCode.POPULATION_MISSING,
    }
