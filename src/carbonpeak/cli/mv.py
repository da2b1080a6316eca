"""``carbonpeak mv``: measured savings of a retrofit (M&V) from files, and of the registered projects.

``carbonpeak mv savings --meter-data FILE --temperature FILE --baseline START/END --reporting START/END
[--method caltrack_daily|caltrack_hourly|change_point] [--confidence 0.9] --format json`` prints::

    {"method", "model": {...},
     "baseline": {"n", "cvrmse", "nmbe", "r_squared", "sufficiency": {...}},
     "reporting": {"observed", "predicted", "savings", "savings_fraction", "fsu", "confidence"}}

``carbonpeak mv projects compute [--project ID]`` computes every registered project (or one) from the
stored readings and temperatures and stores the results.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from carbonpeak.cli.base import _Parser, group_help, requires_database

GROUP = "mv"


def _fail(message: str) -> int:
    from carbonpeak.cli.base import _fail as fail

    return fail(message)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def savings_document(result: Any) -> dict[str, Any]:
    """The documented JSON shape of a :class:`~carbonpeak.core.mv.SavingsResult`."""
    fit = result.fit
    document: dict[str, Any] = _clean(
        {
            "method": fit.method,
            "model": fit.model.to_dict(),
            "baseline": {
                "n": fit.n,
                "cvrmse": fit.cvrmse,
                "nmbe": fit.nmbe,
                "r_squared": fit.r_squared,
                "sufficiency": fit.sufficiency.to_dict(),
            },
            "reporting": {
                "observed": result.observed_kwh,
                "predicted": result.predicted_kwh,
                "savings": result.savings_kwh,
                "savings_fraction": result.savings_fraction,
                "fsu": result.fsu,
                "confidence": result.confidence,
            },
        }
    )
    return document


def cmd_mv_savings(args: argparse.Namespace) -> int:
    """Fit a baseline on files and print the savings of the reporting period (no database needed)."""
    from carbonpeak.core.mv import Exclusion, Period, measure_savings
    from carbonpeak.io.mv import read_meter_data, read_temperature

    for name in ("meter_data", "temperature"):
        if not Path(getattr(args, name)).is_file():
            return _fail(f"{getattr(args, name)}: no such file")
    usage = read_meter_data(Path(args.meter_data))
    temperature = read_temperature(Path(args.temperature))
    baseline = Period.parse(args.baseline)
    reporting = Period.parse(args.reporting)
    exclusions = []
    for text in args.exclude or []:
        window, _, reason = text.partition("=")
        period = Period.parse(window)
        exclusions.append(Exclusion(period.start, period.end, reason))
    options: dict[str, Any] = {"allow_insufficient": args.allow_insufficient}
    if args.method == "caltrack_daily" and args.degree_days:
        options["degree_day_method"] = args.degree_days
    result = measure_savings(
        args.method,
        usage,
        temperature,
        baseline=baseline,
        reporting=reporting,
        confidence=args.confidence,
        exclusions=exclusions,
        **options,
    )
    document = savings_document(result)
    if args.format == "json":
        print(json.dumps(document, ensure_ascii=False, allow_nan=False, indent=2))
        return 0
    rep, base = document["reporting"], document["baseline"]

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f} %"

    print(f"method {document['method']}  baseline n={base['n']}  CV(RMSE) {pct(base['cvrmse'])}  "
          f"NMBE {pct(base['nmbe'])}  R2 {base['r_squared']:.3f}")  # fmt: skip
    print(f"observed {rep['observed']:,.0f}  adjusted baseline {rep['predicted']:,.0f}  "
          f"savings {rep['savings']:,.0f} ({pct(rep['savings_fraction'])})  "
          f"FSU {pct(rep['fsu'])} at {rep['confidence']:.0%}")  # fmt: skip
    for flag in result.flags:
        print(f"flag: {flag}")
    return 0


@requires_database
def cmd_mv_projects_compute(args: argparse.Namespace) -> int:
    """Compute the savings of every registered retrofit project (or one) from stored data."""
    from carbonpeak.web.retrofits.models import RetrofitProject
    from carbonpeak.web.retrofits.services import project_compute

    projects = RetrofitProject.objects.order_by("code")
    if args.project:
        projects = projects.filter(code=args.project)
        if not projects.exists():
            return _fail(f"no retrofit project '{args.project}'")
    out = []
    for project in projects:
        result = project_compute(project=project)
        out.append(
            {
                "project": project.code,
                "status": result.status,
                "savings_fraction": result.savings_fraction,
                "fsu": result.fsu,
                "reason": result.reason,
                "synthetic": project.synthetic,
            }
        )
    if args.format == "json":
        print(json.dumps(_clean(out), ensure_ascii=False, allow_nan=False, indent=2))
        return 0
    for row in out:
        label = " (synthetic)" if row["synthetic"] else ""
        share = "-" if row["savings_fraction"] is None else f"{100 * row['savings_fraction']:.1f} %"
        print(f"{row['project']}{label}: {row['status']} savings {share} {row['reason']}".rstrip())
    print(f"{len(out)} project(s) computed")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``mv`` group and its actions."""
    from carbonpeak.core.mv import METHODS
    from carbonpeak.core.mv.degree_days import DEGREE_DAY_METHODS

    group = subparsers.add_parser(GROUP, help="retrofit measurement and verification (M&V)")
    group.set_defaults(func=group_help(group))
    actions = group.add_subparsers(dest="mv_command", metavar="ACTION", parser_class=_Parser)
    savings = actions.add_parser("savings", help="measured savings from a meter-data and a temperature file")
    savings.add_argument("--meter-data", required=True, help="CSV timestamp,value (daily or hourly)")
    savings.add_argument("--temperature", required=True, help="CSV timestamp,temperature_c (hourly, °C)")
    savings.add_argument("--baseline", required=True, help="START/END, ISO 8601 with offset")
    savings.add_argument("--reporting", required=True, help="START/END, ISO 8601 with offset")
    savings.add_argument("--method", choices=sorted(METHODS), default="caltrack_daily")
    savings.add_argument("--confidence", type=float, default=0.9, help="two-sided, e.g. 0.9")
    savings.add_argument("--degree-days", choices=sorted(DEGREE_DAY_METHODS), default=None)
    savings.add_argument(
        "--exclude", action="append", metavar="START/END=REASON", help="a non-routine event (repeatable)"
    )
    savings.add_argument(
        "--allow-insufficient", action="store_true", help="fit on insufficient data (flagged)"
    )
    savings.add_argument("--format", choices=("json", "table"), default="table")
    savings.set_defaults(func=cmd_mv_savings)
    projects = actions.add_parser("projects", help="registered retrofit projects")
    projects.set_defaults(func=group_help(projects))
    project_actions = projects.add_subparsers(
        dest="mv_projects_command", metavar="ACTION", parser_class=_Parser
    )
    compute = project_actions.add_parser("compute", help="compute projects' savings from stored readings")
    compute.add_argument("--project", help="one project id (default: every project)")
    compute.add_argument("--format", choices=("json", "table"), default="table")
    compute.set_defaults(func=cmd_mv_projects_compute)
