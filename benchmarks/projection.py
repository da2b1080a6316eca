"""Benchmark: Monte Carlo projection of the Plan scenario, 10,000 draws x 2020-2035 x every cell.

Target (issue 7): well under 0.5 s on 2 cores. Prints the time of one run (the first, cold, and the best of
--repeat, warm), draws per second, and the ratio against a raw numpy baseline run in the same process: one
multiply of a (draws, cells, years) driver array by an intensity array and one sum (the floor for this
arithmetic). Also times the whole ``projection_document`` (Monte Carlo plus the deterministic run and the
eight cumulative wedge runs).

The district is the synthetic reference district (``carbonpeak.demo.inventory``, 2015-2024) with synthetic
drivers made up here; the numbers printed are timings, not results.

Usage: python benchmarks/projection.py [--draws 10000] [--repeat 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from carbonpeak.core.inventory import ActivityRecord, compute_inventory
from carbonpeak.core.projection import (
    calibrate,
    history_from_records,
    plan_scenario,
    projection_document,
    simulate,
)
from carbonpeak.data import packaged_library
from carbonpeak.demo.inventory import reference_district
from carbonpeak.io.inventory import parse_activity_row

YEARS = range(2015, 2025)
DRIVERS = {
    "gdp_secondary_10k_yuan": {y: 6.0e6 * 1.03 ** (y - 2015) for y in YEARS},
    "floor_area_public_m2": {y: 1.2e7 * 1.01 ** (y - 2015) for y in YEARS},
    "floor_area_residential_m2": {y: 3.0e7 * 1.005 ** (y - 2015) for y in YEARS},
    "vehicle_km": {y: 5.0e9 * 0.99 ** (y - 2015) for y in YEARS},
    "data_centre_it_mwh": {y: 1.0e5 * 1.05 ** (y - 2015) for y in YEARS},
    "waste_t": {y: 4.0e5 for y in YEARS},
    "green_space_ha": {y: 900.0 for y in YEARS},
}
"""Synthetic drivers (made up for the benchmark)."""


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """First (cold) time and best of ``repeat`` further runs [s]."""
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return cold, min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    activity, _ = reference_district()
    rows = []
    for i, row in enumerate(activity):
        parsed = parse_activity_row({k: str(v) for k, v in row.items()}, i + 2, "bench")
        assert isinstance(parsed, ActivityRecord), parsed
        rows.append(parsed)
    inventory = compute_inventory(rows, packaged_library())
    calibration = calibrate(history_from_records(inventory.records), DRIVERS)
    scenario = plan_scenario(
        driver_growth={
            "gdp_secondary_10k_yuan": 0.03,
            "floor_area_public_m2": 0.01,
            "data_centre_it_mwh": 0.05,
        },
        grid_t_per_mwh={2025: 0.42, 2035: 0.30},
    )
    years = scenario.horizon - scenario.base_year + 1
    cells = len(calibration.with_cells(c for lever in scenario.levers for c in lever.cells()).cells)
    n = args.draws

    cold, warm = timed(lambda: simulate(calibration, scenario, draws=n, seed=args.seed), args.repeat)
    rng = np.random.default_rng(args.seed)
    drivers = rng.uniform(1, 2, (n, cells, years))
    intensity = rng.uniform(1, 2, (n, cells, years))
    _, raw = timed(lambda: (drivers * intensity).sum(axis=1), args.repeat)
    doc_cold, doc_warm = timed(
        # 2030: the reference (Yangpu) plan's peak year, the deadline of its peak_by target
        lambda: projection_document(calibration, scenario, draws=n, seed=args.seed, peak_by=2030),
        args.repeat,
    )
    mc = simulate(calibration, scenario, draws=n, seed=args.seed)

    print(
        f"plan scenario: {n:,} draws x {years} years ({scenario.base_year}-{scenario.horizon}) "
        f"x {cells} cells ({len(calibration.segments)} segments, {len(scenario.levers)} levers)"
    )
    print(
        f"simulate, warm (best of {args.repeat}): {warm * 1000:7.1f} ms  ({n / warm:,.0f} draws/s)  "
        f"target < 500 ms: {'met' if warm < 0.5 else 'NOT met'}"
    )
    print(f"simulate, cold (first run):   {cold * 1000:7.1f} ms  ({n / cold:,.0f} draws/s)")
    print(f"raw numpy multiply + sum:     {raw * 1000:7.1f} ms  simulate/numpy = {warm / raw:,.1f}x")
    print(
        f"projection_document (MC + central + 8 wedge runs): warm {doc_warm * 1000:.1f} ms, "
        f"cold {doc_cold * 1000:.1f} ms"
    )
    print(
        f"check: P(peak <= 2030) = {mc.p_peak_by(2030):.3f}; median 2030 = {mc.percentile(50)[10]:,.0f} tCO2"
    )


if __name__ == "__main__":
    main()
