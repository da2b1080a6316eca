"""SYNTHETIC retrofit projects for the demo district: hourly temperatures, plant meters and their readings.

Everything here is invented and labelled synthetic. Each project isolates its building's HVAC plant on an
hourly meter (IPMVP option B style) whose load follows a known 5-parameter change-point model on a
synthetic Shanghai-like temperature, and falls by a known fraction after the installation month, so the
demo's measured savings can be checked against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

TZ = "Asia/Shanghai"
STATION = "yangpu-synthetic-hourly"
DATA_START = "2023-01-01"
DATA_END = "2025-03-01"
SOURCE = "carbonpeak demo: SYNTHETIC retrofit data, not observations"


def synthetic_temperatures(*, seed: int) -> pd.Series:
    """Hourly temperatures [°C], 2023-01-01 to 2025-03-01: seasonal 4-30 °C, daily ±4 °C, weather noise."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range(DATA_START, DATA_END, freq="h", tz=TZ, inclusive="left")
    doy = hours.day_of_year.to_numpy()
    seasonal = 17.0 - 13.0 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    daily = 4.0 * np.sin(2 * np.pi * (hours.hour.to_numpy() - 9) / 24)
    days = (hours.normalize() - hours[0].normalize()).days.to_numpy()
    weather = rng.normal(0, 2.5, days.max() + 1)[days]
    return pd.Series(np.round(seasonal + daily + weather, 2), index=hours, name="temperature_c")


@dataclass(frozen=True)
class ProjectSpec:
    """A synthetic project: its registry row and the truth behind its meter."""

    row: dict[str, Any]
    savings_fraction: float
    """The true savings of the synthetic load [-]."""
    noise: float
    """Relative noise of the hourly load [-]."""
    gap_days: int
    """Days of the baseline without readings (to exercise the sufficiency rules)."""


# (measures, savings, noise, gap, reporting start, reporting end, contract, green-mall certificate)
PLAN = (
    (["chiller", "bms"], 0.22, 0.05, 0, "2024-02-01", "2025-02-01", "epc", False),
    (["lighting", "pumps_fans_vfd"], 0.17, 0.06, 0, "2024-02-01", "2025-02-01", "own_funds", False),
    (["chiller", "envelope"], 0.08, 0.05, 0, "2024-02-01", "2025-02-01", "epc", False),
    (["heat_pump"], 0.30, 0.08, 0, "2024-02-01", "2025-02-01", "epc", False),
    (["bms"], 0.12, 0.05, 60, "2024-02-01", "2025-02-01", "own_funds", False),
    (["windows", "lighting"], 0.18, 0.05, 0, "2024-02-01", "2027-02-01", "epc", False),
    (["chiller", "lighting", "bms"], 0.20, 0.05, 0, "2024-02-01", "2025-02-01", "epc", True),
)


def project_specs(buildings: list[tuple[str, str, float]], *, seed: int) -> list[ProjectSpec]:
    """Projects on the given ``(code, primary_use, floor_area_m2)`` buildings (one each, in plan order; the
    green-mall project goes on the first shopping mall)."""
    rng = np.random.default_rng(seed)
    malls = [b for b in buildings if b[1] == "shopping_mall"]
    others = [b for b in buildings if b[1] != "shopping_mall"]
    out = []
    for k, (measures, savings, noise, gap, rep_start, rep_end, contract, mall) in enumerate(PLAN):
        pool = malls if mall else others
        if not pool:
            continue
        code, _, area = pool.pop(0)
        share = float(rng.uniform(0.4, 1.0))
        out.append(
            ProjectSpec(
                {
                    "id": f"RF{k + 1:03d}",
                    "name": f"合成改造项目 RF{k + 1:03d}",
                    "building": code,
                    "measures": measures,
                    "retrofitted_area_m2": float(round(area * share, -2)) or area,
                    "baseline_start": date(2023, 1, 1),
                    "baseline_end": date(2024, 1, 1),
                    "reporting_start": date.fromisoformat(rep_start),
                    "reporting_end": date.fromisoformat(rep_end),
                    "contractor": "合成节能服务公司" if contract == "epc" else "",
                    "contract_type": contract,
                    "method": "caltrack_daily" if k % 3 else "caltrack_hourly",
                    "green_mall_certificate": f"SYN-GM-{k + 1:03d}" if mall else "",
                    "green_mall_certified_on": date(2024, 9, 30) if mall else None,
                    "meter": f"{code}-MV",
                    "area_m2": area,
                },
                savings,
                noise,
                gap,
            )
        )
    return out


def plant_readings(spec: ProjectSpec, temperatures: pd.Series, *, seed: int) -> pd.Series:
    """Hourly plant consumption [kWh] of a project's meter: a 5P model on the hourly temperature times an
    office schedule, less the true savings from the reporting start; the baseline gap left empty."""
    rng = np.random.default_rng(seed)
    hours = pd.DatetimeIndex(temperatures.index)
    t = temperatures.to_numpy()
    scale = spec.row["area_m2"] / 10_000.0
    working = ((hours.day_of_week < 5) & (hours.hour >= 8) & (hours.hour < 19)).astype(float)
    load = scale * (
        20.0 + 25.0 * working + (1.5 + 2.5 * working) * np.clip(t - 22.0, 0, None)
        + (1.0 + 1.5 * working) * np.clip(14.0 - t, 0, None)
    )  # fmt: skip
    load *= rng.lognormal(0.0, spec.noise, len(load))
    after = hours >= pd.Timestamp(spec.row["reporting_start"], tz=TZ)
    install = (hours >= pd.Timestamp(spec.row["baseline_end"], tz=TZ)) & ~after
    load[after] *= 1.0 - spec.savings_fraction
    load[install] *= 1.0 - spec.savings_fraction / 2
    series = pd.Series(np.round(load, 3), index=hours)
    if spec.gap_days:
        start = pd.Timestamp("2023-04-01", tz=TZ)
        gap = (hours >= start) & (hours < start + pd.Timedelta(days=spec.gap_days))
        series = series[~gap]
    return series


PI_BASELINE_YEAR = 2020
"""The public-institution targets' baseline year in the Yangpu plan (三(八)2); the demo only has the
buildings' 2025 readings, so it adds SYNTHETIC daily readings for this year."""


def daily_values(year: int, annual: float, *, seed: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """A SYNTHETIC daily series of a year summing to about ``annual``: seasonal (summer and winter peaks)
    with day-to-day noise."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="D", tz=TZ, inclusive="left")
    doy = days.day_of_year.to_numpy()
    shape = 1.0 + 0.25 * np.cos(4 * np.pi * (doy - 20) / 365.25)
    values = shape / shape.sum() * annual * rng.lognormal(0.0, 0.05, len(days))
    return days, np.round(values, 3)
