"""Read-only queries of the retrofit registry: meter and temperature series, results, the district view.

Meter series come from the buildings app's daily and hourly rollups (``MeterRollup``), never raw readings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from carbonpeak.core.mv import SavingsResult
from carbonpeak.web.buildings.models import Meter, MeterRollup
from carbonpeak.web.buildings.selectors import main_meters
from carbonpeak.web.retrofits.models import HourlyTemperature, ProjectResult, RetrofitProject

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_midnight(day: date) -> datetime:
    """Start of a calendar day in the district's time zone."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def project_meters(project: RetrofitProject) -> list[Meter]:
    """The project's measured meters; by default the building's main electricity meters."""
    chosen = list(project.meters.all())
    if chosen:
        return chosen
    return [m for m in main_meters(project.building) if m.energy_class == "electricity"]


def meter_series(meters: list[Meter], start: datetime, end: datetime, *, hourly: bool) -> pd.Series:
    """Summed consumption of ``meters`` per day (or hour) in ``[start, end)`` from the rollups.

    A day (hour) counts only when every meter sent all its expected readings in it; others are left out,
    so the M&V sufficiency rules see them as missing rather than as low consumption.
    """
    period = MeterRollup.HOUR if hourly else MeterRollup.DAY
    length_min = 60 if hourly else 1440
    rows = MeterRollup.objects.filter(meter__in=meters, period=period, start__gte=start, start__lt=end)
    data = list(rows.values_list("meter_id", "start", "consumption", "readings"))
    if not data:
        return pd.Series([], index=pd.DatetimeIndex([], tz=SHANGHAI), dtype=float)
    frame = pd.DataFrame(data, columns=["meter", "start", "consumption", "readings"])
    expected = {m.pk: length_min / m.interval_minutes for m in meters}
    frame["complete"] = frame["readings"] >= frame["meter"].map(expected)
    frame["start"] = pd.to_datetime(frame["start"], utc=True).dt.tz_convert(SHANGHAI)
    grouped = frame.groupby("start")
    total = grouped["consumption"].sum()
    complete = grouped["complete"].all() & (grouped["meter"].nunique() == len(meters))
    series = total[complete]
    return pd.Series(series.to_numpy(dtype=np.float64), index=pd.DatetimeIndex(series.index), name="usage")


def temperature_series(station: str, start: datetime, end: datetime) -> pd.Series:
    """Hourly temperatures [°C] of a station in ``[start, end)``."""
    rows = HourlyTemperature.objects.filter(station=station, ts__gte=start, ts__lt=end).order_by("ts")
    data = list(rows.values_list("ts", "temperature_c"))
    if not data:
        return pd.Series([], index=pd.DatetimeIndex([], tz=SHANGHAI), dtype=float)
    index = pd.DatetimeIndex(pd.to_datetime([d[0] for d in data], utc=True)).tz_convert(SHANGHAI)
    return pd.Series([d[1] for d in data], index=index, name="temperature_c", dtype=float)


def default_station() -> str | None:
    """The station with the most hourly temperatures (used by projects that name none)."""
    from django.db.models import Count

    row = (
        HourlyTemperature.objects.values("station").annotate(n=Count("ts")).order_by("-n", "station").first()
    )
    return row["station"] if row else None


def stations() -> list[dict[str, Any]]:
    """Each weather station with its first and last hour and count."""
    from django.db.models import Count, Max, Min

    return list(
        HourlyTemperature.objects.values("station")
        .annotate(n=Count("ts"), first=Min("ts"), last=Max("ts"))
        .order_by("station")
    )


def latest_result(project: RetrofitProject) -> ProjectResult | None:
    """The project's latest computation."""
    return project.results.order_by("-computed_at", "-pk").first()


def reporting_complete(project: RetrofitProject, today: date) -> bool:
    """Whether the reporting period has ended (its end date is exclusive)."""
    return project.reporting_end <= today


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


@dataclass
class ProjectRow:
    """A project with its latest result, for the district ranking."""

    project: RetrofitProject
    result: ProjectResult | None
    savings: SavingsResult | None

    @property
    def savings_pct(self) -> float | None:
        return (
            None
            if self.result is None or self.result.savings_fraction is None
            else 100 * self.result.savings_fraction
        )

    @property
    def fsu_pct(self) -> float | None:
        return None if self.result is None or self.result.fsu is None else 100 * self.result.fsu


def project_rows() -> list[ProjectRow]:
    """Every project with its latest result, ranked by savings (highest first; uncomputed last)."""
    out = []
    for project in RetrofitProject.objects.select_related("building").order_by("code"):
        result = latest_result(project)
        document = result.document if result is not None else None
        savings = SavingsResult.from_dict(document) if document else None
        out.append(ProjectRow(project, result, savings))
    out.sort(key=lambda r: (r.savings_pct is None, -(r.savings_pct or 0.0)))
    return out


def chart_data(result: SavingsResult) -> dict[str, Any]:
    """The project page's chart: baseline observed and fitted, reporting observed and adjusted baseline,
    cumulative savings and the uncertainty band (± FSU · cumulative savings)."""
    fit = result.fit.series
    rep = result.series
    cumulative: list[float | None] = []
    running = 0.0
    for obs, pred in zip(rep.observed_kwh, rep.predicted_kwh, strict=True):
        if obs is not None and pred is not None:
            running += pred - obs
            cumulative.append(round(running, 1))
        else:
            cumulative.append(round(running, 1) if cumulative else None)
    fsu = _finite(result.fsu) or 0.0
    return {
        "baseline": {
            "x": [s[:10] for s in fit.starts],
            "observed": list(fit.observed_kwh),
            "fitted": list(fit.predicted_kwh),
        },
        "reporting": {
            "x": [s[:10] for s in rep.starts],
            "observed": list(rep.observed_kwh),
            "adjusted": list(rep.predicted_kwh),
            "cumulative": cumulative,
            "upper": [None if c is None else round(c + abs(fsu * c), 1) for c in cumulative],
            "lower": [None if c is None else round(c - abs(fsu * c), 1) for c in cumulative],
        },
    }


def year_end(day: date) -> int:
    """The calendar year a period with exclusive end ``day`` finishes in."""
    return (day - timedelta(days=1)).year
