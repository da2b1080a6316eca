"""Benchmark: recompute inventories for 16 districts x 10 years x ~40 activity rows in core.

Target (issue 4): the whole recompute in under 1 s. Prints rows per second, the time per full
recompute (best of --repeat), and ratios against two raw baselines run in the same process:

* numpy: quantity x one pre-looked-up factor per row, vectorised (the floor for this arithmetic);
* python: the same multiply in a plain loop with pre-looked-up factors (no lookups, no provenance).

The core run does everything the platform does: unit conversion, factor lookup by year, region and series,
both coal bases, provenance of every factor, quality flags and totals by area, year and sector.

Usage: python benchmarks/inventory_compute.py [--districts 16] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from carbonpeak.core.inventory import ActivityRecord, compute_inventory
from carbonpeak.data import packaged_library
from carbonpeak.demo.inventory import reference_district
from carbonpeak.io.inventory import parse_activity_row


def build(districts: int) -> list[ActivityRecord]:
    """Synthetic districts: the reference district's rows, re-seeded, each fuel split in 2-3 subsectors."""
    records: list[ActivityRecord] = []
    for d in range(districts):
        activity, _ = reference_district(seed=d)
        for row in activity:
            parts = 3 if row["sector"] in ("commercial", "industry", "residential") else 2
            for k in range(parts if row["carrier"] != "co2e" else 1):
                copy = {key: str(value) for key, value in row.items()}
                copy["area"] = f"district-{d:02d}"
                copy["subsector"] = f"{row['subsector']}-{k}"
                if row["carrier"] != "co2e":
                    copy["quantity"] = str(float(row["quantity"]) / parts)
                parsed = parse_activity_row(copy, len(records) + 2, "bench")
                assert isinstance(parsed, ActivityRecord), parsed
                records.append(parsed)
    return records


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    library = packaged_library()
    records = build(args.districts)
    district_years = len({(r.area, r.year) for r in records})
    result = compute_inventory(records, library)  # warm the caches once, as a server would be
    ef = {
        r.record.row: (r.co2_t / r.record.quantity if r.record.quantity and r.co2_t is not None else 0.0)
        for r in result.records
    }
    quantities = np.array([r.quantity or 0.0 for r in records])
    factors = np.array([ef[r.row] for r in records])
    pairs = list(zip(quantities.tolist(), factors.tolist(), strict=True))

    core = best(lambda: compute_inventory(records, library), args.repeat)
    raw_numpy = best(lambda: float((quantities * factors).sum()), args.repeat)
    raw_python = best(lambda: sum(q * f for q, f in pairs), args.repeat)
    n = len(records)
    print(
        f"rows: {n} ({args.districts} districts x 10 years, {n / district_years:.1f} rows per district-year)"
    )
    print(
        f"core compute_inventory: {core * 1000:8.1f} ms  ({n / core:,.0f} rows/s)  target < 1000 ms: "
        f"{'met' if core < 1.0 else 'NOT met'}"
    )
    print(
        f"raw numpy multiply:     {raw_numpy * 1000:8.3f} ms  ({n / raw_numpy:,.0f} rows/s)  "
        f"core/numpy = {core / raw_numpy:,.0f}x"
    )
    print(
        f"raw python loop:        {raw_python * 1000:8.3f} ms  ({n / raw_python:,.0f} rows/s)  "
        f"core/python = {core / raw_python:,.1f}x"
    )


if __name__ == "__main__":
    main()
