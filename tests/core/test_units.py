"""Unit registry: Chinese statistical units and dimension errors. Expected values are worked by hand."""

import pytest

from carbonpeak.core.errors import UnitError
from carbonpeak.core.units import CO2_PER_CARBON, convert, dimension_name, is_convertible, parse_unit


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1.0, "万kWh", "kWh", 10_000.0),
        (1.0, "万kWh", "MWh", 10.0),
        (1.0, "亿kWh", "万kWh", 10_000.0),
        (2.5, "万Nm3", "m3", 25_000.0),
        (1.0, "万Nm³", "Nm3", 10_000.0),
        (1.0, "亿元", "万元", 10_000.0),
        (3.0, "万元", "元", 30_000.0),
        (1.0, "万元", "CNY", 10_000.0),
        (1.0, "万tce", "tce", 10_000.0),
        (1.0, "tce", "kgce", 1_000.0),
        # GB/T 2589: 1 kgce = 29 307 kJ, so 1 tce = 29.307 GJ.
        (1.0, "tce", "GJ", 29.307),
        (1.0, "kgce", "kJ", 29_307.0),
        # 4.2 tCO2 per 10^4 kWh is 0.42 tCO2/MWh (沪环气〔2022〕34号 states both).
        (4.2, "tCO2/万kWh", "tCO2/MWh", 0.42),
        (4.2, "tCO2/10^4 kWh", "kgCO2/kWh", 0.42),
        (21.622, "tCO2/万Nm3", "kgCO2/m3", 2.1622),
        (1.0, "tCO2e", "kgCO2", 1_000.0),
        (1.0, "万tCO2", "tCO2", 10_000.0),
        (1.0, "万t", "t", 10_000.0),
        (1.0, "m²", "m2", 1.0),
    ],
)
def test_convert(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12)


def test_electricity_calorific_equivalent_agrees_with_gb_t_2589():
    # 1 kWh = 3600 kJ; 3600 / 29307 = 0.12284 kgce, which GB/T 2589-2008 rounds to 0.1229.
    assert convert(1.0, "kWh", "kgce") == pytest.approx(3600 / 29307, rel=1e-12)
    assert round(convert(1.0, "kWh", "kgce"), 4) == pytest.approx(0.1228, abs=1e-9)
    assert abs(convert(1.0, "kWh", "kgce") - 0.1229) < 0.0001


def test_mixing_dimensions_names_both_units():
    with pytest.raises(UnitError, match=r"cannot convert kWh \(energy\) to t \(mass\)"):
        convert(1.0, "kWh", "t")


def test_carbon_and_co2_are_different_dimensions():
    with pytest.raises(UnitError, match=r"carbon mass.*CO2 mass"):
        convert(1.0, "tC", "tCO2")
    assert CO2_PER_CARBON == pytest.approx(44 / 12)


def test_money_is_not_energy():
    with pytest.raises(UnitError, match="money"):
        convert(1.0, "万元", "万kWh")


@pytest.mark.parametrize("text", ["tonne oil", "", "   ", "kWh//", "10^5 kWh"])
def test_unknown_units_are_rejected_with_their_text(text):
    with pytest.raises(UnitError) as info:
        parse_unit(text)
    assert (text.strip() and repr(text) in str(info.value)) or "empty" in str(info.value)


def test_dimension_names_and_convertibility():
    assert dimension_name("万kWh") == "energy"
    assert dimension_name("tce") == "energy"
    assert dimension_name("万Nm3") == "volume"
    assert is_convertible("万tce", "GJ")
    assert not is_convertible("tCO2", "t")
