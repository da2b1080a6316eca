"""Dispatch LPs: a hand-worked day, an independent formulation (scipy linprog), allocation and tariffs."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest
from scipy.optimize import linprog

from carbonpeak.core.flex import FlexInputError
from carbonpeak.core.flex.dispatch import (
    Battery,
    DispatchResource,
    FlexibleLoad,
    SimulationResult,
    TariffPeriod,
    allocate,
    simulate,
    tariff_prices,
)

VALLEY = [*range(8), 22, 23]
PRICES = np.array([0.3 if h in VALLEY else 1.0 for h in range(24)])


def test_hand_worked_day_arbitrage() -> None:
    # Flat 10 kW load, no PV; valley 0.3 元/kWh (22:00-08:00), peak 1.0 元/kWh otherwise.
    # Battery 20 kWh, 5 kW, round trip 0.81 (η = 0.9 each way), SOC 0-100 %, start empty, end ≥ start.
    # Each kWh bought in the valley delivers 0.81 kWh in the peak: saving 0.81 − 0.30 = 0.51 元 > 0, so the
    # battery fills once: 20 / 0.9 = 22.22 kWh bought at 0.3, 20 × 0.9 = 18 kWh delivered at 1.0.
    # Without: 10 × (10 × 0.3 + 14 × 1.0) = 170 元. With: 170 − 18 + 22.22 × 0.3 = 158.667 元.
    battery = Battery(20, 5, round_trip_efficiency=0.81, soc_min=0, soc_max=1, soc_start=0)
    result = simulate(np.full(24, 10.0), np.zeros(24), PRICES, battery=battery)
    assert result.cost_without_yuan == pytest.approx(170.0)
    assert result.cost_with_yuan == pytest.approx(170 - 18 + 20 / 0.9 * 0.3, abs=1e-3)
    assert sum(result.charge_kw) == pytest.approx(20 / 0.9, abs=1e-4)
    assert sum(result.discharge_kw) == pytest.approx(18.0, abs=1e-4)
    assert max(result.soc_kwh) == pytest.approx(20.0, abs=1e-4)
    assert result.soc_kwh[-1] >= -1e-9
    assert result.simultaneous_intervals == 0
    assert result.grid_with_kwh == pytest.approx(240 - 18 + 20 / 0.9, abs=1e-3)
    assert all(c == 0 for h, c in enumerate(result.charge_kw) if h not in VALLEY)


def _linprog_cost(load: np.ndarray, pv: np.ndarray, price: np.ndarray, b: Battery) -> float:
    """Independent dense formulation of the same LP, solved by scipy's linprog (HiGHS, via scipy)."""
    n = len(load)
    eta = math.sqrt(b.round_trip_efficiency)
    # x = [g (n), u (n), c (n), d (n), soc (n)]
    c = np.concatenate([price, np.zeros(4 * n)])
    a_eq, b_eq = [], []
    for t in range(n):
        row = np.zeros(5 * n)
        row[t] = row[n + t] = row[3 * n + t] = 1
        row[2 * n + t] = -1
        a_eq.append(row)
        b_eq.append(load[t])
        row = np.zeros(5 * n)
        row[4 * n + t] = 1
        if t:
            row[4 * n + t - 1] = -1
        row[2 * n + t] = -eta
        row[3 * n + t] = 1 / eta
        a_eq.append(row)
        b_eq.append(b.soc_start * b.capacity_kwh if t == 0 else 0.0)
    bounds = (
        [(0, None)] * n
        + [(0, p) for p in pv]
        + [(0, b.power_kw)] * (2 * n)
        + [(b.soc_min * b.capacity_kwh, b.soc_max * b.capacity_kwh)] * (n - 1)
        + [(max(b.soc_start, b.soc_min) * b.capacity_kwh, b.soc_max * b.capacity_kwh)]
    )
    out = linprog(c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=bounds, method="highs")
    assert out.status == 0
    return float(out.fun)


def test_day_with_pv_matches_an_independent_formulation() -> None:
    hours = np.arange(24)
    load = 30 + 20 * np.exp(-(((hours - 14) / 4.0) ** 2))
    pv = np.maximum(0, 60 * np.sin((hours - 6) / 12 * np.pi))
    battery = Battery(80, 25, round_trip_efficiency=0.9, soc_min=0.1, soc_max=0.95, soc_start=0.5)
    result = simulate(load, pv, PRICES, battery=battery)
    assert result.cost_with_yuan == pytest.approx(_linprog_cost(load, pv, PRICES, battery), abs=1e-3)
    assert result.cost_with_yuan < result.cost_without_yuan
    assert result.self_consumption_with is not None
    assert result.self_consumption_without is not None
    assert result.self_consumption_with >= result.self_consumption_without
    # least cost is not least peak: charging in the valley may raise the grid peak, and it is reported
    assert result.peak_with_kw == pytest.approx(max(result.grid_kw))


def test_flexible_load_moves_to_the_valley_and_keeps_daily_energy() -> None:
    load = np.full(48, 10.0)
    prices = np.concatenate([PRICES, PRICES])
    result = simulate(load, np.zeros(48), prices, flexible=FlexibleLoad(0.2, max_kw=10))
    # 20 % of each hour's 10 kW (2 kW) may move within the day: the 14 peak hours' 28 kWh move to the
    # valley, saving 28 × (1.0 − 0.3) = 19.6 元 per day; the valley's own 20 kWh stay put
    assert result.savings_yuan == pytest.approx(2 * 19.6, abs=1e-4)
    assert sum(result.shifted_kw[:24]) == pytest.approx(48.0)


def test_no_battery_is_the_reference_and_dc_share_is_reported() -> None:
    load, pv = np.array([5.0, 5.0]), np.array([8.0, 0.0])
    result = simulate(load, pv, [1.0, 1.0], interval_h=1.0, dc_bus_share=0.4)
    assert result.cost_with_yuan == pytest.approx(result.cost_without_yuan)
    assert result.curtailed_kwh == pytest.approx(3.0)
    assert result.self_consumption_with == pytest.approx(5 / 8)
    assert result.self_sufficiency_with == pytest.approx(0.5)
    assert result.dc_bus_kwh == pytest.approx(4.0)
    assert SimulationResult.from_dict(result.to_dict()) == result


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(FlexInputError, match="load has a missing"):
        simulate([1.0, float("nan")], [0.0, 0.0], [1.0, 1.0])
    with pytest.raises(FlexInputError, match="soc_start"):
        simulate([1.0], [0.0], [1.0], battery=Battery(10, 5, soc_min=0.5, soc_max=0.9, soc_start=0.2))
    with pytest.raises(FlexInputError, match="round-trip"):
        simulate([1.0], [0.0], [1.0], battery=Battery(10, 5, round_trip_efficiency=1.5))


def test_allocation_is_least_cost_within_limits() -> None:
    resources = [
        DispatchResource("cheap", 100, 0.5, ramp_kw_per_min=2.0),
        DispatchResource("mid", 200, 1.0),
        DispatchResource("dear", 500, 3.0),
        DispatchResource("short", 1000, 0.1, max_duration_h=1.0),
    ]
    out = allocate(250, resources, duration_h=2.0, notice_min=30)
    # cheap is ramp-limited to 2 kW/min × 30 min = 60 kW; short cannot hold 2 h; mid takes 190 kW
    assert out.allocated_kw == pytest.approx({"cheap": 60, "mid": 190, "dear": 0, "short": 0})
    assert "short" in out.excluded
    assert out.shortfall_kw == pytest.approx(0)
    assert out.cost_yuan == pytest.approx(60 * 0.5 * 2 + 190 * 1.0 * 2)
    big = allocate(1000, resources, duration_h=2.0, notice_min=30)
    assert big.shortfall_kw == pytest.approx(1000 - 760)


def _tariff(price: float | None) -> list[TariffPeriod]:
    ev = "R"
    pe = "X" if price is None else "V"
    return [
        TariffPeriod("t", "valley", 1, 12, "00:00", "08:00", price and 0.3, ev, pe),
        TariffPeriod("t", "peak", 1, 12, "08:00", "22:00", price, ev, pe),
        TariffPeriod("t", "valley", 1, 12, "22:00", "24:00", price and 0.3, ev, pe),
    ]


def test_tariff_prices_and_unknown_prices() -> None:
    stamps = [datetime(2025, 1, 1) + timedelta(hours=h) for h in range(24)]
    assert list(tariff_prices(_tariff(1.0), stamps)) == list(PRICES)
    with pytest.raises(FlexInputError, match="price is unknown"):
        tariff_prices(_tariff(None), stamps)
    with pytest.raises(FlexInputError, match="covered by no period"):
        tariff_prices(_tariff(1.0)[:2], stamps)
