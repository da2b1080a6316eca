"""GB/T 51366-2019 life-cycle carbon: the issue's hand-worked example and the standard's rules."""

from __future__ import annotations

import math

import pytest

from carbonpeak.core.flags import Evidence
from carbonpeak.core.lca import (
    BomItem,
    EnergyFactor,
    EnergyUse,
    FactorTables,
    LcaInputError,
    LcaInsufficientDataError,
    LcaResult,
    MaterialFactor,
    TransportMode,
    VariantComparison,
    compare_variants,
    gbt51366,
    life_cycle_carbon,
    operation_emissions,
)
from carbonpeak.io.lca import packaged_lca_tables

TRUCK = "heavy-diesel-truck-30t"


@pytest.fixture(scope="module")
def tables() -> FactorTables:
    return packaged_lca_tables()


def hand_worked(tables: FactorTables) -> LcaResult:
    items = [
        BomItem("concrete-c30", 3000, "m3", transport_km=40, transport_mode=TRUCK, density_t_per_m3=2.4),
        BomItem("rebar-hot-rolled", 300, "t", transport_mode=TRUCK),  # no distance: the 500 km default
    ]
    return gbt51366(items, tables, floor_area_m2=10_000)


def test_the_shipped_factors_are_the_issues_with_their_tags(tables: FactorTables) -> None:
    c30, rebar = tables.material("concrete-c30"), tables.material("rebar-hot-rolled")
    truck = tables.transport_mode(TRUCK)
    assert (c30.factor_kgco2e, c30.basis, c30.evidence) == (295, "m3", Evidence.SECONDARY)
    assert (rebar.factor_kgco2e, rebar.basis, rebar.evidence) == (2340, "t", Evidence.SECONDARY)
    assert (truck.factor_kgco2e_per_tkm, truck.evidence) == (0.078, Evidence.SECONDARY)
    assert "C30混凝土" == c30.name_zh
    assert "热轧带肋钢筋" == rebar.name_zh
    # no source gives concrete's density: the table leaves it empty with evidence X
    assert c30.density_t_per_m3 is None
    assert c30.density_evidence is Evidence.NOT_FOUND


def test_hand_worked_example(tables: FactorTables) -> None:
    result = hand_worked(tables)
    # materials: 3,000 m3 x 295 + 300 t x 2,340 = 885,000 + 702,000
    assert result.stages.materials_kgco2e == pytest.approx(1_587_000)
    # transport: 7,200 t x 40 km x 0.078 + 300 t x 500 km x 0.078 = 22,464 + 11,700
    assert result.stages.transport_kgco2e == pytest.approx(34_164)
    assert result.per_m2_kgco2e == pytest.approx(162.1164)
    assert round(result.per_m2_kgco2e, 1) == 162.1
    rebar = next(m for m in result.by_material if m.material == "rebar-hot-rolled")
    assert rebar.default_distance
    assert rebar.tkm == pytest.approx(150_000)
    assert result.coverage.share_pct == pytest.approx(100)
    assert result.coverage.meets_95_pct
    codes = {f.code for f in result.flags}
    assert {"factor_evidence_s", "default_transport_distance"} <= codes
    assert [m.material for m in result.by_material] == ["concrete-c30", "rebar-hot-rolled"]


def test_result_round_trips_and_cli_shape(tables: FactorTables) -> None:
    result = hand_worked(tables)
    assert LcaResult.from_dict(result.to_dict()) == result
    cli = result.to_cli_dict()
    assert list(cli) == ["stages", "total_kgco2e", "per_m2_kgco2e", "by_material", "coverage_by_mass"]
    assert list(cli["stages"]) == [
        "materials_kgco2e",
        "transport_kgco2e",
        "construction_kgco2e",
        "operation_kgco2e",
        "demolition_kgco2e",
    ]


def test_concrete_without_density_is_refused_unless_told(tables: FactorTables) -> None:
    items = [BomItem("concrete-c30", 100, "m3", transport_mode=TRUCK)]
    with pytest.raises(LcaInsufficientDataError, match="density"):
        gbt51366(items, tables, floor_area_m2=100)
    result = gbt51366(items, tables, floor_area_m2=100, allow_incomplete=True)
    assert result.stages.materials_kgco2e == pytest.approx(29_500)
    assert result.stages.transport_kgco2e == 0
    assert {"transport_mass_unknown", "mass_unknown"} <= {f.code for f in result.flags}


def test_95_pct_coverage_and_0_1_pct_omission(tables: FactorTables) -> None:
    # C25 has no factor (evidence X): 10 t of 110 t is left out, so 90.9 % is counted
    items = [
        BomItem("rebar-hot-rolled", 100, "t", transport_km=0),
        BomItem("concrete-c25", 10, "m3", transport_km=0, density_t_per_m3=1.0),
    ]
    with pytest.raises(LcaInsufficientDataError, match="95"):
        gbt51366(items, tables, floor_area_m2=100)
    result = gbt51366(items, tables, floor_area_m2=100, allow_incomplete=True)
    assert result.coverage.share_pct == pytest.approx(100 * 100 / 110)
    assert result.coverage.omitted_over_0_1_pct == ("concrete-c25",)
    # under 0.1 % of the mass it may be left out: coverage passes, no omission warning
    small = [items[0], BomItem("concrete-c25", 0.05, "m3", transport_km=0, density_t_per_m3=1.0)]
    ok = gbt51366(small, tables, floor_area_m2=100)
    assert ok.coverage.meets_95_pct
    assert ok.coverage.negligible == ("concrete-c25",)
    assert "omitted_over_0_1_pct" not in {f.code for f in ok.flags}


def test_construction_and_demolition_energy(tables: FactorTables) -> None:
    diesel = EnergyFactor("diesel", 3096.0, "t", Evidence.SECONDARY, "fuel-diesel")
    items = [
        BomItem("rebar-hot-rolled", 10, "t", transport_km=0),
        BomItem("diesel", 2, "t", stage="construction"),
        BomItem("diesel", 1, "t", stage="demolition"),
    ]
    result = gbt51366(items, tables, floor_area_m2=100, energy_factors={"diesel": diesel})
    assert result.stages.construction_kgco2e == pytest.approx(6192)
    assert result.stages.demolition_kgco2e == pytest.approx(3096)
    with pytest.raises(LcaInputError, match="unit"):
        gbt51366(
            [BomItem("diesel", 2, "kWh", stage="construction")],
            tables,
            floor_area_m2=1,
            energy_factors={"diesel": diesel},
        )


def test_operation_formula() -> None:
    factors = {"electricity": EnergyFactor("electricity", 0.42, "kWh", Evidence.VERIFIED, "sh")}
    # C_M = (Σ E·EF − C_p)·y/A = (100,000 kWh x 0.42 − 2,000)·50/1,000
    op = operation_emissions(
        "energy_model",
        [EnergyUse("electricity", 100_000, "kWh")],
        factors,
        floor_area_m2=1000,
        service_life_years=50,
        renewables_kgco2e_per_year=2000,
    )
    assert op.per_m2_kgco2e == pytest.approx(2000)
    assert op.total_kgco2e == pytest.approx(2_000_000)
    metered = operation_emissions(
        "metered",
        [EnergyUse("electricity", 90_000, "kWh", 2024), EnergyUse("electricity", 110_000, "kWh", 2025)],
        factors,
        floor_area_m2=1000,
        service_life_years=50,
    )
    assert metered.annual_kgco2e == pytest.approx(42_000)
    assert metered.years == (2024, 2025)
    with pytest.raises(LcaInputError, match="unknown operation method"):
        operation_emissions("simulated", [], factors, floor_area_m2=1)
    with pytest.raises(LcaInputError, match="no year"):
        operation_emissions("metered", [EnergyUse("electricity", 1, "kWh")], factors, floor_area_m2=1)


def test_operation_stage_in_the_total(tables: FactorTables) -> None:
    factors = {"electricity": EnergyFactor("electricity", 0.42, "kWh", Evidence.VERIFIED, "sh")}
    op = operation_emissions(
        "energy_model", [EnergyUse("electricity", 1000, "kWh")], factors, floor_area_m2=10_000
    )
    items = [BomItem("rebar-hot-rolled", 1, "t", transport_km=0)]
    result = gbt51366(items, tables, floor_area_m2=10_000, operation=op)
    assert result.stages.operation_kgco2e == pytest.approx(1000 * 0.42 * 50)
    assert math.isclose(result.total_kgco2e, 2340 + 21_000)


def test_dispatcher_and_bad_input(tables: FactorTables) -> None:
    with pytest.raises(LcaInputError, match="unknown life-cycle method 'en15978'"):
        life_cycle_carbon("en15978", [], tables, floor_area_m2=1)
    with pytest.raises(LcaInputError, match="finite"):
        gbt51366([BomItem("rebar-hot-rolled", math.nan, "t")], tables, floor_area_m2=1)
    with pytest.raises(LcaInputError, match="floor_area_m2"):
        gbt51366([], tables, floor_area_m2=0)
    with pytest.raises(LcaInputError, match="not a known material"):
        gbt51366([BomItem("unobtainium", 1, "t")], tables, floor_area_m2=1)
    with pytest.raises(LcaInputError, match="transport_mode"):
        gbt51366([BomItem("rebar-hot-rolled", 1, "t")], tables, floor_area_m2=1)
    with pytest.raises(LcaInputError, match="per m2"):
        gbt51366([BomItem("rebar-hot-rolled", 1, "m2")], tables, floor_area_m2=1)


def test_window_per_m2_has_unknown_mass(tables: FactorTables) -> None:
    items = [
        BomItem("rebar-hot-rolled", 10, "t", transport_km=0),
        BomItem("window-aluminium-thermal-break", 100, "m2", transport_km=0),
    ]
    result = gbt51366(items, tables, floor_area_m2=100)
    assert result.stages.materials_kgco2e == pytest.approx(23_400 + 25_400)
    assert result.coverage.mass_unknown == ("window-aluminium-thermal-break",)


def _tiny_tables() -> FactorTables:
    concrete = MaterialFactor("c", "混凝土", "concrete", "concrete", 300, "m3", 2.0, Evidence.RECALLED, "t")
    steel = MaterialFactor("s", "钢", "steel", "steel", 2000, "t", None, Evidence.RECALLED, "t")
    truck = TransportMode("truck", "货车", "truck", 0.1, Evidence.RECALLED, "t")
    return FactorTables((concrete, steel), (truck,), version="test")


def test_compare_variants_by_stage_and_material() -> None:
    tables = _tiny_tables()
    cast = gbt51366(
        [BomItem("c", 100, "m3"), BomItem("s", 10, "t")],
        tables,
        floor_area_m2=1000,
        default_transport_mode="truck",
    )
    prefab = gbt51366(
        [BomItem("c", 80, "m3"), BomItem("s", 12, "t")],
        tables,
        floor_area_m2=1000,
        default_transport_mode="truck",
    )
    comparison = compare_variants(cast, prefab)
    diff = comparison.stage_difference
    # materials: (80·300 + 12·2000) − (100·300 + 10·2000) = 48,000 − 50,000
    assert diff.materials_kgco2e == pytest.approx(-2000)
    # transport: (160 t·40 km + 12 t·500 km − 200 t·40 km − 10 t·500 km)·0.1 = (12,400 − 13,000)·0.1
    assert diff.transport_kgco2e == pytest.approx(-60)
    assert comparison.total_difference_kgco2e == pytest.approx(-2060)
    by = {d.material: d.difference_kgco2e for d in comparison.by_material}
    assert by == pytest.approx({"c": -6000 - 160, "s": 4000 + 100})
    assert VariantComparison.from_dict(comparison.to_dict()) == comparison
    other = gbt51366([BomItem("s", 1, "t", transport_km=0)], tables, floor_area_m2=5)
    with pytest.raises(LcaInputError, match="floor areas differ"):
        compare_variants(cast, other)
