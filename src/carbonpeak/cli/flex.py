"""``carbonpeak dr ...`` and ``carbonpeak microgrid ...``: demand-response baselines and PV-storage dispatch.

Neither needs the database: both read ``timestamp,value`` CSV files (see :mod:`carbonpeak.io.flex`).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from carbonpeak.cli.base import fail, group_help


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO 8601 date-time") from None


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def cmd_dr_baseline(args: argparse.Namespace) -> int:
    """Compute a demand-response baseline and the delivered reduction from a meter CSV."""
    from carbonpeak.core.flex import FlexInputError
    from carbonpeak.core.flex.baselines import compute_baseline
    from carbonpeak.io.flex import SeriesFileError, read_series_csv

    try:
        load = read_series_csv(Path(args.meter_data), allow_missing=True)
        params: dict[str, Any] = {
            "adjustment": args.adjustment,
            "adjustment_window": args.adjustment_window,
            "allow_fewer": args.allow_fewer,
        }
        if args.days is not None:
            params["days"] = args.days
        if args.highest is not None:
            if args.method != "x_of_y":
                return fail("--highest applies to the x_of_y method only")
            params["highest"] = args.highest
        if args.method == "regression":
            if not args.temperature:
                return fail("the regression method needs --temperature FILE (timestamp,value in °C)")
            params["temperature"] = read_series_csv(Path(args.temperature), allow_missing=True)
        elif args.temperature:
            return fail("--temperature applies to the regression method only")
        result = compute_baseline(args.method, load, args.event_start, args.event_end, **params)
    except (SeriesFileError, FlexInputError) as exc:
        return fail(str(exc))
    for flag in result.flags:
        print(f"carbonpeak: warning: {flag.message}", file=sys.stderr)
    out: dict[str, Any] = {
        "method": result.method,
        "eligible_days": [d.isoformat() for d in result.eligible_days],
        "baseline_kw": [round(v, 6) for v in result.baseline_kw],
        "actual_kw": [None if v is None else round(v, 6) for v in result.actual_kw],
        "reduction_kwh": None if result.reduction_kwh is None else round(result.reduction_kwh, 6),
        "adjustment_ratio": None if result.adjustment_ratio is None else round(result.adjustment_ratio, 6),
    }
    if args.format == "json":
        print(_dump(out))
        return 0
    print(f"method: {result.method}, adjustment: {result.adjustment}")
    print(f"eligible days: {', '.join(d.isoformat() for d in result.eligible_days)}")
    if result.adjustment_ratio is not None:
        print(
            f"adjustment ratio: {result.adjustment_ratio:.4f}"
            + (" (capped)" if result.adjustment_capped else "")
        )
    print(f"{'interval':<20}{'baseline kW':>14}{'actual kW':>12}{'reduction kW':>14}")
    for ts, base, act, red in zip(
        result.timestamps, result.baseline_kw, result.actual_kw, result.reduction_kw, strict=True
    ):
        act_text = "missing" if act is None else f"{act:,.2f}"
        red_text = "-" if red is None else f"{red:,.2f}"
        print(f"{ts.strftime('%Y-%m-%d %H:%M'):<20}{base:>14,.2f}{act_text:>12}{red_text:>14}")
    total = (
        "unknown (missing readings)" if result.reduction_kwh is None else f"{result.reduction_kwh:,.2f} kWh"
    )
    print(f"reduction: {total}")
    return 0


def _aligned(name: str, series: Any, reference: Any, reference_name: str) -> None:
    from carbonpeak.io.flex import SeriesFileError

    if len(series) != len(reference):
        raise SeriesFileError(f"{name}: has {len(series)} rows, {reference_name} has {len(reference)}")
    for row, (a, b) in enumerate(zip(series.index, reference.index, strict=True), start=2):
        if a != b:
            raise SeriesFileError(
                f"{name}, row {row}, field timestamp: {a.isoformat()} does not match {reference_name}'s "
                f"{b.isoformat()}"
            )


def cmd_microgrid_dispatch(args: argparse.Namespace) -> int:
    """Optimal PV-storage dispatch of a building or microgrid from load, PV and price CSVs (HiGHS LP)."""
    import pandas as pd

    from carbonpeak.core.flex import FlexInputError
    from carbonpeak.core.flex.dispatch import Battery, simulate
    from carbonpeak.io.flex import SeriesFileError, read_series_csv

    try:
        load = read_series_csv(Path(args.load), allow_negative=False)
        pv = read_series_csv(Path(args.pv), allow_negative=False)
        prices = read_series_csv(Path(args.prices), allow_negative=False)
        _aligned(Path(args.pv).name, pv, load, Path(args.load).name)
        _aligned(Path(args.prices).name, prices, load, Path(args.load).name)
        index = pd.DatetimeIndex(load.index)
        steps = index[1:] - index[:-1]
        if len(set(steps)) != 1:
            raise SeriesFileError(f"{Path(args.load).name}: timestamps must be at a regular interval")
        interval_h = float(steps[0] / pd.Timedelta(hours=1))
        battery = Battery(
            args.battery_kwh,
            args.battery_kw,
            round_trip_efficiency=args.efficiency,
            soc_min=args.soc_min,
            soc_max=args.soc_max,
            soc_start=args.soc_start,
        )
        days = pd.factorize(index.normalize())[0].tolist()
        result = simulate(
            load.to_numpy(),
            pv.to_numpy(),
            prices.to_numpy(),
            interval_h=interval_h,
            battery=battery,
            day_of_interval=days,
        )
    except (SeriesFileError, FlexInputError) as exc:
        return fail(str(exc))
    if result.simultaneous_intervals:
        print(
            f"carbonpeak: warning: {result.simultaneous_intervals} interval(s) charge and discharge at once",
            file=sys.stderr,
        )
    out = {
        "cost_without_storage": round(result.cost_without_yuan, 6),
        "cost_with_storage": round(result.cost_with_yuan, 6),
        "grid_kwh": round(result.grid_with_kwh, 6),
        "self_consumption": None
        if result.self_consumption_with is None
        else round(result.self_consumption_with, 6),
        "charge_kw": [round(v, 6) for v in result.charge_kw],
        "discharge_kw": [round(v, 6) for v in result.discharge_kw],
        "soc_kwh": [round(v, 6) for v in result.soc_kwh],
    }
    if args.format == "json":
        print(_dump(out))
        return 0
    print(f"cost without storage: {result.cost_without_yuan:,.2f} 元")
    print(f"cost with storage:    {result.cost_with_yuan:,.2f} 元")
    print(f"grid energy:          {result.grid_without_kwh:,.1f} -> {result.grid_with_kwh:,.1f} kWh")
    if result.self_consumption_with is not None:
        print(f"PV self-consumption:  {result.self_consumption_with:.1%}")
    print(f"self-sufficiency:     {result.self_sufficiency_with:.1%}")
    print(f"peak grid import:     {result.peak_without_kw:,.1f} -> {result.peak_with_kw:,.1f} kW")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``dr`` and ``microgrid`` groups."""
    dr = subparsers.add_parser("dr", help="demand response (需求响应): baselines")
    dr.set_defaults(func=group_help(dr))
    dr_actions = dr.add_subparsers(title="actions")
    baseline = dr_actions.add_parser(
        "baseline", help="baseline and delivered reduction of an event from a meter CSV (timestamp,value kW)"
    )
    baseline.add_argument("--meter-data", required=True, metavar="FILE", help="CSV timestamp,value [kW]")
    baseline.add_argument("--event-start", required=True, type=_datetime, metavar="DT")
    baseline.add_argument("--event-end", required=True, type=_datetime, metavar="DT")
    baseline.add_argument("--method", required=True, choices=("x_of_y", "match_day", "regression"))
    baseline.add_argument(
        "--days", type=int, metavar="N", help="eligible days (x_of_y: Y; match_day: days averaged)"
    )
    baseline.add_argument(
        "--highest", type=int, metavar="X", help="x_of_y: average the X highest of the days"
    )
    baseline.add_argument("--adjustment", choices=("multiplicative", "additive", "none"), default="none")
    baseline.add_argument(
        "--adjustment-window",
        metavar="HH:MM-HH:MM",
        help="window before the event (default 4 h to 2 h before)",
    )
    baseline.add_argument("--temperature", metavar="FILE", help="regression: CSV timestamp,value [°C]")
    baseline.add_argument(
        "--allow-fewer", action="store_true", help="compute from fewer eligible days (flagged)"
    )
    baseline.add_argument("--format", choices=("json", "table"), default="table")
    baseline.set_defaults(func=cmd_dr_baseline)

    microgrid = subparsers.add_parser(
        "microgrid", help="PV-storage-flexible buildings and microgrids (光储直柔)"
    )
    microgrid.set_defaults(func=group_help(microgrid))
    mg_actions = microgrid.add_subparsers(title="actions")
    dispatch = mg_actions.add_parser(
        "dispatch", help="least-cost battery dispatch against a time-of-use price"
    )
    dispatch.add_argument("--load", required=True, metavar="FILE", help="CSV timestamp,value [kW]")
    dispatch.add_argument("--pv", required=True, metavar="FILE", help="CSV timestamp,value [kW]")
    dispatch.add_argument("--prices", required=True, metavar="FILE", help="CSV timestamp,value [元/kWh]")
    dispatch.add_argument("--battery-kwh", required=True, type=float, metavar="X")
    dispatch.add_argument("--battery-kw", required=True, type=float, metavar="Y")
    dispatch.add_argument("--efficiency", required=True, type=float, metavar="E", help="round-trip, 0-1")
    dispatch.add_argument("--soc-min", required=True, type=float, metavar="A", help="fraction of capacity")
    dispatch.add_argument("--soc-max", required=True, type=float, metavar="B", help="fraction of capacity")
    dispatch.add_argument("--soc-start", required=True, type=float, metavar="C", help="fraction of capacity")
    dispatch.add_argument("--format", choices=("json", "table"), default="table")
    dispatch.set_defaults(func=cmd_microgrid_dispatch)
