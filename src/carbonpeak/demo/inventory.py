"""A synthetic activity data set for Yangpu District, 2015-2024. Every row is labelled ``synthetic``.

The structure is plausible for a district dominated by the tertiary sector (GDP structure 0.3 : 32.4 : 67.3
in 2022, FACTS.md [S]): commercial and public services use most of the electricity, industry shrinks,
transport fuels give way to electricity, and rooftop PV grows.

Real figures are used where known: current-price GDP for 2020 (2,106.63 亿元) and 2022 (2,076.97 亿元),
both [S] in FACTS.md. The 2024 figure (2,668.64 亿元) is not used: it is likely after the census revision,
and vintages must not be mixed. Every other number is invented, labelled ``synthetic``, and generated
deterministically from the seed. Processes are entered as NO, and waste and sinks as NE: no values are known.
"""

from __future__ import annotations

import random
from typing import Any

from carbonpeak.core.inventory.model import DISTRICT_AREA

SOURCE = "carbonpeak 合成参考数据 (synthetic reference district)"
AREA = DISTRICT_AREA
YEARS = range(2015, 2025)
INVENTORY_DATASET_NAME = "杨浦区合成参考数据 2015–2024 (SYNTHETIC)"
INVENTORY_FILE_NAME = "yangpu-synthetic-2015-2024.xlsx"
INVENTORY_LABEL = "synthetic Yangpu 2015-2024"
"""How the demo's synthetic activity data set is named and reported."""

# (sector, subsector, carrier, unit, 2020 quantity, annual growth, 2022 shock)
_SERIES: list[tuple[str, str, str, str, float, float, float]] = [
    ("commercial", "offices_and_services", "electricity", "万kWh", 300_000, 0.030, -0.05),
    ("commercial", "offices_and_services", "natural_gas", "万Nm3", 12_000, 0.010, -0.06),
    ("commercial", "offices_and_services", "heat", "GJ", 500_000, 0.000, -0.03),
    ("residential", "households", "electricity", "万kWh", 120_000, 0.025, 0.02),
    ("residential", "households", "natural_gas", "万Nm3", 18_000, 0.005, 0.01),
    ("residential", "households", "lpg", "t", 3_000, -0.080, 0.0),
    ("industry", "manufacturing", "electricity", "万kWh", 80_000, -0.040, -0.08),
    ("industry", "manufacturing", "natural_gas", "万Nm3", 6_000, -0.050, -0.08),
    ("industry", "manufacturing", "diesel", "t", 4_000, -0.060, -0.05),
    ("construction", "sites", "diesel", "t", 8_000, -0.010, -0.15),
    ("construction", "sites", "electricity", "万kWh", 5_000, 0.010, -0.10),
    ("transport", "road", "gasoline", "t", 200_000, -0.030, -0.12),
    ("transport", "road", "diesel", "t", 60_000, -0.040, -0.10),
    ("transport", "rail_and_ev", "electricity", "万kWh", 20_000, 0.080, -0.05),
    ("commercial", "rooftop_pv", "solar_pv", "万kWh", 600, 0.350, 0.0),
]
_GDP_KNOWN = {2020: 2106.63, 2022: 2076.97}
"""Current-price GDP [亿元] from FACTS.md, evidence [S]."""


def _gdp_current(year: int) -> float:
    if year in _GDP_KNOWN:
        return _GDP_KNOWN[year]
    if year < 2020:
        return _GDP_KNOWN[2020] / 1.07 ** (2020 - year)
    if year == 2021:
        return _GDP_KNOWN[2020] * 1.06
    return _GDP_KNOWN[2022] * 1.07 ** (year - 2022) * (1.0 if year == 2023 else 0.98)


def _deflator(year: int) -> float:
    return 100.0 * 1.02 ** (year - 2020) if year <= 2021 else 102.0 + 1.0 * (year - 2021)


def reference_district(seed: int = 20221231) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the synthetic activity rows and statistics rows (column name to value), sorted by year.

    Parameters
    ----------
    seed : int
        Seed of the ±1.5 % year-to-year noise; the same seed always gives the same data.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic noise, not a secret
    activity: list[dict[str, Any]] = []
    for year in YEARS:
        for sector, subsector, carrier, unit, base, growth, shock in _SERIES:
            quantity = base * (1 + growth) ** (year - 2020)
            if year >= 2022:
                quantity *= 1 + shock if year == 2022 else 1 + shock / 3
            quantity *= 1 + rng.uniform(-0.015, 0.015)
            activity.append(
                {
                    "year": year,
                    "area": AREA,
                    "sector": sector,
                    "carrier": carrier,
                    "quantity": round(quantity, 1),
                    "unit": unit,
                    "subsector": subsector,
                    "source": SOURCE,
                    "quality": "synthetic",
                    "note": "合成数据 synthetic",
                }
            )
        for sector, key in (("process", "NO"), ("waste", "NE"), ("sinks", "NE")):
            activity.append(
                {
                    "year": year,
                    "area": AREA,
                    "sector": sector,
                    "carrier": "co2e",
                    "quantity": key,
                    "unit": "tCO2e",
                    "subsector": "",
                    "source": SOURCE,
                    "quality": "synthetic",
                    "note": "no value is known; notation key",
                }
            )
    statistics: list[dict[str, Any]] = []
    for year in YEARS:
        known = year in _GDP_KNOWN
        statistics.append(
            {
                "year": year,
                "area": AREA,
                "indicator": "gdp_current",
                "value": round(_gdp_current(year), 2),
                "unit": "亿元",
                "source": "FACTS.md: Yangpu GDP [S]" if known else SOURCE,
                "quality": "measured" if known else "synthetic",
                "note": ""
                if known
                else "合成数据 synthetic (2024 published 2,668.64 亿元 is a later vintage: not used)",
            }
        )
        statistics.append(
            {
                "year": year,
                "area": AREA,
                "indicator": "gdp_deflator",
                "value": round(_deflator(year), 2),
                "unit": "dimensionless",
                "source": SOURCE,
                "quality": "synthetic",
                "note": "合成数据 synthetic; 2020 = 100",
            }
        )
    return activity, statistics
