"""SYNTHETIC projection drivers for the synthetic Yangpu district, 2015-2024 (the inventory's years).

Every value here is invented, generated deterministically from the seed, and labelled ``synthetic`` in its
``source`` and ``evidence`` columns. The trends only follow the synthetic inventory's story
(``carbonpeak.demo.inventory``): industry shrinks, services and floor area grow, traffic falls slowly,
data-centre load grows fast. None of these numbers is an official statistic.
"""

from __future__ import annotations

import random
from typing import Any

from carbonpeak.demo.inventory import YEARS
from carbonpeak.io.projection import DRIVER_UNITS

SOURCE = "carbonpeak 合成参考数据 (synthetic reference district)"
DRIVERS_DATASET_NAME = "杨浦区合成驱动因素 2015–2024 (SYNTHETIC)"
DRIVERS_FILE_NAME = "yangpu-synthetic-drivers-2015-2024.csv"
"""How the demo's synthetic driver set is named."""

# driver -> (2020 value [driver unit], annual growth [1/a]); all invented (synthetic)
_SERIES: dict[str, tuple[float, float]] = {
    "gdp_primary_10k_yuan": (6.0e3, -0.02),
    "gdp_secondary_10k_yuan": (6.8e6, -0.03),
    "gdp_tertiary_10k_yuan": (1.42e7, 0.06),
    "population": (1.245e6, -0.002),
    "floor_area_public_m2": (1.8e7, 0.015),
    "floor_area_residential_m2": (3.6e7, 0.006),
    "vehicle_stock": (3.1e5, 0.02),
    "vehicle_km": (3.9e9, -0.01),
    "data_centre_it_mwh": (1.1e5, 0.08),
    "waste_t": (4.2e5, 0.005),
    "green_space_ha": (1.15e3, 0.01),
}


def reference_drivers(seed: int = 20221231) -> list[dict[str, Any]]:
    """Return the synthetic driver rows (the columns of a driver file), by driver then year.

    Parameters
    ----------
    seed : int
        Seed of the +/-0.5 % year-to-year noise; the same seed always gives the same rows.

    Returns
    -------
    list of dict
        ``driver, year, value, unit, source, evidence (= synthetic), note`` for each year of the synthetic
        inventory (2015-2024).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic noise, not a secret
    rows: list[dict[str, Any]] = []
    for driver, (base, growth) in _SERIES.items():
        for year in YEARS:
            value = base * (1 + growth) ** (year - 2020) * (1 + rng.uniform(-0.005, 0.005))
            rows.append(
                {
                    "driver": driver,
                    "year": year,
                    "value": round(value, 1),
                    "unit": DRIVER_UNITS[driver][0],
                    "source": SOURCE,
                    "evidence": "synthetic",
                    "note": "合成数据 synthetic",
                }
            )
    return rows
