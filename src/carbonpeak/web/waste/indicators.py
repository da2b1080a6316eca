"""The plan's waste indicators, computed from the street statistics for the tracking registry.

Each value is the district roll-up of a calendar year (the streets' tonnes and inspection counts summed,
never their rates averaged); a year whose periods do not cover all twelve months says so in its source.
"""

from __future__ import annotations

from carbonpeak.core.waste import WasteData, district_rollup
from carbonpeak.core.waste.model import FlagCode
from carbonpeak.core.waste.rates import StreetFigures, years_of
from carbonpeak.web.tracking.registry import ComputedValue, register
from carbonpeak.web.waste.selectors import (
    COMPLIANCE_INDICATOR,
    RECOVERY_INDICATOR,
    waste_data,
    waste_synthetic,
)


def _source(figures: StreetFigures, data: WasteData, what: str) -> str:
    source = f"{what} of {len(data.streets)} streets"
    if any(f.code is FlagCode.PARTIAL_YEAR for f in figures.flags):
        source += "; partial year (not every month reported)"
    return source


def _values(pick: str) -> list[ComputedValue]:
    data = waste_data()
    synthetic = waste_synthetic()
    out = []
    for year in years_of(data):
        district = district_rollup(data, year=year).district
        if pick == "recovery":
            value, what = district.recovery.rate_pct, "waste stream statistics"
        else:
            value, what = district.compliance.rate_pct, "sorting inspections"
        if value is not None:
            out.append(ComputedValue(year, round(value, 2), "%", _source(district, data, what), synthetic))
    return out


@register(RECOVERY_INDICATOR)
def household_waste_recovery_rate() -> list[ComputedValue]:
    """District resource recovery rate per year [%]: utilised recyclables and wet waste over the total
    domestic waste (see ``carbonpeak.core.waste.rates``)."""
    return _values("recovery")


@register(COMPLIANCE_INDICATOR)
def waste_sorting_compliance_rate() -> list[ComputedValue]:
    """District sorting compliance rate per year [%]: compliant over assessed residential areas and units."""
    return _values("compliance")
