"""The plan's PV and charging rules on small hand-made registries (hand-worked results in comments)."""

from __future__ import annotations

from datetime import date

import pytest

from carbonpeak.core.renewables.rules import (
    ChargingSiteRow,
    CoverageScope,
    OfficeChargerRule,
    PvSite,
    RoofAreaRule,
    RoofBuilding,
    capacity_added_kw_by_year,
    chargers_added_by_year,
    fast_charger_share,
    new_building_compliance,
    office_charger_compliance,
    parking_lots_equipped,
    pv_area_m2,
    residential_readiness,
    residential_ready_share,
    roof_coverage,
    taxi_stations_by_year,
)

# The rules' parameters as the reference plan states them (data/plans/yangpu-2022.yaml, 三(一)1 and 三(四)3).
PERIOD = (date(2021, 1, 1), date(2025, 12, 31))  # 十四五
ROOF_RULES = (
    RoofAreaRule(
        "pv_roof_area_share_new_gov_school_factory",
        ("government_office", "school_university", "industrial"),
        2022,
        50.0,
    ),
    RoofAreaRule(
        "pv_roof_area_share_new_other_public",
        ("commercial_office", "shopping_mall", "supermarket", "hotel", "hospital", "data_centre", "other"),
        2022,
        30.0,
    ),
)
SCOPE = CoverageScope(uses=("industrial",), public_institutions=True)
OFFICE_RULE = OfficeChargerRule("charger_space_share_new_offices", ("office", "public_facility"), 15.0, 30.0)
READY = "charging_ready_new_residential"

BUILDINGS = [
    RoofBuilding("G1", "government_office", True, 1000.0, 2023),  # new, 50 % rule
    RoofBuilding("S1", "school_university", True, 2000.0, 2010),  # old public institution
    RoofBuilding("F1", "industrial", False, 4000.0, 2000),  # old factory
    RoofBuilding("H1", "hospital", True, 500.0, 2024),  # new, 30 % rule
    RoofBuilding("O1", "commercial_office", False, 800.0, 2015),  # out of coverage scope
    RoofBuilding("R1", "residential", False, 600.0, 2024),  # residential: no rule
    RoofBuilding("P1", "government_office", True, 0.0, 2005),  # roof recorded unsuitable (0 m²)
]
PV = [
    PvSite("PV1", 100.0, "rooftop", date(2023, 6, 1), "G1"),  # 100 / 0.2 = 500 m² of 1000 → 50 %
    PvSite("PV2", 20.0, "bipv", date(2021, 3, 1), "H1"),  # 100 m² of 500 → 20 % < 30 %
    PvSite("PV3", 300.0, "rooftop", date(2019, 1, 1), "F1"),  # before the plan period
    PvSite("PV4", 50.0, "carport", date(2025, 12, 31), "S1"),  # carport: no roof coverage
    PvSite("PV5", 7.5, "facade", date(2026, 1, 1), None),  # after the period
]


def test_pv_area_is_capacity_over_density() -> None:
    assert pv_area_m2(100.0) == pytest.approx(500.0)
    assert pv_area_m2(100.0, 0.25) == pytest.approx(400.0)
    with pytest.raises(ValueError, match="positive"):
        pv_area_m2(1.0, 0.0)


def test_roof_coverage_counts_buildings_in_scope() -> None:
    # scope: G1, S1, F1, H1 (public institutions or industrial); P1's roof is recorded as 0 m²
    # covered: G1 (rooftop), F1 (rooftop), H1 (BIPV); S1 only has a carport → 3 of 4 = 75 %
    coverage = roof_coverage(BUILDINGS, PV, scope=SCOPE)
    assert (coverage.count, coverage.total) == (3, 4)
    assert coverage.share_pct == pytest.approx(75.0)
    # by the end of 2022 G1's installation (2023) is not there yet → 2 of 4
    assert roof_coverage(BUILDINGS, PV, scope=SCOPE, as_of=date(2022, 12, 31)).share_pct == pytest.approx(
        50.0
    )
    # an unknown roof area counts as suitable: one more uncovered building → 3 of 5
    unknown = [*BUILDINGS, RoofBuilding("U1", "industrial", False, None, 1999)]
    assert roof_coverage(unknown, PV, scope=SCOPE).share_pct == pytest.approx(60.0)


def test_new_building_compliance_50_and_30_rules() -> None:
    result = {c.code: c for c in new_building_compliance(BUILDINGS, PV, rules=ROOF_RULES)}
    assert set(result) == {"G1", "H1"}
    assert result["G1"].required_pct == 50.0
    assert result["G1"].share_pct == pytest.approx(50.0)
    assert result["G1"].complies
    assert result["H1"].required_pct == 30.0
    assert result["H1"].share_pct == pytest.approx(20.0)
    assert not result["H1"].complies


def test_new_building_without_roof_area_does_not_comply() -> None:
    result = new_building_compliance(
        [RoofBuilding("N1", "industrial", False, None, 2023)], [], rules=ROOF_RULES
    )
    assert [(c.code, c.complies, c.detail) for c in result] == [("N1", False, "roof area not recorded")]


def test_capacity_added_by_year_in_plan_period() -> None:
    # PV3 (2019) and PV5 (2026) fall outside 2021–2025
    assert capacity_added_kw_by_year(PV, period=PERIOD) == {2021: 20.0, 2023: 100.0, 2025: 50.0}


SITES = [
    # office: 20 chargers on 100 spaces = 20 %, 6 fast of 20 = 30 % → complies
    ChargingSiteRow("C1", "office", "dedicated", 100, 6, 14, date(2022, 5, 1)),
    # public facility: 10 on 100 = 10 % < 15 % → fails
    ChargingSiteRow("C2", "public_facility", "public", 100, 5, 5, date(2024, 1, 1)),
    # office: 20 on 100 but 5 fast = 25 % < 30 % → fails
    ChargingSiteRow("C3", "office", "public", 100, 5, 15, date(2023, 1, 1)),
    # old office: not new, but its chargers are older too
    ChargingSiteRow("C4", "office", "public", 50, 0, 10, date(2019, 1, 1)),
    ChargingSiteRow("L1", "parking_lot", "public", 200, 10, 30, date(2021, 7, 1)),
    ChargingSiteRow("L2", "parking_lot", "public", 80, 0, 0, date(2025, 2, 1)),
    ChargingSiteRow("T1", "taxi_station", "dedicated", 30, 12, 0, date(2024, 9, 1)),
    ChargingSiteRow("R1", "residential", "dedicated", 300, 0, 50, date(2023, 1, 1)),
]


def test_chargers_added_excludes_residential_and_old_sites() -> None:
    # 2021: L1 40; 2022: C1 20; 2023: C3 20 (R1 residential left out); 2024: C2 10 + T1 12; 2025: L2 0
    assert chargers_added_by_year(SITES, period=PERIOD) == {2021: 40, 2022: 20, 2023: 20, 2024: 22, 2025: 0}


def test_office_charger_compliance_15_and_30_pct() -> None:
    result = {c.code: c for c in office_charger_compliance(SITES, period=PERIOD, rule=OFFICE_RULE)}
    assert set(result) == {"C1", "C2", "C3"}
    assert result["C1"].complies
    assert result["C1"].share_pct == pytest.approx(20.0)
    assert not result["C2"].complies
    assert result["C2"].share_pct == pytest.approx(10.0)
    assert not result["C3"].complies
    assert result["C3"].detail == "fast 25.0 %"
    # fast share over new offices and facilities: (6 + 5 + 5) / (20 + 10 + 20) = 32 %
    assert fast_charger_share(
        SITES, period=PERIOD, site_kinds=OFFICE_RULE.site_kinds
    ).share_pct == pytest.approx(32.0)


def test_parking_lots_and_taxi_stations() -> None:
    lots = parking_lots_equipped(SITES, period=PERIOD)
    assert (lots.count, lots.total) == (1, 2)
    assert lots.share_pct == pytest.approx(50.0)
    assert parking_lots_equipped([], period=PERIOD).share_pct is None
    assert taxi_stations_by_year(SITES, period=PERIOD) == {2024: 1}


HOMES = [
    # 50 chargers + 250 reserved = 300 of 300 spaces → 100 %, complies
    ChargingSiteRow("R1", "residential", "dedicated", 300, 0, 50, date(2023, 1, 1), ready_spaces=250),
    # 10 chargers + 100 reserved = 110 of 200 → 55 %
    ChargingSiteRow("R2", "residential", "dedicated", 200, 0, 10, date(2024, 6, 1), ready_spaces=100),
    # every space has a charger: complies without a ready-space count
    ChargingSiteRow("R3", "residential", "dedicated", 40, 0, 40, date(2022, 3, 1)),
    # reserved spaces not recorded: only the 5 chargers count → 5 of 100 = 5 %
    ChargingSiteRow("R4", "residential", "dedicated", 100, 0, 5, date(2025, 1, 1)),
    # parking spaces not recorded
    ChargingSiteRow("R5", "residential", "dedicated", 0, 0, 0, date(2023, 1, 1), ready_spaces=0),
    # old community (2019): not new, not judged
    ChargingSiteRow("R6", "residential", "dedicated", 100, 0, 0, date(2019, 1, 1), ready_spaces=0),
    # an office is not a residential community
    ChargingSiteRow("C1", "office", "dedicated", 100, 6, 14, date(2022, 5, 1), ready_spaces=80),
]


def test_residential_readiness_per_community_and_share() -> None:
    result = {c.code: c for c in residential_readiness(HOMES, period=PERIOD, target=READY)}
    assert list(result) == ["R1", "R2", "R3", "R4", "R5"]
    assert [(c.complies, round(c.share_pct, 1), c.detail) for c in result.values()] == [
        (True, 100.0, ""),
        (False, 55.0, ""),
        (True, 100.0, ""),
        (False, 5.0, "ready spaces not recorded"),
        (False, 0.0, "parking spaces not recorded"),
    ]
    assert all(
        c.rule == "charging_ready_new_residential" and c.required_pct == 100.0 for c in result.values()
    )
    # 2 of the 5 new communities comply → 40 %
    share = residential_ready_share(list(result.values()))
    assert (share.count, share.total, share.share_pct) == (2, 5, pytest.approx(40.0))
    assert residential_ready_share([]).share_pct is None
