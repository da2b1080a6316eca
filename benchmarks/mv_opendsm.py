"""The OpenDSM side of ``benchmarks/mv.py``; runs in ``.venv-bench-mv`` only (never imports carbonpeak).

Reads the daily and hourly meter CSVs and the hourly temperature CSV (°C, converted to °F for OpenDSM),
fits OpenDSM's daily model and its CalTRACK hourly model on the baseline, predicts the reporting period and
prints one JSON line: savings fraction, CV(RMSE) and NMBE of the baseline fit (no dof adjustment), and
the best fit time of ``--repeat`` runs.

Usage: .venv-bench-mv/bin/python benchmarks/mv_opendsm.py DAILY.csv HOURLY.csv TEMPERATURE.csv
       --baseline START/END --reporting START/END [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd


def read(path: str, column: str) -> pd.Series:
    frame = pd.read_csv(path)
    index = pd.DatetimeIndex(pd.to_datetime(frame["timestamp"], utc=True)).tz_convert("Asia/Shanghai")
    return pd.Series(frame[column].to_numpy(dtype=float), index=index)


def window(series: pd.Series, text: str) -> pd.Series:
    start, end = (pd.Timestamp(p) for p in text.split("/"))
    return series[(series.index >= start) & (series.index < end)]


def stats(observed: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    keep = np.isfinite(observed) & np.isfinite(predicted)
    y, f = observed[keep], predicted[keep]
    return float(np.sqrt(np.mean((y - f) ** 2)) / y.mean()), float(np.sum(y - f) / (len(y) * y.mean()))


def best(fn, repeat: int):  # type: ignore[no-untyped-def]
    out, fastest = None, float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        fastest = min(fastest, time.perf_counter() - start)
    return out, fastest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("daily")
    parser.add_argument("hourly")
    parser.add_argument("temperature")
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--reporting", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", default="daily,hourly", help="which fits: daily, hourly or both")
    args = parser.parse_args()
    wanted = set(args.kinds.split(","))
    warnings.simplefilter("ignore")
    from opendsm import eemeter

    temp_f = read(args.temperature, "temperature_c") * 1.8 + 32.0
    out = {}
    kinds = (
        ("daily", args.daily, eemeter.DailyBaselineData, eemeter.DailyReportingData, eemeter.DailyModel),
        (
            "hourly",
            args.hourly,
            eemeter.HourlyCaltrackBaselineData,
            eemeter.HourlyCaltrackReportingData,
            eemeter.HourlyCaltrackModel,
        ),
    )
    for kind, path, base_cls, rep_cls, model_cls in kinds:
        if kind not in wanted:
            continue
        meter = read(path, "value")
        base = base_cls.from_series(
            window(meter, args.baseline), window(temp_f, args.baseline), is_electricity_data=True
        )
        rep = rep_cls.from_series(
            window(meter, args.reporting), window(temp_f, args.reporting), is_electricity_data=True
        )
        model, seconds = best(lambda base=base, model_cls=model_cls: model_cls().fit(base), args.repeat)
        fitted = model.predict(base)
        cv, bias = stats(fitted["observed"].to_numpy(dtype=float), fitted["predicted"].to_numpy(dtype=float))
        predicted = model.predict(rep)
        keep = predicted["observed"].notna() & predicted["predicted"].notna()
        y = float(predicted["observed"][keep].sum())
        f = float(predicted["predicted"][keep].sum())
        out[kind] = {"savings_fraction": (f - y) / f, "cvrmse": cv, "nmbe": bias, "fit_s": seconds}
        print(f"OpenDSM {kind}: fit {seconds:.2f} s", file=sys.stderr, flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
