"""Benchmark: CalTRACK daily baselines of 2,000 SYNTHETIC buildings, total time (fit + savings).

Each building is the same synthetic HVAC plant shape with its own scale, balance points, noise and true
savings on one shared synthetic temperature year; the printed error is against each one's known savings.

Usage: python benchmarks/mv_portfolio.py [--buildings 2000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=2000)
    args = parser.parse_args()
    from carbonpeak.core.mv import Period, fit_baseline, portfolio_fsu, savings
    from carbonpeak.demo.retrofits import synthetic_temperatures

    temps = synthetic_temperatures(seed=5)
    mean = temps.groupby(pd.DatetimeIndex(temps.index).normalize()).mean()
    t = mean.to_numpy()
    rng = np.random.default_rng(6)
    baseline = Period.parse("2023-01-01T00:00+08:00/2024-01-01T00:00+08:00")
    reporting = Period.parse("2024-02-01T00:00+08:00/2025-02-01T00:00+08:00")
    after = mean.index >= pd.Timestamp("2024-02-01", tz="Asia/Shanghai")
    fits = refused = 0
    errors, saved, fsus = [], [], []
    start = time.perf_counter()
    for _ in range(args.buildings):
        base, heat, cool = rng.uniform(200, 5000), rng.uniform(5, 80), rng.uniform(10, 150)
        th, tc, truth = rng.uniform(10, 16), rng.uniform(19, 25), rng.uniform(0.0, 0.3)
        y = base + heat * np.clip(th - t, 0, None) + cool * np.clip(t - tc, 0, None)
        y = y * rng.lognormal(0, rng.uniform(0.02, 0.12), len(y))
        y[after] *= 1 - truth
        usage = pd.Series(y, index=mean.index)
        fit = fit_baseline("caltrack_daily", usage, temps, baseline)
        result = savings(fit, usage, temps, reporting)
        fits += 1
        errors.append(100 * (result.savings_fraction - truth))
        saved.append(result.savings_kwh)
        fsus.append(result.fsu)
    total = time.perf_counter() - start
    print(
        f"{fits} SYNTHETIC buildings' CalTRACK daily fits and savings in {total:.1f} s "
        f"({1000 * total / max(fits, 1):.1f} ms each); refused {refused}"
    )
    print(
        f"savings error against the truth: mean {np.mean(errors):+.2f} pp, "
        f"mean |error| {np.mean(np.abs(errors)):.2f} pp"
    )
    print(f"portfolio FSU (90 %): {100 * portfolio_fsu(saved, fsus):.2f} %")


if __name__ == "__main__":
    main()
