"""Benchmark: carbonpeak's M&V fits against OpenDSM on the same daily and hourly data, in the same run.

The data is SYNTHETIC with a known truth: an hourly HVAC plant load on a 5-parameter change-point model of
the hourly temperature times an office schedule, cut by a known fraction after the retrofit
(:mod:`carbonpeak.demo.retrofits`). Baseline 2023, reporting 2024-02-01 to 2025-02-01.

carbonpeak runs here; OpenDSM runs in its own environment (``make bench-mv`` creates ``.venv-bench-mv``
with ``opendsm``, ``multimethod<2``, ``pandas<3``; never a runtime dependency) through
``benchmarks/mv_opendsm.py``, fed the same CSV files. Printed: both savings estimates against the truth,
CV(RMSE), NMBE and fit times, and the ratio of fit times. A second table compares the two degree-day
variants on several synthetic buildings (the default is the one closer to the known savings).

Usage: python benchmarks/mv.py [--savings 0.15] [--repeat 5] [--opendsm .venv-bench-mv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

BASELINE = "2023-01-01T00:00+08:00/2024-01-01T00:00+08:00"
REPORTING = "2024-02-01T00:00+08:00/2025-02-01T00:00+08:00"


def synthetic(savings: float, seed: int, noise: float = 0.05) -> tuple[pd.Series, pd.Series]:
    """Hourly usage [kWh] and temperature [°C] of a synthetic building with known savings."""
    from carbonpeak.demo.retrofits import ProjectSpec, plant_readings, synthetic_temperatures

    temps = synthetic_temperatures(seed=seed)
    spec = ProjectSpec(
        {
            "reporting_start": date(2024, 2, 1),
            "baseline_end": date(2024, 1, 1),
            "area_m2": 20_000,
            "meter": "X",
        },
        savings,
        noise,
        0,
    )
    return plant_readings(spec, temps, seed=seed + 1), temps


def daily(usage: pd.Series) -> pd.Series:
    return usage.groupby(pd.DatetimeIndex(usage.index).normalize()).sum()


def true_fraction(usage: pd.Series, savings: float) -> float:
    """The truth over the reporting period: the counterfactual is usage / (1 - savings)."""
    return savings


def timed(fn, repeat: int):  # type: ignore[no-untyped-def]
    best = float("inf")
    out = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return out, best


def carbonpeak_fit(method: str, usage: pd.Series, temps: pd.Series, repeat: int, **options) -> dict:  # type: ignore[no-untyped-def]
    from carbonpeak.core.mv import Period, fit_baseline, savings

    baseline, reporting = Period.parse(BASELINE), Period.parse(REPORTING)
    fit, seconds = timed(lambda: fit_baseline(method, usage, temps, baseline, **options), repeat)
    result = savings(fit, usage, temps, reporting)
    return {
        "savings_fraction": result.savings_fraction,
        "savings_kwh": result.savings_kwh,
        "cvrmse": fit.cvrmse,
        "nmbe": fit.nmbe,
        "fit_s": seconds,
        "fsu": result.fsu,
    }


def write_csv(folder: Path, name: str, series: pd.Series, column: str) -> Path:
    path = folder / name
    frame = pd.DataFrame({"timestamp": [t.isoformat() for t in series.index], column: series.to_numpy()})
    frame.to_csv(path, index=False)
    return path


def degree_day_choice(repeat: int) -> None:
    """Savings error of the two degree-day variants on buildings of known savings."""
    print("\nDegree-day variants (CalTRACK daily), savings error in percentage points against the truth:")
    print(f"{'building':<10}{'truth':>8}{'daily_mean':>12}{'hourly_int':>12}")
    errors: dict[str, list[float]] = {"daily_mean": [], "hourly_integrated": []}
    for k, truth in enumerate((0.05, 0.10, 0.15, 0.20, 0.25, 0.30)):
        usage, temps = synthetic(truth, seed=100 + k, noise=0.08)
        row = []
        for variant in errors:
            got = carbonpeak_fit("caltrack_daily", daily(usage), temps, 1, degree_day_method=variant)
            err = 100 * (got["savings_fraction"] - truth)
            errors[variant].append(abs(err))
            row.append(err)
        print(f"{k:<10}{100 * truth:>7.0f}%{row[0]:>+12.2f}{row[1]:>+12.2f}")
    print(
        f"mean |error|: daily_mean {np.mean(errors['daily_mean']):.2f} pp, "
        f"hourly_integrated {np.mean(errors['hourly_integrated']):.2f} pp"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--savings", type=float, default=0.15)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--opendsm", default=".venv-bench-mv/bin/python")
    parser.add_argument("--opendsm-kinds", default="daily,hourly", help="OpenDSM fits to run")
    parser.add_argument("--opendsm-repeat", type=int, default=1, help="OpenDSM fits are slow: best of N")
    args = parser.parse_args()
    usage, temps = synthetic(args.savings, seed=11)
    usage_daily = daily(usage)
    rows = {
        "daily": carbonpeak_fit("caltrack_daily", usage_daily, temps, args.repeat),
        "hourly": carbonpeak_fit("caltrack_hourly", usage, temps, max(1, args.repeat // 2)),
    }
    peer: dict[str, dict[str, float]] = {}
    opendsm = Path(args.opendsm)
    if opendsm.exists():
        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            files = [
                write_csv(base, "daily.csv", usage_daily, "value"),
                write_csv(base, "hourly.csv", usage, "value"),
                write_csv(base, "temperature.csv", temps, "temperature_c"),
            ]
            command = [str(opendsm), str(Path(__file__).with_name("mv_opendsm.py")), *map(str, files)]
            command += [
                "--baseline",
                BASELINE,
                "--reporting",
                REPORTING,
                "--repeat",
                str(args.opendsm_repeat),
            ]
            command += ["--kinds", args.opendsm_kinds]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            print(done.stderr[-2000:], file=sys.stderr)
            if done.returncode != 0:
                print("OpenDSM failed", file=sys.stderr)
            else:
                peer = json.loads(done.stdout.strip().splitlines()[-1])
    else:
        print(f"({opendsm} not found: run 'make bench-mv' for the OpenDSM comparison)")
    print(
        f"SYNTHETIC building, true savings {100 * args.savings:.1f} %"
        " (baseline 2023, reporting 2024-02/2025-02)"
    )
    print(
        f"{'fit':<8}{'tool':<11}{'savings %':>10}{'error pp':>10}{'CV(RMSE) %':>12}{'NMBE %':>9}{'fit s':>9}"
    )
    for kind, mine in rows.items():
        for tool, values in (("carbonpeak", mine), ("OpenDSM", peer.get(kind))):
            if not values:
                continue
            fraction = values["savings_fraction"]
            print(
                f"{kind:<8}{tool:<11}{100 * fraction:>10.2f}{100 * (fraction - args.savings):>+10.2f}"
                f"{100 * values['cvrmse']:>12.2f}{100 * values['nmbe']:>9.3f}{values['fit_s']:>9.4f}"
            )
        if peer.get(kind):
            print(
                f"{'':<8}ratio of fit times OpenDSM / carbonpeak: {peer[kind]['fit_s'] / mine['fit_s']:.1f}x"
            )
    degree_day_choice(args.repeat)


if __name__ == "__main__":
    main()
