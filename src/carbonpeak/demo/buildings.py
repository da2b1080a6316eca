"""SYNTHETIC buildings for the Yangpu reference district: registry, meters and a year of 15-minute data.

Every building and reading is invented, labelled ``synthetic``, and generated deterministically from a seed:

* types and sizes: a tertiary district (offices, schools, malls, hotels, hospitals, a few data centres);
* places: random points inside Yangpu's extent (about 31.255-31.335 N, 121.495-121.565 E), each in one of
  its 12 street offices;
* load: base load plus HVAC driven by a synthetic Shanghai-like temperature (cooling above 22 °C, heating
  below 12 °C) and occupancy schedules by type, with weekends and the 2025 public holidays;
* faults, so the quality checks have something to find: gaps of 2-6 hours, spikes, and a counter reset on
  cumulative gas registers.

The readings go through :func:`carbonpeak.web.buildings.services.readings_ingest`, the path users' data takes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

SHANGHAI = ZoneInfo("Asia/Shanghai")
STREETS = [
    "定海路街道",
    "平凉路街道",
    "江浦路街道",
    "四平路街道",
    "控江路街道",
    "长白新村街道",
    "延吉新村街道",
    "殷行街道",
    "大桥街道",
    "五角场街道",
    "新江湾城街道",
    "长海路街道",
]
# primary use: (share of buildings, median floor area m2, annual electricity kWh/m2, has gas, schedule)
TYPES: dict[str, tuple[float, float, float, bool, str]] = {
    "commercial_office": (0.34, 25_000, 95, False, "office"),
    "government_office": (0.08, 12_000, 80, False, "office"),
    "school_university": (0.12, 30_000, 55, True, "school"),
    "shopping_mall": (0.08, 60_000, 190, True, "retail"),
    "supermarket": (0.04, 8_000, 240, False, "retail"),
    "hotel": (0.06, 20_000, 150, True, "always"),
    "hospital": (0.05, 45_000, 190, True, "always"),
    "data_centre": (0.02, 8_000, 1_800, False, "flat"),
    "industrial": (0.07, 15_000, 110, True, "office"),
    "residential": (0.10, 30_000, 35, True, "home"),
    "other": (0.04, 6_000, 70, False, "office"),
}
HOLIDAYS_2025 = {
    date(2025, 1, 1),
    *(date(2025, 1, 28) + timedelta(days=i) for i in range(8)),
    *(date(2025, 4, 4) + timedelta(days=i) for i in range(3)),
    *(date(2025, 5, 1) + timedelta(days=i) for i in range(5)),
    *(date(2025, 5, 31) + timedelta(days=i) for i in range(3)),
    *(date(2025, 10, 1) + timedelta(days=i) for i in range(8)),
}
"""China's 2025 public holidays (国务院办公厅, 2024-11-12)."""


@dataclass
class DemoMeter:
    """A generated meter and its readings (timestamps with values; cumulative registers carry totals)."""

    row: dict[str, Any]
    stamps: list[datetime]
    values: np.ndarray


def _occupancy(kind: str, local: datetime) -> float:
    day, hour = local.date(), local.hour + local.minute / 60
    off = local.weekday() >= 5 or day in HOLIDAYS_2025
    if kind == "office":
        return 0.0 if off else (1.0 if 8 <= hour < 19 else 0.15 if 7 <= hour < 21 else 0.0)
    if kind == "school":
        vacation = day.month in (7, 8) or (date(2025, 1, 18) <= day <= date(2025, 2, 16))
        return 0.0 if off or vacation else (1.0 if 8 <= hour < 17 else 0.1)
    if kind == "retail":
        return 1.0 if 10 <= hour < 22 else 0.05
    if kind == "always":
        return 0.75 + 0.25 * math.sin(math.pi * (hour - 6) / 12) if 6 <= hour < 18 else 0.6
    if kind == "home":
        return 0.9 if hour >= 18 or hour < 8 or off else 0.35
    return 1.0  # flat (data centres)


def _weather(
    year: int, seed: int, step_minutes: int
) -> tuple[np.random.Generator, list[datetime], np.ndarray, np.ndarray]:
    """The synthetic year's times, their normal temperature [°C] and the temperature with weather noise.

    Returns the random generator after its weather draws, so the buildings that follow are the same draws.
    """
    rng = np.random.default_rng(seed)
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    stamps = [
        start + timedelta(minutes=step_minutes * i)
        for i in range(
            int((datetime(year + 1, 1, 1, tzinfo=SHANGHAI) - start).total_seconds() // 60 // step_minutes)
        )
    ]
    days = np.array([(s.timetuple().tm_yday - 1) + (s.hour + s.minute / 60) / 24 for s in stamps])
    normal = 17 + 11 * np.sin(2 * np.pi * (days - 105) / 365) + 4 * np.sin(2 * np.pi * (days % 1 - 0.375))
    return rng, stamps, normal, normal + rng.normal(0, 1.5, len(days))


HEATING_BASE_C = 18.0
COOLING_BASE_C = 26.0
"""Degree-day bases for the hot-summer, cold-winter zone (JGJ 134-2010: HDD18, CDD26)."""


def reference_degree_days(
    *, year: int = 2025, seed: int = 20221231, step_minutes: int = 15, station: str = "yangpu-synthetic"
) -> list[dict[str, Any]]:
    """Monthly degree-days of the demo's SYNTHETIC weather: the year as generated and its noise-free normal.

    Rows as :func:`carbonpeak.io.buildings.read_degree_days_file` returns them, labelled synthetic.
    """
    _, stamps, normal, actual = _weather(year, seed, step_minutes)
    frame = pd.DataFrame({"normal": normal, "actual": actual}, index=pd.DatetimeIndex(stamps))
    daily = frame.resample("D").mean()
    months = pd.DatetimeIndex(daily.index).month
    rows: list[dict[str, Any]] = []
    for column, label in (("actual", str(year)), ("normal", "normal")):
        heating = (HEATING_BASE_C - daily[column]).clip(lower=0).groupby(months).sum()
        cooling = (daily[column] - COOLING_BASE_C).clip(lower=0).groupby(months).sum()
        for month in range(1, 13):
            rows.append(
                {
                    "row": len(rows) + 2,
                    "station": station,
                    "period": f"{label}-{month:02d}",
                    "heating_kd": round(float(heating[month]), 2),
                    "cooling_kd": round(float(cooling[month]), 2),
                    "source": "carbonpeak demo: SYNTHETIC weather, not observations",
                    "quality": "synthetic",
                }
            )
    return rows


def reference_buildings(
    count: int = 300, *, year: int = 2025, seed: int = 20221231, step_minutes: int = 15
) -> tuple[list[dict[str, Any]], list[DemoMeter]]:
    """Generate ``count`` buildings with their meters and a year of readings (deterministic for a seed)."""
    rng, stamps, _, temperature = _weather(year, seed, step_minutes)
    uses = list(TYPES)
    shares = np.array([TYPES[u][0] for u in uses])
    hvac_signal = np.maximum(0, temperature - 22) + 0.6 * np.maximum(0, 12 - temperature)
    schedules = {
        kind: np.array([_occupancy(kind, s) for s in stamps]) for kind in {t[4] for t in TYPES.values()}
    }
    buildings: list[dict[str, Any]] = []
    meters: list[DemoMeter] = []
    for n in range(count):
        use = str(rng.choice(uses, p=shares / shares.sum()))
        _, median_area, kwh_m2, gas, schedule = TYPES[use]
        area = float(round(median_area * rng.lognormal(0, 0.45), -2)) or 1000.0
        code = f"YP{n + 1:04d}"
        public = use in ("government_office", "school_university", "hospital")
        buildings.append(
            {
                "id": code,
                "name": f"合成建筑 {code} ({use})",
                "primary_use": use,
                "floor_area_m2": area,
                "street": STREETS[n % len(STREETS)],
                "lat": round(31.255 + 0.08 * rng.random(), 5),
                "lon": round(121.495 + 0.07 * rng.random(), 5),
                "public_institution": public,
                "occupants": round(area / rng.uniform(12, 30)),
                # annual operating hours [h/a]: the schedule's hours at half occupancy or more
                "operating_hours": float(round((schedules[schedule] >= 0.5).sum() * step_minutes / 60)),
                "year_built": int(rng.integers(1985, 2024)),
                "publishable": use != "residential" and rng.random() < 0.7,
                "quality": "synthetic",
                "last_audit_date": date(int(rng.integers(2016, 2025)), 6, 30)
                if public and area > 10_000 and rng.random() < 0.6
                else None,
            }
        )
        scale = kwh_m2 * area * rng.lognormal(0, 0.2)  # kWh in the year
        occupancy = schedules[schedule]
        base_share = 0.9 if schedule == "flat" else 0.25
        hvac_share = 0.05 if schedule == "flat" else 0.35
        lighting = base_share + (1 - base_share - hvac_share) * occupancy
        hvac = hvac_share * hvac_signal / hvac_signal.mean() * (0.3 + 0.7 * np.maximum(occupancy, 0.2))
        for category, profile in (("lighting_sockets", lighting), ("hvac", hvac)):
            values = profile / (lighting.sum() + hvac.sum()) * scale * rng.lognormal(0, 0.05, len(profile))
            meters.append(
                DemoMeter(
                    {
                        "id": f"{code}-{category[:4].upper()}",
                        "building_id": code,
                        "energy_class": "electricity",
                        "unit": "kWh",
                        "category": category,
                        "kind": "interval",
                        "interval_minutes": step_minutes,
                    },
                    stamps,
                    np.round(values, 3),
                )
            )
        if use == "data_centre":
            it = meters[-2].values * 0.69  # PUE about 1.45: an existing data centre
            meters.append(
                DemoMeter(
                    {
                        "id": f"{code}-IT",
                        "building_id": code,
                        "energy_class": "electricity",
                        "unit": "kWh",
                        "category": "special.it",
                        "kind": "interval",
                        "interval_minutes": step_minutes,
                        "it_load": True,
                    },
                    stamps,
                    np.round(it, 3),
                )
            )
            meters[-3].values = np.round(meters[-3].values - it, 3)  # the IT load is part of the total
        if gas:
            hourly = stamps[:: 60 // step_minutes]
            use_m3 = (
                area
                * rng.uniform(1.0, 4.0)
                * (0.4 + 0.6 * hvac_signal[:: 60 // step_minutes] / hvac_signal.mean())
                / len(hourly)
            )
            register = np.cumsum(use_m3) + rng.uniform(1_000, 50_000)
            if rng.random() < 0.2:
                register[len(register) // 2 :] -= register[len(register) // 2 - 1]  # a counter reset mid-year
            meters.append(
                DemoMeter(
                    {
                        "id": f"{code}-GAS",
                        "building_id": code,
                        "energy_class": "gas",
                        "unit": "m3",
                        "category": "total",
                        "kind": "cumulative",
                        "interval_minutes": 60,
                        "register_max": 9_999_999.0,
                    },
                    hourly,
                    np.round(register, 2),
                )
            )
    shapes = np.random.default_rng(seed + 1)  # its own stream: footprints leave every other draw unchanged
    for building in buildings:  # a square footprint of floor area / storeys around the point
        storeys = int(shapes.integers(3, 25))
        side_m = math.sqrt(building["floor_area_m2"] / storeys)
        half_lat = side_m / 2 / 111_320
        half_lon = side_m / 2 / (111_320 * math.cos(math.radians(building["lat"])))
        lon, lat = building["lon"], building["lat"]
        ring = [
            [round(lon - half_lon, 6), round(lat - half_lat, 6)],
            [round(lon + half_lon, 6), round(lat - half_lat, 6)],
            [round(lon + half_lon, 6), round(lat + half_lat, 6)],
            [round(lon - half_lon, 6), round(lat + half_lat, 6)],
            [round(lon - half_lon, 6), round(lat - half_lat, 6)],
        ]
        building["footprint"] = {"type": "Polygon", "coordinates": [ring]}
        building["roof_area_m2"] = round(side_m * side_m, 1)  # the roof is the footprint [m²]
    for meter in meters:  # faults: gaps and spikes on interval meters
        if meter.row["kind"] != "interval":
            continue
        keep = np.ones(len(meter.values), dtype=bool)
        if rng.random() < 0.3:
            at = int(rng.integers(0, len(keep) - 30))
            keep[at : at + int(rng.integers(8, 25))] = False
        if rng.random() < 0.1:
            meter.values = meter.values.copy()
            meter.values[int(rng.integers(200, len(keep)))] *= 40
        meter.stamps = [s for s, k in zip(meter.stamps, keep, strict=True) if k]
        meter.values = meter.values[keep]
    return buildings, meters
