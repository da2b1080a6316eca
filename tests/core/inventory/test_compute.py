"""Inventory computation: hand-worked examples, provenance, flags, GPC table and properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.core.inventory import ActivityRecord, compute_inventory
from carbonpeak.core.inventory.report import compare_documents, gpc_table, inventory_document
from carbonpeak.core.units import convert
from carbonpeak.data import packaged_library

LIB = packaged_library()


def rec(carrier, quantity, unit, sector="commercial", year=2023, **kw):
    return ActivityRecord(year, "yangpu", sector, carrier, quantity, unit, row=kw.pop("row", 2), **kw)


def test_ten_thousand_kwh_of_purchased_electricity_in_shanghai():
    # 1 万kWh x 4.2 tCO2/万kWh = 4.2 tCO2; 10 000 kWh x 0.1229 kgce/kWh = 1229 kgce = 1.229 tce.
    (row,) = compute_inventory([rec("electricity", 1, "万kWh")], LIB).records
    assert row.co2_t == pytest.approx(4.2, rel=1e-12)
    assert row.energy_tce == pytest.approx(1.229, rel=1e-12)
    assert row.scope == 2
    assert [(f.factor_id, f.table_version) for f in row.factors] == [
        ("coal-elec-ce", "2026-11-25"),
        ("sh-elec-2022", "2026-11-25"),
    ]


def test_ten_thousand_normal_cubic_metres_of_natural_gas():
    # 389.31 GJ x 15.3 tC/TJ x 0.99 x 44/12 = 21.62 tCO2; 10 000 m3 x 1.2143 kgce/m3 = 12.143 tce.
    (row,) = compute_inventory([rec("natural_gas", 1, "万Nm3", sector="residential")], LIB).records
    assert round(row.co2_t, 2) == 21.62
    assert row.energy_tce == pytest.approx(12.143, rel=1e-12)
    assert row.energy_tce_equal_value == pytest.approx(
        12.143, rel=1e-12
    )  # a primary fuel: the bases coincide
    assert row.scope == 1


def test_units_of_the_row_are_converted():
    kwh = compute_inventory([rec("electricity", 10_000, "kWh")], LIB).records[0]
    mwh = compute_inventory([rec("electricity", 10, "MWh")], LIB).records[0]
    assert kwh.co2_t == pytest.approx(mwh.co2_t) == pytest.approx(4.2)
    gas_m3 = compute_inventory([rec("natural_gas", 10_000, "m3")], LIB).records[0]
    assert gas_m3.co2_t == pytest.approx(21.6218881, rel=1e-6)


def test_equal_value_electricity_needs_the_year_coal_rate():
    (row,) = compute_inventory([rec("electricity", 1, "万kWh")], LIB).records
    assert row.energy_tce_equal_value is None
    assert "equal-value coefficient" in row.flags[0]
    assert "evidence X" in row.flags[0]
    (with_rate,) = compute_inventory([rec("electricity", 1, "万kWh")], LIB, coal_rates={2023: 0.305}).records
    assert with_rate.energy_tce_equal_value == pytest.approx(3.05)  # 10 000 kWh x 0.305 kgce/kWh
    assert with_rate.flags == ()


def test_another_electricity_series_is_one_argument():
    rows = [rec("electricity", 1, "万kWh"), rec("natural_gas", 1, "万Nm3")]
    shanghai = compute_inventory(rows, LIB)
    national = compute_inventory(rows, LIB, electricity_series="mee_nbs_average")
    assert national.records[0].co2_t == pytest.approx(5.737)  # 0.5737 kgCO2/kWh, Shanghai 2023 [S]
    assert national.records[1].co2_t == shanghai.records[1].co2_t
    assert national.electricity_series == "mee_nbs_average"
    assert "mee-avg-sh-2023" in {f.factor_id for f in national.factors_used}


def test_a_missing_factor_is_flagged_and_totals_become_unknown():
    result = compute_inventory(
        [rec("electricity", 1, "万kWh", year=2019), rec("natural_gas", 1, "万Nm3", year=2019)],
        LIB,
        electricity_series="mee_nbs_average",
    )
    assert result.records[0].co2_t is None
    assert "year 2019" in result.flags()[1]
    year = result.years[0]
    assert year.co2_t is None  # never silently low
    assert year.energy_tce == pytest.approx(1.229 + 12.143)


def test_direct_entries_sinks_and_notations():
    rows = [
        rec("co2e", 500, "tCO2e", sector="process", row=2),
        rec("co2e", 80, "tCO2e", sector="sinks", row=3),
        rec("co2e", None, "tCO2e", sector="waste", notation="NE", row=4),
        rec("electricity", 1, "万kWh", row=5),
    ]
    result = compute_inventory(rows, LIB)
    year = result.years[0]
    assert year.co2_t == pytest.approx(500 - 80 + 4.2)
    assert year.by_sector["sinks"].scope1_t == -80
    assert year.by_sector["waste"].notations == {"NE"}
    gpc = {r["sector"]: r for r in gpc_table(year)}
    assert (gpc["process"]["scope1_t"], gpc["process"]["scope2_t"]) == (500.0, "NO")
    assert (gpc["waste"]["scope1_t"], gpc["waste"]["scope2_t"]) == ("NE", "NO")
    assert (gpc["commercial"]["scope1_t"], gpc["commercial"]["scope2_t"]) == ("NE", 4.2)
    assert gpc["industry"]["scope1_t"] == "NE"
    document = inventory_document(result)
    waste = next(s for s in document["years"][0]["by_sector"] if s["sector"] == "waste")
    assert (waste["co2_t"], waste["notation"]) == (None, "NE")


def test_on_site_pv_counts_as_non_fossil_energy_without_emissions():
    result = compute_inventory([rec("solar_pv", 1, "万kWh"), rec("electricity", 9, "万kWh")], LIB)
    assert result.records[0].co2_t == 0.0
    assert result.years[0].non_fossil_share == pytest.approx(0.1)


def test_totals_by_sector_and_scope():
    rows = [
        rec("electricity", 2, "万kWh", row=2),
        rec("natural_gas", 1, "万Nm3", row=3),
        rec("gasoline", 1, "t", sector="transport", row=4),
    ]
    year = compute_inventory(rows, LIB).years[0]
    commercial = year.by_sector["commercial"]
    assert commercial.scope2_t == pytest.approx(8.4)
    assert commercial.scope1_t == pytest.approx(21.6218881, rel=1e-6)
    # gasoline: 43.070 GJ/t x 18.9 tC/TJ x 0.98 x 44/12 = 2.92505598 tCO2/t
    assert year.by_sector["transport"].co2_t == pytest.approx(2.92505598, rel=1e-8)
    assert list(year.by_sector) == ["transport", "commercial"]  # reporting order


def test_compare_documents_lists_each_change():
    rows = [rec("electricity", 1, "万kWh")]
    frozen = inventory_document(compute_inventory(rows, LIB))
    assert compare_documents(frozen, frozen) == []
    other = inventory_document(compute_inventory(rows, LIB, electricity_series="mee_nbs_average"))
    (change,) = compare_documents(frozen, other)
    assert (change["field"], change["frozen"], change["recomputed"], change["change"]) == (
        "co2_t",
        4.2,
        5.737,
        1.537,
    )


CARRIER_UNITS = {
    "electricity": ["kWh", "MWh", "万kWh"],
    "natural_gas": ["m3", "万Nm3"],
    "diesel": ["t", "kg"],
    "heat": ["GJ", "MJ"],
    "gasoline": ["t"],
    "lpg": ["t"],
}
records = st.lists(
    st.builds(
        lambda carrier, unit_index, quantity, year, sector: rec(
            carrier, quantity, CARRIER_UNITS[carrier][unit_index % len(CARRIER_UNITS[carrier])], sector, year
        ),
        st.sampled_from(sorted(CARRIER_UNITS)),
        st.integers(0, 5),
        st.floats(0, 1e7, allow_nan=False),
        st.sampled_from([2021, 2022, 2023]),
        st.sampled_from(["industry", "commercial", "residential", "transport"]),
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=60, deadline=None)
@given(records)
def test_doubling_activity_doubles_emissions_and_energy(rows):
    doubled = [
        ActivityRecord(r.year, r.area, r.sector, r.carrier, r.quantity * 2, r.unit, row=r.row) for r in rows
    ]
    one, two = compute_inventory(rows, LIB), compute_inventory(doubled, LIB)
    for a, b in zip(one.years, two.years, strict=True):
        assert b.co2_t == pytest.approx(2 * a.co2_t, rel=1e-9, abs=1e-9)
        assert b.energy_tce == pytest.approx(2 * a.energy_tce, rel=1e-9, abs=1e-9)


SAME_DIMENSION = [
    ("kWh", "万kWh"),
    ("MWh", "GJ"),
    ("tce", "GJ"),
    ("万Nm3", "m3"),
    ("亿元", "万元"),
    ("tCO2", "kgCO2"),
    ("万tce", "kgce"),
    ("kgce/kWh", "tce/MWh"),
]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(SAME_DIMENSION), st.floats(1e-6, 1e12, allow_nan=False))
def test_unit_conversions_round_trip(pair, value):
    a, b = pair
    assert convert(convert(value, a, b), b, a) == pytest.approx(value, rel=1e-12)
