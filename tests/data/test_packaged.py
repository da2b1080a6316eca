"""The shipped reference data: valid, sourced, and equal to the figures in FACTS.md."""

import csv

import pytest

from carbonpeak.core.errors import FactorLookupError, FactorValueUnknownError
from carbonpeak.data import DATA_DIR, get_factor, packaged_library
from carbonpeak.io.reference import read_reference_data


def test_packaged_library_validates_without_issues():
    report = read_reference_data(DATA_DIR)
    assert report.issues == []
    assert report.library is not None


@pytest.mark.parametrize("path", sorted(DATA_DIR.rglob("*.csv")), ids=lambda p: p.name)
def test_every_row_has_a_source_and_an_evidence_tag(path):
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["source"].strip(), row
        assert row["evidence"] in {"V", "S", "R", "X"}, row
        if "value" in row:
            assert (row["value"] == "") == (row["evidence"] == "X"), row


@pytest.mark.parametrize("year", [2005, 2020, 2022, 2030])
def test_shanghai_default_electricity_factor(year):
    factor = get_factor("emission", "electricity", "CN-SH", year)
    assert factor.quantity().to("tCO2/MWh").magnitude == pytest.approx(0.42)
    assert factor.provenance.document_no == "沪环气〔2022〕34号"
    assert factor.provenance.evidence.value == "V"


def test_shanghai_default_heat_factor():
    factor = get_factor("emission", "heat", "CN-SH", 2024)
    assert (factor.value, factor.unit) == (0.06, "tCO2/GJ")


@pytest.mark.parametrize(
    ("series", "region", "year", "value", "evidence"),
    [
        ("mee_nbs_average", "CN", 2021, 0.5568, "V"),
        ("mee_nbs_average", "CN-EAST", 2022, 0.5617, "V"),
        ("mee_nbs_average", "CN-SH", 2023, 0.5737, "S"),
        ("mee_nbs_excl_market_nonfossil", "CN", 2023, 0.6096, "V"),
        ("mee_nbs_fossil", "CN", 2022, 0.8325, "V"),
    ],
)
def test_mee_nbs_series(series, region, year, value, evidence):
    factor = get_factor("emission", "electricity", region, year, series=series)
    assert factor.value == value
    assert factor.unit == "kgCO2/kWh"
    assert factor.provenance.evidence.value == evidence
    assert not factor.region_fallback


def test_missing_mee_value_is_not_invented():
    with pytest.raises(FactorValueUnknownError):
        get_factor("emission", "electricity", "CN", 2021, series="mee_nbs_excl_market_nonfossil")


@pytest.mark.parametrize(
    ("carrier", "published"),
    [
        ("gasoline", 2.925),
        ("diesel", 3.096),
        ("fuel_oil", 3.170),
        ("lpg", 3.101),
        ("lng", 2.831),
        ("crude_oil", 3.020),
        ("natural_gas", 21.622),
        ("kerosene", 3.033),
        ("raw_coal", 1.900),
    ],
)
def test_fuel_factors_reproduce_the_published_values(carrier, published):
    factor = get_factor("emission", carrier, "CN-SH", 2023)
    assert factor.value == pytest.approx(published, abs=0.0015)


@pytest.mark.parametrize(
    ("carrier", "value", "unit"),
    [
        ("raw_coal", 0.7143, "kgce/kg"),
        ("diesel", 1.4571, "kgce/kg"),
        ("lpg", 1.7143, "kgce/kg"),
        ("natural_gas", 1.2143, "kgce/m3"),
        ("heat", 0.0341, "kgce/MJ"),
        ("electricity", 0.1229, "kgce/kWh"),
    ],
)
def test_standard_coal_coefficients(carrier, value, unit):
    factor = get_factor("standard_coal", carrier, "CN-SH", 2023)
    assert (factor.value, factor.unit) == (value, unit)


def test_heat_coefficient_is_the_inverse_of_29307_kj():
    # 1 MJ / 29.307 MJ per kgce = 0.03412 kgce/MJ, which GB/T 2589 prints as 0.0341.
    assert get_factor("standard_coal", "heat", "CN", 2023).value == pytest.approx(1 / 29.307, abs=5e-5)


def test_equal_value_electricity_is_unknown_until_supplied():
    with pytest.raises(FactorValueUnknownError, match="supply it from the yearbook"):
        get_factor("standard_coal", "electricity", "CN-SH", 2022, series="equal_value")
    with pytest.raises(FactorLookupError):
        get_factor("standard_coal", "electricity", "CN-SH", 2019, series="equal_value")


def test_lca_factor_is_kept_apart_from_scope_2():
    assert get_factor("emission", "electricity", "CN-SH", 2023).series == "shanghai"
    lca = get_factor("emission", "electricity", "CN", 2023, series="product_footprint")
    assert lca.value == 0.6205
    assert "not a Scope 2" in lca.provenance.note


def test_recomputing_under_another_series_is_one_argument():
    kwh = 1_000_000.0
    shanghai = get_factor("emission", "electricity", "CN-SH", 2022)
    national = get_factor("emission", "electricity", "CN-SH", 2022, series="mee_nbs_average")
    assert kwh * shanghai.quantity().to("tCO2/kWh").magnitude == pytest.approx(420.0)
    assert kwh * national.quantity().to("tCO2/kWh").magnitude == pytest.approx(584.9)


def test_library_is_cached():
    assert packaged_library() is packaged_library()
