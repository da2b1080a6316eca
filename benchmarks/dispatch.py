"""Benchmark: a year of hourly PV-storage-flexible dispatch (HiGHS LP) for 100 buildings.

Each building: a synthetic hourly load (weekday/weekend office shape with noise), PV from the PV module's
yield per kWp on the default synthetic Shanghai year times a random capacity, a battery (2 h at a random
power), a 10 % shiftable share, and a two-level time-of-use price (the benchmark's own illustrative
numbers, not a tariff: the packaged Shanghai tariff has no confirmed prices). One LP per building over
8,760 steps (about 50,000 variables). The raw baseline is the no-storage arithmetic alone (numpy).

Usage: python benchmarks/dispatch.py [--buildings 100] [--hours 8760]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=100)
    parser.add_argument("--hours", type=int, default=8760)
    args = parser.parse_args()
    from carbonpeak.core.flex.dispatch import Battery, FlexibleLoad, simulate
    from carbonpeak.core.pv.weather import SHANGHAI_SITE, shanghai_typical_year
    from carbonpeak.core.pv.yield_ import hourly_yield_per_kwp

    weather = shanghai_typical_year()
    site = (SHANGHAI_SITE["latitude_deg"], SHANGHAI_SITE["longitude_deg"], SHANGHAI_SITE["altitude_m"])
    per_kwp = hourly_yield_per_kwp(weather, *site, [20.0], [180.0])[0][: args.hours]
    hours = np.arange(args.hours)
    hour_of_day, day = hours % 24, hours // 24
    weekday = (day % 7) < 5
    shape = np.where((hour_of_day >= 8) & (hour_of_day < 19) & weekday, 1.0, 0.35)
    price = np.where((hour_of_day >= 8) & (hour_of_day < 22), 1.0, 0.35)  # illustrative, not a tariff
    rng = np.random.default_rng(7)

    start = time.perf_counter()
    savings, simultaneous = [], 0
    for _ in range(args.buildings):
        peak = rng.uniform(100, 1500)
        load = peak * shape * rng.uniform(0.9, 1.1, args.hours)
        pv = per_kwp * rng.uniform(0.05, 0.3) * peak
        power = rng.uniform(0.05, 0.25) * peak
        battery = Battery(2 * power, power, round_trip_efficiency=0.88, soc_min=0.1, soc_max=0.9)
        result = simulate(load, pv, price, battery=battery, flexible=FlexibleLoad(0.1), day_of_interval=day)
        savings.append(result.savings_yuan / result.cost_without_yuan)
        simultaneous += result.simultaneous_intervals
    lp_s = time.perf_counter() - start

    start = time.perf_counter()
    for _ in range(args.buildings):
        load = rng.uniform(100, 1500) * shape
        grid = np.maximum(load - per_kwp * 100, 0)
        float(np.sum(grid * price))
    raw_s = time.perf_counter() - start

    n = args.buildings
    print(f"buildings: {n}, steps each: {args.hours} (hourly)")
    print(f"LP dispatch: {lp_s:.1f} s total, {lp_s / n * 1000:.0f} ms per building-year")
    print(f"raw no-storage arithmetic: {raw_s * 1000:.1f} ms total (ratio {lp_s / max(raw_s, 1e-9):,.0f}x)")
    print(f"cost saving with storage and shifting: median {np.median(savings):.1%} (illustrative prices)")
    print(f"intervals with simultaneous charge and discharge: {simultaneous}")


if __name__ == "__main__":
    main()
