"""SYNTHETIC demand-response demo: two aggregators, resources on demo buildings and one past 削峰 event.

Everything here is invented and labelled synthetic. Each resource gets an HVAC sub-meter with 46 days of
hourly load (an office-day shape with noise, weekends lower) ending on the event day; on the event day the
opted-in resources shed part of their load from 14:00 to 16:00. The event's settlement rule is the demo's
own illustrative band (80-120 %), tagged as such, not a Shanghai rule (none was found, FACTS.md §9 [X]).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVENT_DAY = date(2025, 7, 16)
EVENT_HOURS = (14, 16)
HISTORY_DAYS = 46
DEMO_RULE = {
    "rule_id": "demo-band-80-120",
    "lower_rate": 0.8,
    "upper_rate": 1.2,
    "below_lower": "no_payment",
    "penalty_factor": None,
    "above_upper": "pay_to_upper",
    "source": "SYNTHETIC demo rule (illustrative, not a published rule)",
    "evidence": "X",
}
AGGREGATORS = (
    ("DEMO-AGG-1", "示例聚合商甲 (synthetic)", "ven-demo-1"),
    ("DEMO-AGG-2", "示例聚合商乙 (synthetic)", ""),
)


@dataclass(frozen=True)
class DemoResource:
    """One synthetic resource: its building, size, aggregator and how much it sheds in the event."""

    code: str
    building_code: str
    kind: str
    aggregator: str
    peak_kw: float
    controllable_kw: float
    shed_kw: float
    cost_yuan_per_kwh: float
    pilot: bool


def resources(building_codes: list[str], *, seed: int) -> list[DemoResource]:
    """Up to six resources on the first demo buildings (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    kinds = ("building_load", "building_load", "charging_site", "battery", "pv_storage", "building_load")
    out = []
    for i, code in enumerate(building_codes[:6]):
        peak = float(rng.uniform(200, 900))
        controllable = round(peak * float(rng.uniform(0.1, 0.25)), 0)
        out.append(
            DemoResource(
                f"DR-{code}",
                code,
                kinds[i],
                AGGREGATORS[i % 2][0],
                peak,
                controllable,
                controllable * float(rng.uniform(0.6, 1.1)),
                round(float(rng.uniform(0.5, 3.0)), 2),
                kinds[i] == "pv_storage",
            )
        )
    return out


def hourly_readings(
    resource: DemoResource, *, seed: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """UTC nanosecond timestamps (interval starts) and hourly kWh for the resource's sub-meter."""
    rng = np.random.default_rng(seed)
    first = datetime(EVENT_DAY.year, EVENT_DAY.month, EVENT_DAY.day, tzinfo=SHANGHAI) - timedelta(
        days=HISTORY_DAYS - 1
    )
    stamps, values = [], []
    for h in range(HISTORY_DAYS * 24):
        ts = first + timedelta(hours=h)
        working = ts.weekday() < 5
        shape = 0.35 + (
            0.65 * np.exp(-(((ts.hour - 14) / 4.0) ** 2)) if working and 7 <= ts.hour < 20 else 0.0
        )
        value = resource.peak_kw * shape * float(rng.normal(1.0, 0.03))
        if ts.date() == EVENT_DAY and EVENT_HOURS[0] <= ts.hour < EVENT_HOURS[1]:
            value -= resource.shed_kw
        stamps.append(int(ts.timestamp()) * 1_000_000_000)
        values.append(max(value, 0.0))
    return np.array(stamps, dtype=np.int64), np.array(values, dtype=np.float64)
