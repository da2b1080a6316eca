"""Benchmark: park service coverage (euclidean_boundary, by area and by population) for 5,000 residential
polygons and 500 parks; the issue's target is under 2 s.

The layout is synthetic (a jittered grid in metres): 5,000 blocks of 120-200 m on a 6 km x 10 km district
and 500 parks of 0.2-6 ha, radius from the GB/T 50563 table (500 m / 300 m). It prints the best and median
of ``--repeat`` runs, and the coverage, so a figure is never read without its result.

Usage: python benchmarks/spatial.py [--residential 5000] [--parks 500] [--repeat 3] [--quad-segs 64]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from shapely.geometry import box

from carbonpeak.core.spatial.coverage import RadiusBand, RadiusTable, euclidean_boundary
from carbonpeak.core.spatial.features import Park, Residential

TABLE = RadiusTable(
    "benchmark",
    (
        RadiusBand(5_000, None, 500, "GB/T 50563-2010", "R"),
        RadiusBand(2_000, 5_000, 300, "GB/T 50563-2010", "R"),
    ),
)


def layers(n_res: int, n_parks: int, seed: int) -> tuple[list[Park], list[Residential]]:
    rng = np.random.default_rng(seed)
    cols = int(np.ceil(np.sqrt(n_res * 0.6)))
    pitch = 200.0
    residential = []
    for i in range(n_res):
        x, y = (i % cols) * pitch, (i // cols) * pitch
        w, h = rng.uniform(120, 200, 2)
        residential.append(
            Residential(f"r{i}", box(x, y, x + w, y + h), population=float(rng.integers(500, 5000)))
        )
    width, height = cols * pitch, (n_res // cols + 1) * pitch
    parks = []
    for j in range(n_parks):
        side = float(np.sqrt(rng.uniform(2_000, 60_000)))
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        parks.append(Park(f"p{j}", box(x, y, x + side, y + side)))
    return parks, residential


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residential", type=int, default=5_000)
    parser.add_argument("--parks", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quad-segs", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    parks, residential = layers(args.residential, args.parks, args.seed)
    for weight in ("area", "population"):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = euclidean_boundary(
                parks, residential, radii=TABLE, weight=weight, quad_segs=args.quad_segs
            )
            times.append(time.perf_counter() - start)
        print(
            f"coverage by {weight:<10} {args.residential} residential x {args.parks} parks: "
            f"best {min(times):.3f} s, median {statistics.median(times):.3f} s "
            f"(target < 2 s) -> coverage {result.coverage:.4f}, "
            f"{len(result.uncovered)} polygons not fully covered"
        )


if __name__ == "__main__":
    main()
