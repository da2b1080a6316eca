"""Benchmark: rooftop PV potential and hourly yield over a year for 20,000 rooftops.

Random roof areas, primary uses and roof types, and a few orientation groups (south 20°/25°, east, west,
south-east, south-west) on the default synthetic Shanghai year. Steps: potential of every roof; the hourly
yield per kWp once per orientation group (pvlib); then every rooftop's 8,760 hourly values (capacity ×
group profile, in chunks), summed into the district's hourly profile and each roof's annual energy.

The raw numpy baseline is the irreducible last step alone (the same hourly products from a precomputed
profile); the ratio says how much the pvlib chain adds. A per-building pvlib loop (no grouping) is timed on
a sample and extrapolated, to show what grouping saves. The issue's target is under 10 s.

Usage: python benchmarks/pv.py [--rooftops 20000] [--sample 20]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import numpy.typing as npt

ORIENTATIONS = [(20.0, 180.0), (25.0, 180.0), (25.0, 90.0), (25.0, 270.0), (25.0, 135.0), (25.0, 225.0)]


def _hourly(
    capacity: npt.NDArray[np.float64], group: npt.NDArray[np.intp], profiles: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Every rooftop's hourly energy [kWh], in chunks: the district profile and each roof's annual total."""
    district = np.zeros(profiles.shape[1])
    annual = np.empty(len(capacity))
    table = profiles.astype(np.float32)
    for start in range(0, len(capacity), 2000):
        stop = min(start + 2000, len(capacity))
        hourly = capacity[start:stop, None].astype(np.float32) * table[group[start:stop]]
        district += hourly.sum(axis=0, dtype=np.float64)
        annual[start:stop] = hourly.sum(axis=1, dtype=np.float64)
    return district, annual


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooftops", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=20, help="rooftops in the per-building pvlib loop")
    args = parser.parse_args()
    from carbonpeak.core.pv.potential import USABLE_ROOF_SHARE, rooftop_potential
    from carbonpeak.core.pv.weather import SHANGHAI_SITE, shanghai_typical_year
    from carbonpeak.core.pv.yield_ import building_yield, hourly_yield_per_kwp

    rng = np.random.default_rng(1)
    n = args.rooftops
    area = rng.lognormal(np.log(800.0), 0.9, n)
    uses = list(rng.choice(list(USABLE_ROOF_SHARE), n))
    roofs = list(rng.choice(["flat", "pitched"], n, p=[0.7, 0.3]))
    pick = rng.integers(0, len(ORIENTATIONS), n)
    tilt = np.array([ORIENTATIONS[i][0] for i in pick])
    azimuth = np.array([ORIENTATIONS[i][1] for i in pick])
    site = (SHANGHAI_SITE["latitude_deg"], SHANGHAI_SITE["longitude_deg"], SHANGHAI_SITE["altitude_m"])

    warm = np.ones((1, 8760))
    _hourly(np.ones(2000), np.zeros(2000, dtype=np.intp), warm)  # allocate once, outside the timings
    t0 = time.perf_counter()
    weather = shanghai_typical_year()
    t1 = time.perf_counter()
    potential = rooftop_potential(area, uses, roofs)
    t2 = time.perf_counter()
    result = building_yield(weather, *site, potential.capacity_kwp, tilt, azimuth)
    t3 = time.perf_counter()
    district, annual = _hourly(potential.capacity_kwp, result.group, result.hourly_kwh_per_kwp)
    t4 = time.perf_counter()
    total = t4 - t0

    base_start = time.perf_counter()
    _hourly(potential.capacity_kwp, result.group, result.hourly_kwh_per_kwp)
    baseline = time.perf_counter() - base_start

    loop_start = time.perf_counter()
    for i in range(min(args.sample, n)):
        hourly_yield_per_kwp(weather, *site, [tilt[i]], [azimuth[i]])
    per_building = (time.perf_counter() - loop_start) / max(min(args.sample, n), 1)

    assert np.allclose(annual, result.annual_kwh, rtol=1e-4)
    print(f"rooftops: {n:,}; orientation groups: {len(result.orientations)}; hours: {len(weather):,}")
    print(
        f"capacity: {potential.capacity_kwp.sum() / 1000:,.1f} MWp; yield: {district.sum() / 1e6:,.2f} GWh/a"
    )
    print(
        f"synthetic weather {t1 - t0:.3f} s, potential {t2 - t1:.3f} s, group profiles {t3 - t2:.3f} s, "
        f"hourly for every rooftop {t4 - t3:.3f} s"
    )
    print(
        f"total: {total:.2f} s ({n / total:,.0f} rooftops/s); "
        f"target under 10 s: {'met' if total < 10 else 'MISSED'}"
    )
    print(
        f"raw numpy baseline (hourly products only): {baseline:.2f} s; "
        f"ratio total/baseline {total / baseline:.1f}"
    )
    print(
        f"per-building pvlib loop (no grouping): {per_building * 1000:.1f} ms/rooftop, "
        f"~{per_building * n:.0f} s for all"
    )


if __name__ == "__main__":
    main()
