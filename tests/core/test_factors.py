"""Factor library and lookup, on a small hand-built library (no files, no database)."""

import pytest

from carbonpeak.core.errors import FactorLookupError, FactorValueUnknownError
from carbonpeak.core.factors import (
    CoalBasis,
    CoalCoefficient,
    FactorKind,
    FactorLibrary,
    FuelProperties,
    Provenance,
    Region,
    SecondaryEnergyFactor,
    TableInfo,
    Validity,
)
from carbonpeak.core.flags import Evidence

SRC = Provenance("test source", "", "", Evidence.VERIFIED)
UNKNOWN = Provenance("yearbook", "", "", Evidence.NOT_FOUND, "supply it")


def elec(fid, series, region, start, end, value, unit="kgCO2/kWh", superseded_by=""):
    return SecondaryEnergyFactor(
        fid, "electricity", series, region, Validity(start, end), value, unit, superseded_by, SRC
    )


def fuel(
    fid, carrier="gasoline", ncv=43.070, ncv_unit="GJ/t", cc=18.9, ox=0.98, ef=2.925, start=None, end=None
):
    return FuelProperties(
        fid,
        carrier,
        "guide",
        "CN",
        Validity(start, end),
        ncv,
        ncv_unit,
        cc,
        ox,
        ef,
        "tCO2/t" if ef else "",
        "",
        SRC,
    )


HEAT = (
    SecondaryEnergyFactor("heat", "heat", "local", "CN-SH", Validity(None, None), 0.06, "tCO2/GJ", "", SRC),
)


def library(electricity=(), fuels=(), coal=(), heat=HEAT):
    return FactorLibrary(
        electricity=tuple(electricity),
        heat=tuple(heat),
        fuels=tuple(fuels),
        coal_coefficients=tuple(coal),
        regions=(
            Region("CN", "中国", "China", ""),
            Region("CN-EAST", "华东", "East", "CN"),
            Region("CN-SH", "上海", "Shanghai", "CN-EAST"),
        ),
        tables={
            k: TableInfo(f"t_{k}", "2026-01-01", k)
            for k in ("electricity", "heat", "fuels", "coal_coefficients", "regions")
        },
        defaults={
            "electricity": "local",
            "heat": "local",
            "fuel": "guide",
            "standard_coal": "calorific_equivalent",
        },
    )


ELECTRICITY = [
    elec("local", "local", "CN-SH", None, None, 4.2, "tCO2/万kWh"),
    elec("local-old", "local", "CN-SH", None, None, 7.88, "tCO2/万kWh", superseded_by="local"),
    elec("avg-cn-21", "avg", "CN", 2021, 2021, 0.5568),
    elec("avg-east-21", "avg", "CN-EAST", 2021, 2021, 0.5992),
    elec("avg-cn-22", "avg", "CN", 2022, 2022, 0.5366),
    elec("gap-21", "gap", "CN", 2021, 2021, None),
]


def test_default_series_is_used_and_superseded_rows_are_not():
    factor = library(ELECTRICITY).get_factor("emission", "electricity", "CN-SH", 2015)
    assert (factor.factor_id, factor.value, factor.unit) == ("local", 4.2, "tCO2/万kWh")
    assert factor.table == "t_electricity"
    assert factor.table_version == "2026-01-01"
    assert not factor.region_fallback
    assert factor.quantity().to("tCO2/MWh").magnitude == pytest.approx(0.42)


def test_year_selects_the_row_valid_for_that_year():
    lib = library(ELECTRICITY)
    assert lib.get_factor("emission", "electricity", "CN", 2021, series="avg").value == 0.5568
    assert lib.get_factor("emission", "electricity", "CN", 2022, series="avg").value == 0.5366


def test_region_falls_back_to_parent_and_says_so():
    lib = library(ELECTRICITY)
    east = lib.get_factor("emission", "electricity", "CN-SH", 2021, series="avg")
    assert (east.factor_id, east.region, east.requested_region, east.region_fallback) == (
        "avg-east-21",
        "CN-EAST",
        "CN-SH",
        True,
    )
    national = lib.get_factor("emission", "electricity", "CN-SH", 2022, series="avg")
    assert national.factor_id == "avg-cn-22"
    assert national.region == "CN"


def test_no_valid_row_names_the_request_and_the_available_series():
    with pytest.raises(
        FactorLookupError,
        match=r"series 'avg', region CN-SH / CN-EAST / CN, year 2019; "
        r"available series: avg, gap, local",
    ):
        library(ELECTRICITY).get_factor("emission", "electricity", "CN-SH", 2019, series="avg")


def test_unknown_value_raises_and_points_to_the_source():
    with pytest.raises(FactorValueUnknownError, match="evidence X"):
        library(ELECTRICITY).get_factor("emission", "electricity", "CN", 2021, series="gap")


def test_unknown_kind_region_and_basis_are_clear_errors():
    lib = library(
        ELECTRICITY,
        coal=[
            CoalCoefficient("c", "diesel", CoalBasis.BOTH, Validity(None, None), 1.4571, "kgce/kg", "", SRC)
        ],
    )
    with pytest.raises(
        FactorLookupError, match="unknown factor kind 'co2'; choose one of: emission, standard_coal"
    ):
        lib.get_factor("co2", "electricity", "CN", 2021)
    with pytest.raises(FactorLookupError, match="unknown region 'CN-XX'"):
        lib.get_factor("emission", "electricity", "CN-XX", 2021)
    with pytest.raises(FactorLookupError, match="unknown standard-coal basis 'gross'"):
        lib.get_factor("standard_coal", "diesel", "CN", 2021, series="gross")


def test_fuel_factor_is_computed_from_ncv_carbon_content_and_oxidation():
    # Hand-worked: 43.070 GJ/t = 0.04307 TJ/t; x 18.9 tC/TJ = 0.814023 tC/t; x 0.98 = 0.79774254;
    # x 44/12 = 2.92505598 tCO2/t (the guideline prints 2.925).
    factor = library(fuels=[fuel("gas")]).get_factor(FactorKind.EMISSION, "gasoline", "CN-SH", 2023)
    assert factor.value == pytest.approx(2.92505598, rel=1e-8)
    assert factor.unit == "tCO2/t"
    assert factor.components == {"ncv": 43.070, "carbon_content_tc_per_tj": 18.9, "oxidation_rate": 0.98}
    assert factor.region_fallback


def test_natural_gas_factor_per_10k_normal_cubic_metres():
    # 389.31 GJ/10^4 Nm3 x 15.3 tC/TJ x 0.99 x 44/12 = 21.6219 tCO2/10^4 Nm3 (FACTS.md: 21.622).
    ng = fuel("ng", "natural_gas", 389.31, "GJ/万Nm3", 15.3, 0.99, None)
    factor = library(fuels=[ng]).get_factor("emission", "natural_gas", "CN", 2022)
    assert factor.unit == "tCO2/万Nm3"
    assert factor.value == pytest.approx(389.31e-3 * 15.3 * 0.99 * 44 / 12, rel=1e-12)
    assert round(factor.value, 3) == 21.622


def test_standard_coal_bases():
    coal = [
        CoalCoefficient("d", "diesel", CoalBasis.BOTH, Validity(None, None), 1.4571, "kgce/kg", "", SRC),
        CoalCoefficient(
            "e-ce",
            "electricity",
            CoalBasis.CALORIFIC_EQUIVALENT,
            Validity(None, None),
            0.1229,
            "kgce/kWh",
            "",
            SRC,
        ),
        CoalCoefficient(
            "e-ev-23",
            "electricity",
            CoalBasis.EQUAL_VALUE,
            Validity(2023, 2023),
            None,
            "kgce/kWh",
            "",
            UNKNOWN,
        ),
    ]
    lib = library(coal=coal)
    assert lib.get_factor("standard_coal", "diesel", "CN-SH", 2023, series="equal_value").value == 1.4571
    assert lib.get_factor("standard_coal", "diesel", "CN-SH", 2023).value == 1.4571
    assert lib.get_factor("standard_coal", "electricity", "CN-SH", 2023).value == 0.1229
    with pytest.raises(FactorValueUnknownError, match="supply it"):
        lib.get_factor("standard_coal", "electricity", "CN-SH", 2023, series="equal_value")
    with pytest.raises(FactorLookupError, match="year 2024"):
        lib.get_factor("standard_coal", "electricity", "CN-SH", 2024, series="equal_value")
    assert lib.series_for("standard_coal", "electricity") == ["calorific_equivalent", "equal_value"]


def test_check_passes_a_consistent_library():
    assert library(ELECTRICITY, fuels=[fuel("gas")]).check() == []


def test_check_finds_overlapping_validity():
    rows = [*ELECTRICITY, elec("avg-cn-21-22", "avg", "CN", 2021, 2022, 0.55)]
    issues = library(rows, fuels=[fuel("gas")]).check()
    assert len(issues) == 2  # overlaps avg-cn-21 and avg-cn-22
    assert all("both in force" in i.message and i.file == "t_electricity" for i in issues)


def test_check_finds_dangling_supersession_duplicate_keys_and_unknown_regions():
    rows = [
        elec("a", "s", "CN", None, None, 1.0, superseded_by="missing"),
        elec("b", "s", "CN-MARS", None, None, 1.0),
        elec("b", "t", "CN", None, None, 1.0),
    ]
    messages = [str(i) for i in library(rows, fuels=[fuel("gas")]).check()]
    assert "t_electricity, field superseded_by: superseded by 'missing', which does not exist" in messages
    assert "t_electricity, field region: unknown region 'CN-MARS'" in messages
    assert any("key 'b' is also used" in m for m in messages)


def test_check_compares_computed_and_published_fuel_factors():
    wrong = fuel("gas", ef=3.1)
    (issue,) = library(ELECTRICITY, fuels=[wrong]).check()
    assert (issue.field, issue.key) == ("published_ef", "gas")
    assert "= 2.9251 tCO2/t, but the source prints 3.1000 tCO2/t" in issue.message


def test_check_rejects_a_default_that_is_not_a_series():
    lib = library(ELECTRICITY, fuels=[fuel("gas")])
    broken = FactorLibrary(
        lib.electricity,
        lib.heat,
        lib.fuels,
        lib.coal_coefficients,
        lib.regions,
        lib.tables,
        {**lib.defaults, "electricity": "nope"},
    )
    (issue,) = broken.check()
    assert (issue.file, issue.field) == ("manifest", "defaults.electricity")


def test_validity():
    assert Validity(None, None).contains(1990)
    assert Validity(2021, None).contains(2030)
    assert not Validity(2021, None).contains(2020)
    assert Validity(2020, 2021).overlaps(Validity(2021, 2025))
    assert not Validity(2020, 2020).overlaps(Validity(2021, None))
    assert str(Validity(2021, None)) == "2021–…"
