"""SYNTHETIC PV installations and EV charging sites for the demo district (deterministic for a seed).

Nothing here is an observation: every row is marked ``quality: synthetic`` and the registries show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

_SITE_KIND = {
    "commercial_office": "office",
    "government_office": "office",
    "hospital": "public_facility",
    "school_university": "public_facility",
    "shopping_mall": "parking_lot",
    "residential": "residential",
}


@dataclass(frozen=True)
class DemoBuilding:
    """What the generator needs of a registry building."""

    code: str
    primary_use: str
    public_institution: bool
    floor_area_m2: float
    year_built: int | None = None


def _day(rng: np.random.Generator, first: int, last: int) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=int(rng.integers(0, (date(last, 12, 31) - start).days + 1)))


def _ready_spaces(rng: np.random.Generator, spaces: int, chargers: int) -> int:
    """Spaces without a charger reserved for one: all of them in three communities of four, else half."""
    free = max(0, spaces - chargers)
    return free if rng.random() < 0.75 else free // 2


def reference_renewables(
    buildings: Sequence[DemoBuilding], *, seed: int = 20221231
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """SYNTHETIC PV installation rows and charging site rows, in the validated-row form of
    :mod:`carbonpeak.io.renewables` (same output for the same buildings and seed).

    Residential sites record their spaces ready for chargers (most communities all of them, some only
    part); every new non-residential building (built from 2022) without an installation gets a rooftop
    one, so the renewable substitution rate and the new-building roof rules have something to show. Both
    use their own random streams, so the other rows do not change with them.
    """
    rng = np.random.default_rng(seed + 8)
    ready_rng = np.random.default_rng(seed + 9)
    new_rng = np.random.default_rng(seed + 10)
    pv: list[dict[str, Any]] = []
    sites: list[dict[str, Any]] = []
    for b in sorted(buildings, key=lambda b: b.code):
        draw = rng.random()
        if (b.public_institution or b.primary_use == "industrial") and draw < 0.45:
            kind = "bipv" if rng.random() < 0.15 else "rooftop"
            pv.append(
                {
                    "row": len(pv) + 2,
                    "id": f"PV-{b.code}",
                    "building_id": b.code,
                    # roughly 1-2 % of the floor area in kWp: a few hundred kWp on a large roof
                    "capacity_kwp": float(round(b.floor_area_m2 * rng.uniform(0.01, 0.02), 1)),
                    "kind": kind,
                    "commissioned": _day(rng, 2019, 2025),
                    "storage_kwh": float(rng.choice([0, 0, 0, 100, 200])),
                    "owner": "合成业主 (synthetic)",
                    "synthetic": True,
                }
            )
        site_kind = _SITE_KIND.get(b.primary_use)
        if site_kind is not None and draw > 0.6:
            spaces = int(max(20, round(b.floor_area_m2 / 100)))
            chargers = round(spaces * rng.uniform(0.05, 0.25))
            fast = round(chargers * rng.uniform(0.1, 0.5))
            sites.append(
                {
                    "row": len(sites) + 2,
                    "id": f"CS-{b.code}",
                    "name": f"合成充电站 {b.code} (synthetic)",
                    "building_id": b.code,
                    "parking_lot": "",
                    "site_kind": site_kind,
                    "access": "dedicated" if site_kind in ("office", "residential") else "public",
                    "parking_spaces": spaces,
                    "fast_count": fast,
                    "slow_count": chargers - fast,
                    "fast_kw": 60.0 if fast else None,
                    "slow_kw": 7.0 if chargers - fast else None,
                    "commissioned": _day(rng, 2019, 2025),
                    "ready_spaces": _ready_spaces(ready_rng, spaces, chargers)
                    if site_kind == "residential"
                    else None,
                    "synthetic": True,
                }
            )
    with_pv = {row["building_id"] for row in pv}
    for b in sorted(buildings, key=lambda b: b.code):
        if b.year_built is None or b.year_built < 2022 or b.primary_use == "residential" or b.code in with_pv:
            continue
        pv.append(
            {
                "row": len(pv) + 2,
                "id": f"PV-{b.code}",
                "building_id": b.code,
                "capacity_kwp": float(round(b.floor_area_m2 * new_rng.uniform(0.01, 0.03), 1)),
                "kind": "rooftop",
                "commissioned": _day(new_rng, b.year_built, 2025),
                "storage_kwh": 0.0,
                "owner": "合成业主 (synthetic)",
                "synthetic": True,
            }
        )
    for n, (name, year) in enumerate((("合成出租车示范站 A (synthetic)", 2023),), start=1):
        sites.append(
            {
                "row": len(sites) + 2,
                "id": f"CS-TAXI-{n}",
                "name": name,
                "building_id": "",
                "parking_lot": name,
                "site_kind": "taxi_station",
                "access": "dedicated",
                "parking_spaces": 30,
                "fast_count": 12,
                "slow_count": 0,
                "fast_kw": 120.0,
                "slow_kw": None,
                "commissioned": date(year, 9, 1),
                "ready_spaces": None,
                "synthetic": True,
            }
        )
    return pv, sites


GENERATION_YEAR = 2025
"""The demo buildings' metered year (:func:`carbonpeak.demo.buildings.reference_buildings`)."""


def generation_readings(
    hourly_kwh_per_kwp: np.ndarray,
    capacity_kwp: float,
    commissioned: date,
    *,
    seed: int,
    year: int = GENERATION_YEAR,
) -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC 15-minute readings of a PV generation meter for ``year``: times [ns, UTC] and energy [kWh].

    Each hour of ``hourly_kwh_per_kwp`` (8,760 values of AC energy per kWp for the installation's orientation
    on the default weather, hour-ending as in EPW) is spread evenly over its four quarter hours and scaled by
    the capacity and a day-to-day performance factor drawn around 1 (soiling, clouds the typical year does not
    have). Nothing is generated before the commissioning day.

    Parameters
    ----------
    hourly_kwh_per_kwp : numpy.ndarray
        AC energy per kWp in each hour of a 365-day year [kWh/kWp].
    capacity_kwp : float
        Installed capacity [kWp].
    commissioned : date
        Commissioning day; earlier quarter hours are not metered.
    seed : int
        Seed of the performance factors.
    year : int
        Calendar year of the readings (not a leap year).
    """
    hours = np.asarray(hourly_kwh_per_kwp, dtype=float)
    if hours.size != 8760:
        raise ValueError(f"expected 8,760 hourly values, got {hours.size}")
    rng = np.random.default_rng(seed)
    factor = np.repeat(rng.normal(1.0, 0.08, 365).clip(0.6, 1.2), 24)
    quarters = np.repeat(hours * factor * capacity_kwp / 4, 4)
    start = datetime(year, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    # readings are stamped at the start of their interval, as the demo's consumption meters are
    stamps = int(start.timestamp()) * 10**9 + np.arange(quarters.size, dtype=np.int64) * 900 * 10**9
    first = max(commissioned, date(year, 1, 1))
    keep = np.arange(quarters.size) >= (first - date(year, 1, 1)).days * 96
    return stamps[keep], quarters[keep].round(4)
