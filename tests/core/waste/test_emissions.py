"""Waste emissions: unknown parameters give an unknown (not zero) emission; hand-worked values."""

from __future__ import annotations

import pytest

from carbonpeak.core.waste import (
    Stream,
    StreamRecord,
    WasteData,
    WasteEmissions,
    WasteInputError,
    WasteParameter,
    incineration_co2,
    landfill_ch4,
    waste_emissions,
)
from carbonpeak.core.waste.model import FlagCode

DATA = WasteData(
    tuple(
        StreamRecord("A", "2024", s, 100.0, 0.0, inc, land)
        for s, inc, land in (
            (Stream.RECYCLABLE, 0.0, 0.0),
            (Stream.WET, 0.0, 0.0),
            (Stream.DRY, 60.0, 40.0),
            (Stream.HAZARDOUS, 0.0, 0.0),
        )
    )
)


def _p(method: str, name: str, value: float | None, stream: str = "") -> WasteParameter:
    return WasteParameter(
        f"{name}-{stream or 'all'}", method, name, stream, value, "-", "X" if value is None else "S"
    )


# Illustrative test values only (not reference data).
KNOWN = (
    _p("landfill_ch4_mass_balance", "mcf", 1.0),
    _p("landfill_ch4_mass_balance", "doc", 0.15),
    _p("landfill_ch4_mass_balance", "doc_f", 0.5),
    _p("landfill_ch4_mass_balance", "f", 0.5),
    _p("landfill_ch4_mass_balance", "recovery_fraction", 0.0),
    _p("landfill_ch4_mass_balance", "ox", 0.1),
    _p("landfill_ch4_mass_balance", "gwp_ch4", 20.0),
    _p("incineration_fossil_co2", "carbon_content", 0.3),
    _p("incineration_fossil_co2", "fossil_carbon_fraction", 0.4),
    _p("incineration_fossil_co2", "combustion_efficiency", 0.9),
)


def test_known_parameters_hand_worked() -> None:
    result = waste_emissions(DATA, KNOWN, year=2024)
    # CH4 = 40 x 1 x 0.15 x 0.5 x 0.5 x 16/12 x (1 - 0) x (1 - 0.1) = 40 x 0.05 x 0.9 = 1.8 t
    assert result.landfill.emission_t == pytest.approx(1.8)
    assert result.landfill.co2e_t == pytest.approx(36.0)
    # CO2 = 60 x 0.3 x 0.4 x 0.9 x 44/12 = 6.48 x 44/12 = 23.76 t
    assert result.incineration.emission_t == pytest.approx(23.76)
    assert result.total_co2e_t == pytest.approx(59.76)
    assert result.flags == ()
    assert WasteEmissions.from_dict(result.to_dict()) == result


def test_unknown_parameters_give_unknown_not_zero() -> None:
    unknown = tuple(WasteParameter(p.param_id, p.method, p.parameter, "", None, "-", "X") for p in KNOWN)
    result = waste_emissions(DATA, unknown, year=2024)
    assert result.landfill.emission_t is None
    assert result.incineration.emission_t is None
    assert result.total_co2e_t is None
    assert {f.code for f in result.flags} == {FlagCode.PARAMETER_UNKNOWN}
    assert "mcf:dry" in result.landfill.missing


def test_one_unknown_parameter_is_enough() -> None:
    params = tuple(p for p in KNOWN if p.parameter != "gwp_ch4")
    result = waste_emissions(DATA, params, year=2024)
    assert result.landfill.emission_t == pytest.approx(1.8)
    assert result.landfill.co2e_t is None
    assert result.landfill.missing == ("gwp_ch4",)
    assert result.total_co2e_t is None


def test_nothing_disposed_emits_zero_whatever_the_parameters() -> None:
    result = landfill_ch4("mass_balance", {Stream.DRY: 0.0}, (), year=2024)
    assert (result.emission_t, result.co2e_t, result.missing) == (0.0, 0.0, ())


def test_stream_rows_override_the_general_row() -> None:
    params = (*KNOWN, _p("incineration_fossil_co2", "carbon_content", 0.6, "dry"))
    result = incineration_co2("fossil_carbon", {Stream.DRY: 60.0}, params, year=2024)
    assert result.emission_t == pytest.approx(2 * 23.76)
    assert "carbon_content-dry" in result.parameter_ids


def test_validity_years() -> None:
    old = WasteParameter("old", "incineration_fossil_co2", "carbon_content", "", 0.3, "-", "S", 2000, 2010)
    params = (old, *(p for p in KNOWN if p.parameter != "carbon_content"))
    assert incineration_co2("fossil_carbon", {Stream.DRY: 1.0}, params, year=2024).missing == (
        "carbon_content:dry",
    )


def test_unknown_method_names_are_refused() -> None:
    with pytest.raises(WasteInputError, match="unknown landfill CH4 method 'first_order_decay'"):
        landfill_ch4("first_order_decay", {}, (), year=2024)
    with pytest.raises(WasteInputError, match="unknown incineration CO2 method"):
        incineration_co2("x", {}, (), year=2024)
