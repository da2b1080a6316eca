"""Customer baseline load (CBL) for demand-response events: day selection, methods and day-of adjustments.

A baseline estimates what a resource would have drawn during an event had there been no event; the delivered
reduction is baseline − actual. Three published families are implemented, one public function each, behind
the dispatcher :func:`compute_baseline`:

* :func:`x_of_y` — from the ``days`` most recent eligible days before the event, average the ``highest``
  with the highest mean load over the event window (10-of-10 = CAISO [R]; high 4 of 5 = PJM classic [R];
  5 highest of 10 = PG&E [V] and Beijing [S]; 5 of 5 = Jiangsu 2015 [S]);
* :func:`match_day` — average the ``days`` eligible days whose load before the event is closest (least
  root-mean-square difference) to the event day's (PJM "Match Day", Manual 11, 2025 [V]);
* :func:`regression` — per interval of the day, an ordinary least-squares line of load on outdoor
  temperature over the eligible days, evaluated at the event day's temperature.

Day-of adjustments (:func:`multiplicative`, :func:`additive`, :func:`none`, dispatcher :func:`adjust`) scale
or shift the baseline so that it meets the event day's actual load over a window before the event.

Eligible days: of the same day type as the event day (working day or not, by the passed-in
:class:`DayCalendar`, which knows holidays and the working weekend days of 调休), not a holiday, not an event
day, and complete. **Missing data is never read as zero**: a day with a missing or non-finite interval in the
event window or the adjustment window is skipped and flagged; a missing event-day interval leaves its
reduction unknown (``None``), and the event's reduction is then unknown too.

The load is a :class:`pandas.Series` of mean power [kW] per interval, indexed by the interval's **start**,
at a regular step (15 min, 30 min or 1 h). An interval's energy is its power times the step.

References
----------
.. [1] FACTS.md §9 (the project's reference facts): CAISO 10-in-10 with a −4 h to −2 h day-of adjustment
   capped at ±20 % [R]; PG&E 5 highest of 10 weekdays, 3 of 5 weekend days [V]; PJM Manual 11 (2025)
   "Match Day" and "Same Day 3+2" [V], classic High 4 of 5 [R]; Beijing 10 working days D-12..D-2, mean
   of the 5 highest [S]; Jiangsu 2015 mean of the 5 most recent normal working days [S]; no Shanghai
   formula text found [X].
.. [2] EnerNOC (2011), *The Demand Response Baseline*, white paper (x-of-y and day-of adjustment families).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbonpeak.core.flex import FlexDataError, FlexInputError

FloatArray = npt.NDArray[np.float64]

DayType = Literal["workday", "non_workday"]

DEFAULT_ADJUSTMENT_CAP = 0.20
"""Default cap of the multiplicative adjustment, ±20 % (CAISO day-of adjustment cap, FACTS.md §9 [R])."""

DEFAULT_WINDOW_HOURS_BEFORE = (4.0, 2.0)
"""Default adjustment window: from 4 h to 2 h before the event start (CAISO, FACTS.md §9 [R])."""


@dataclass(frozen=True, slots=True)
class DayCalendar:
    """Working-day calendar: weekends and public holidays are non-working days unless swapped (调休).

    Attributes
    ----------
    holidays : frozenset of date
        Public holidays (法定节假日), never eligible as baseline days.
    workdays : frozenset of date
        Weekend days that are working days by a holiday swap (调休上班).
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def day_type(self, day: date) -> DayType:
        """Return ``workday`` or ``non_workday`` for ``day``."""
        if day in self.holidays:
            return "non_workday"
        if day in self.workdays or day.weekday() < 5:
            return "workday"
        return "non_workday"

    def to_dict(self) -> dict[str, list[str]]:
        """JSON-ready form."""
        return {
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "workdays": sorted(d.isoformat() for d in self.workdays),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Iterable[str]]) -> DayCalendar:
        """Inverse of :meth:`to_dict`."""
        return cls(
            frozenset(date.fromisoformat(d) for d in data.get("holidays", ())),
            frozenset(date.fromisoformat(d) for d in data.get("workdays", ())),
        )


@dataclass(frozen=True, slots=True)
class BaselineFlag:
    """A data-quality finding of a baseline calculation (``code`` is stable; ``message`` is for people)."""

    code: str
    message: str
    day: date | None = None

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready form."""
        return {"code": self.code, "message": self.message, "day": self.day.isoformat() if self.day else None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BaselineFlag:
        """Inverse of :meth:`to_dict`."""
        day = data.get("day")
        return cls(str(data["code"]), str(data["message"]), date.fromisoformat(day) if day else None)


@dataclass(frozen=True, slots=True)
class AdjustmentResult:
    """A day-of adjustment applied to a raw baseline.

    Attributes
    ----------
    name : str
        ``multiplicative``, ``additive`` or ``none``.
    baseline_kw : tuple of float
        Adjusted baseline over the event intervals [kW].
    ratio : float or None
        Multiplicative factor applied (after the cap) [-]; ``None`` unless multiplicative.
    offset_kw : float or None
        Additive shift applied (after the cap, if any) [kW]; ``None`` unless additive.
    capped : bool
        Whether the cap limited the adjustment.
    """

    name: str
    baseline_kw: tuple[float, ...]
    ratio: float | None = None
    offset_kw: float | None = None
    capped: bool = False


@dataclass(frozen=True, slots=True)
class BaselineResult:
    """Baseline, actual load and reduction over an event's intervals.

    Attributes
    ----------
    method : str
        Baseline method (a key of :data:`METHODS`).
    adjustment : str
        Day-of adjustment (a key of :data:`ADJUSTMENTS`).
    event_start, event_end : datetime
        The event window [start, end).
    interval_h : float
        Interval length [h].
    timestamps : tuple of datetime
        Start of each event interval.
    eligible_days : tuple of date
        The days the baseline is computed from, most recent first.
    baseline_kw : tuple of float
        Baseline after the adjustment [kW].
    unadjusted_baseline_kw : tuple of float
        Baseline before the adjustment [kW].
    actual_kw : tuple of float or None
        Metered load on the event day [kW]; ``None`` where the reading is missing.
    reduction_kw : tuple of float or None
        ``baseline_kw − actual_kw`` [kW]; ``None`` where the actual is missing.
    reduction_kwh : float or None
        Delivered energy reduction over the event [kWh]; ``None`` when any event interval is missing.
    adjustment_ratio : float or None
        Multiplicative adjustment factor [-].
    adjustment_kw : float or None
        Additive adjustment [kW].
    adjustment_capped : bool
        Whether the adjustment hit its cap.
    adjustment_window : tuple of (time, time) or None
        Clock times [start, end) of the adjustment window on the event day.
    flags : tuple of BaselineFlag
        Data-quality findings (skipped days, missing readings, fewer days than asked for).
    """

    method: str
    adjustment: str
    event_start: datetime
    event_end: datetime
    interval_h: float
    timestamps: tuple[datetime, ...]
    eligible_days: tuple[date, ...]
    baseline_kw: tuple[float, ...]
    unadjusted_baseline_kw: tuple[float, ...]
    actual_kw: tuple[float | None, ...]
    reduction_kw: tuple[float | None, ...]
    reduction_kwh: float | None
    adjustment_ratio: float | None = None
    adjustment_kw: float | None = None
    adjustment_capped: bool = False
    adjustment_window: tuple[time, time] | None = None
    flags: tuple[BaselineFlag, ...] = field(default_factory=tuple)

    @property
    def baseline_kwh(self) -> float:
        """Baseline energy over the event [kWh]."""
        return float(sum(self.baseline_kw) * self.interval_h)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (ISO dates and times)."""
        data = asdict(self)
        data["event_start"] = self.event_start.isoformat()
        data["event_end"] = self.event_end.isoformat()
        data["timestamps"] = [t.isoformat() for t in self.timestamps]
        data["eligible_days"] = [d.isoformat() for d in self.eligible_days]
        data["adjustment_window"] = (
            [t.strftime("%H:%M") for t in self.adjustment_window] if self.adjustment_window else None
        )
        data["flags"] = [f.to_dict() for f in self.flags]
        for key in ("baseline_kw", "unadjusted_baseline_kw", "actual_kw", "reduction_kw"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BaselineResult:
        """Inverse of :meth:`to_dict`."""
        window = data.get("adjustment_window")
        return cls(
            method=str(data["method"]),
            adjustment=str(data["adjustment"]),
            event_start=datetime.fromisoformat(data["event_start"]),
            event_end=datetime.fromisoformat(data["event_end"]),
            interval_h=float(data["interval_h"]),
            timestamps=tuple(datetime.fromisoformat(t) for t in data["timestamps"]),
            eligible_days=tuple(date.fromisoformat(d) for d in data["eligible_days"]),
            baseline_kw=tuple(float(v) for v in data["baseline_kw"]),
            unadjusted_baseline_kw=tuple(float(v) for v in data["unadjusted_baseline_kw"]),
            actual_kw=tuple(None if v is None else float(v) for v in data["actual_kw"]),
            reduction_kw=tuple(None if v is None else float(v) for v in data["reduction_kw"]),
            reduction_kwh=None if data["reduction_kwh"] is None else float(data["reduction_kwh"]),
            adjustment_ratio=None
            if data.get("adjustment_ratio") is None
            else float(data["adjustment_ratio"]),
            adjustment_kw=None if data.get("adjustment_kw") is None else float(data["adjustment_kw"]),
            adjustment_capped=bool(data.get("adjustment_capped", False)),
            adjustment_window=(time.fromisoformat(window[0]), time.fromisoformat(window[1]))
            if window
            else None,
            flags=tuple(BaselineFlag.from_dict(f) for f in data.get("flags", ())),
        )


# --------------------------------------------------------------------------------------------------------
# Shared machinery: the load series, the event and adjustment windows, eligible days.


@dataclass(frozen=True, slots=True)
class _Frame:
    """The load series checked, with the event's geometry."""

    load: pd.Series
    step: pd.Timedelta
    event_day: date
    day_start: pd.Timestamp
    event_offsets: pd.TimedeltaIndex
    window_offsets: pd.TimedeltaIndex
    window: tuple[time, time] | None


def _check_load(load: pd.Series, name: str = "load") -> tuple[pd.Series, pd.Timedelta]:
    if not isinstance(load, pd.Series) or not isinstance(load.index, pd.DatetimeIndex):
        raise FlexInputError(f"{name} must be a pandas Series indexed by interval start times")
    if len(load) < 2:
        raise FlexInputError(f"{name} needs at least two intervals")
    if not load.index.is_unique:
        duplicated = load.index[load.index.duplicated()][0]
        raise FlexInputError(f"{name} has a duplicate timestamp {duplicated.isoformat()}")
    series = load.sort_index().astype(np.float64)
    diffs = series.index[1:] - series.index[:-1]
    step = pd.Timedelta(pd.Series(diffs).mode().iloc[0])
    if step <= pd.Timedelta(0) or pd.Timedelta(days=1) % step != pd.Timedelta(0):
        raise FlexInputError(f"{name}: the interval {step} does not divide a day")
    off_grid = (series.index - series.index[0]) % step != pd.Timedelta(0)
    if bool(np.any(off_grid)):
        bad = series.index[np.asarray(off_grid)][0]
        raise FlexInputError(f"{name}: timestamp {bad.isoformat()} is off the {step} grid")
    values = series.to_numpy()
    series = series.where(np.isfinite(values))  # non-finite → missing, never zero
    return series, step


def _parse_window(window: tuple[time, time] | str | None) -> tuple[time, time] | None:
    if window is None or isinstance(window, tuple):
        return window
    try:
        first, second = window.split("-")
        return time.fromisoformat(first.strip()), time.fromisoformat(second.strip())
    except ValueError:
        raise FlexInputError(f"adjustment window '{window}' is not HH:MM-HH:MM") from None


def _offsets(start: pd.Timedelta, end: pd.Timedelta, step: pd.Timedelta) -> pd.TimedeltaIndex:
    count = int((end - start) / step)
    return pd.TimedeltaIndex([start + i * step for i in range(count)])


def _frame(
    load: pd.Series,
    event_start: datetime,
    event_end: datetime,
    adjustment: str,
    window: tuple[time, time] | str | None,
) -> _Frame:
    series, step = _check_load(load)
    start, end = pd.Timestamp(event_start), pd.Timestamp(event_end)
    tz = pd.DatetimeIndex(series.index).tz
    if (start.tz is None) != (tz is None):
        raise FlexInputError(
            "the event times and the load timestamps must both carry a time zone, or neither"
        )
    if tz is not None:
        start, end = start.tz_convert(tz), end.tz_convert(tz)
    if end <= start:
        raise FlexInputError("the event ends before it starts")
    if (start - series.index[0]) % step != pd.Timedelta(0) or (end - start) % step != pd.Timedelta(0):
        raise FlexInputError(f"the event must start and end on the load's {step} interval boundaries")
    day_start = start.normalize()
    if end > day_start + pd.Timedelta(days=1):
        raise FlexInputError("an event must lie within one day")
    parsed = _parse_window(window)
    if adjustment != "none" and parsed is None:
        before, after = DEFAULT_WINDOW_HOURS_BEFORE
        w_start, w_end = start - pd.Timedelta(hours=before), start - pd.Timedelta(hours=after)
        if w_start < day_start:
            raise FlexInputError(
                "the default adjustment window (4 h to 2 h before the event) starts on the day before; "
                "give an adjustment window"
            )
        parsed = (w_start.time(), w_end.time())
    window_offsets = pd.TimedeltaIndex([])
    if adjustment != "none" and parsed is not None:
        w0 = pd.Timedelta(hours=parsed[0].hour, minutes=parsed[0].minute)
        w1 = pd.Timedelta(hours=parsed[1].hour, minutes=parsed[1].minute)
        if w1 <= w0:
            raise FlexInputError("the adjustment window ends before it starts")
        if day_start + w1 > start:
            raise FlexInputError(
                "the adjustment window must end by the event start: a window inside the event would "
                "absorb the response into the baseline"
            )
        if w0 % step != pd.Timedelta(0) or w1 % step != pd.Timedelta(0):
            raise FlexInputError(f"the adjustment window must lie on the load's {step} interval boundaries")
        window_offsets = _offsets(w0, w1, step)
    return _Frame(
        series,
        step,
        day_start.date(),
        day_start,
        _offsets(start - day_start, end - day_start, step),
        window_offsets,
        parsed if adjustment != "none" else None,
    )


def _day_values(
    frame: _Frame, day: date, offsets: pd.TimedeltaIndex, series: pd.Series | None = None
) -> FloatArray:
    source = frame.load if series is None else series
    base = pd.Timestamp(day)
    if frame.day_start.tz is not None:
        base = base.tz_localize(frame.day_start.tz)
    return np.asarray(source.reindex(base + offsets).to_numpy(dtype=np.float64), dtype=np.float64)


def _eligible(
    frame: _Frame,
    *,
    days: int,
    lookback_days: int,
    skip_days: int,
    calendar: DayCalendar | None,
    event_dates: Collection[date],
    allow_fewer: bool,
    extra_offsets: pd.TimedeltaIndex | None = None,
    extra_series: pd.Series | None = None,
) -> tuple[list[date], list[BaselineFlag]]:
    if days < 1 or lookback_days < 1 or skip_days < 0:
        raise FlexInputError("days and lookback_days must be at least 1, skip_days at least 0")
    cal = calendar or DayCalendar()
    wanted = cal.day_type(frame.event_day)
    excluded = set(event_dates)
    needed = frame.event_offsets.union(frame.window_offsets)
    chosen: list[date] = []
    flags: list[BaselineFlag] = []
    for back in range(1 + skip_days, lookback_days + 1):
        day = frame.event_day - timedelta(days=back)
        if day in cal.holidays or day in excluded or cal.day_type(day) != wanted:
            continue
        values = _day_values(frame, day, needed)
        missing = int(np.sum(~np.isfinite(values)))
        if extra_offsets is not None and extra_series is not None and missing == 0:
            missing = int(np.sum(~np.isfinite(_day_values(frame, day, extra_offsets, extra_series))))
        if missing:
            flags.append(
                BaselineFlag(
                    "day_incomplete", f"{day.isoformat()} skipped: {missing} interval(s) missing", day
                )
            )
            continue
        chosen.append(day)
        if len(chosen) == days:
            break
    if len(chosen) < days:
        message = (
            f"only {len(chosen)} eligible complete {wanted.replace('_', '-')} day(s) in the {lookback_days} "
            f"days before {frame.event_day.isoformat()}, {days} needed"
        )
        if not allow_fewer or not chosen:
            raise FlexDataError(message)
        flags.append(BaselineFlag("fewer_days", message))
    return chosen, flags


def _finish(
    method: str,
    frame: _Frame,
    chosen: Sequence[date],
    raw_event: FloatArray,
    raw_window: FloatArray,
    adjustment: str,
    cap: float | None,
    flags: list[BaselineFlag],
) -> BaselineResult:
    actual = _day_values(frame, frame.event_day, frame.event_offsets)
    actual_window = _day_values(frame, frame.event_day, frame.window_offsets)
    if adjustment != "none" and not np.all(np.isfinite(actual_window)):
        raise FlexDataError(
            f"the event day {frame.event_day.isoformat()} has missing readings in the adjustment window; "
            "choose another window or no adjustment"
        )
    adjusted = adjust(adjustment, raw_event, raw_window, actual_window, cap=cap)
    base = np.asarray(adjusted.baseline_kw)
    missing = ~np.isfinite(actual)
    if bool(np.any(missing)):
        flags.append(
            BaselineFlag(
                "actual_missing",
                f"{int(np.sum(missing))} event interval(s) have no reading: the event's reduction is unknown",
                frame.event_day,
            )
        )
    step_h = frame.step / pd.Timedelta(hours=1)
    reduction = [None if m else float(b - a) for b, a, m in zip(base, actual, missing, strict=True)]
    total = None if bool(np.any(missing)) else float(np.sum(base - actual) * step_h)
    stamps = frame.day_start + frame.event_offsets
    return BaselineResult(
        method=method,
        adjustment=adjustment,
        event_start=stamps[0].to_pydatetime(),
        event_end=(stamps[-1] + frame.step).to_pydatetime(),
        interval_h=float(step_h),
        timestamps=tuple(t.to_pydatetime() for t in stamps),
        eligible_days=tuple(chosen),
        baseline_kw=tuple(float(v) for v in base),
        unadjusted_baseline_kw=tuple(float(v) for v in raw_event),
        actual_kw=tuple(None if m else float(a) for a, m in zip(actual, missing, strict=True)),
        reduction_kw=tuple(reduction),
        reduction_kwh=total,
        adjustment_ratio=adjusted.ratio,
        adjustment_kw=adjusted.offset_kw,
        adjustment_capped=adjusted.capped,
        adjustment_window=frame.window,
        flags=tuple(flags),
    )


def _check_adjustment_name(adjustment: str) -> None:
    if adjustment not in ADJUSTMENTS:
        raise FlexInputError(f"unknown adjustment '{adjustment}'; known: {', '.join(ADJUSTMENTS)}")


# --------------------------------------------------------------------------------------------------------
# Methods.


def x_of_y(
    load: pd.Series,
    event_start: datetime,
    event_end: datetime,
    *,
    days: int = 10,
    highest: int | None = None,
    lookback_days: int = 45,
    skip_days: int = 0,
    calendar: DayCalendar | None = None,
    event_dates: Collection[date] = (),
    adjustment: str = "none",
    adjustment_window: tuple[time, time] | str | None = None,
    adjustment_cap: float | None = DEFAULT_ADJUSTMENT_CAP,
    allow_fewer: bool = False,
) -> BaselineResult:
    """X-of-Y baseline: the mean of the ``highest`` highest of the ``days`` most recent eligible days.

    Parameters
    ----------
    load : pandas.Series
        Mean power per interval [kW], indexed by interval start (see the module docstring).
    event_start, event_end : datetime
        Event window [start, end) on one day, on interval boundaries.
    days : int, optional
        Y: how many eligible days to look at (10 for 10-of-10, 5 for high 4 of 5).
    highest : int, optional
        X: how many of them to average, ranked by mean load over the event window; default ``days``.
    lookback_days : int, optional
        How many calendar days before the event to search [d] (45 for CAISO).
    skip_days : int, optional
        Calendar days right before the event that are never used (1 for Beijing's D-2 start).
    calendar : DayCalendar, optional
        Working days and holidays; default weekdays are working days.
    event_dates : collection of date, optional
        Days of earlier events, never eligible.
    adjustment : str, optional
        Day-of adjustment, a key of :data:`ADJUSTMENTS`.
    adjustment_window : (time, time) or "HH:MM-HH:MM", optional
        Window on the event day, ending by the event start; default 4 h to 2 h before the event.
    adjustment_cap : float or None, optional
        Cap of the adjustment: a fraction for multiplicative (0.2 = ±20 %), kW for additive;
        ``None`` for no cap.
    allow_fewer : bool, optional
        Compute from fewer than ``days`` eligible days (flagged) instead of refusing.

    Returns
    -------
    BaselineResult

    References
    ----------
    .. [1] FACTS.md §9: CAISO 10-in-10 [R], PG&E 5 of 10 [V], PJM High 4 of 5 [R], Beijing [S], Jiangsu [S].
    """
    _check_adjustment_name(adjustment)
    frame = _frame(load, event_start, event_end, adjustment, adjustment_window)
    take = days if highest is None else highest
    if not 1 <= take <= days:
        raise FlexInputError(f"highest must be between 1 and days ({days}), got {take}")
    chosen, flags = _eligible(
        frame,
        days=days,
        lookback_days=lookback_days,
        skip_days=skip_days,
        calendar=calendar,
        event_dates=event_dates,
        allow_fewer=allow_fewer,
    )
    profiles = np.array([_day_values(frame, d, frame.event_offsets) for d in chosen])
    windows = np.array([_day_values(frame, d, frame.window_offsets) for d in chosen])
    take = min(take, len(chosen))
    order = np.argsort(-profiles.mean(axis=1), kind="stable")[:take]
    used = [chosen[i] for i in sorted(order)]
    return _finish(
        "x_of_y",
        frame,
        used,
        profiles[np.sort(order)].mean(axis=0),
        windows[np.sort(order)].mean(axis=0) if len(frame.window_offsets) else np.zeros(0),
        adjustment,
        adjustment_cap,
        flags,
    )


def match_day(
    load: pd.Series,
    event_start: datetime,
    event_end: datetime,
    *,
    days: int = 3,
    candidates: int = 10,
    lookback_days: int = 45,
    calendar: DayCalendar | None = None,
    event_dates: Collection[date] = (),
    adjustment: str = "none",
    adjustment_window: tuple[time, time] | str | None = None,
    adjustment_cap: float | None = DEFAULT_ADJUSTMENT_CAP,
    allow_fewer: bool = False,
) -> BaselineResult:
    """Match-day baseline: the mean of the ``days`` candidate days most like the event day before the event.

    Similarity is the root-mean-square difference of load over the event day's intervals from midnight to
    the event start. The candidates are the ``candidates`` most recent eligible days.

    Parameters
    ----------
    load, event_start, event_end, lookback_days, calendar, event_dates, adjustment, adjustment_window,
    adjustment_cap, allow_fewer
        As in :func:`x_of_y`.
    days : int, optional
        How many matching days to average (3 in PJM Manual 11).
    candidates : int, optional
        How many recent eligible days to choose among.

    Returns
    -------
    BaselineResult

    References
    ----------
    .. [1] PJM Manual 11, *Energy & Ancillary Services Market Operations* (2025), "Match Day" CBL (FACTS.md
       §9 [V]); the similarity measure used here is this platform's reading (FACTS.md gives no formula).
    """
    _check_adjustment_name(adjustment)
    frame = _frame(load, event_start, event_end, adjustment, adjustment_window)
    if not 1 <= days <= candidates:
        raise FlexInputError(f"days must be between 1 and candidates ({candidates}), got {days}")
    compare = _offsets(pd.Timedelta(0), frame.event_offsets[0], frame.step)
    if len(compare) == 0:
        raise FlexInputError(
            "match_day needs load before the event on the event day; the event starts at 00:00"
        )
    today = _day_values(frame, frame.event_day, compare)
    if not np.all(np.isfinite(today)):
        raise FlexDataError(
            "the event day has missing readings before the event: match_day cannot compare days"
        )
    chosen, flags = _eligible(
        frame,
        days=candidates,
        lookback_days=lookback_days,
        skip_days=0,
        calendar=calendar,
        event_dates=event_dates,
        allow_fewer=allow_fewer,
        extra_offsets=compare,
        extra_series=frame.load,
    )
    distance = np.array([np.sqrt(np.mean((_day_values(frame, d, compare) - today) ** 2)) for d in chosen])
    order = np.sort(np.argsort(distance, kind="stable")[: min(days, len(chosen))])
    used = [chosen[i] for i in order]
    profiles = np.array([_day_values(frame, d, frame.event_offsets) for d in used])
    windows = np.array([_day_values(frame, d, frame.window_offsets) for d in used])
    return _finish(
        "match_day",
        frame,
        used,
        profiles.mean(axis=0),
        windows.mean(axis=0) if len(frame.window_offsets) else np.zeros(0),
        adjustment,
        adjustment_cap,
        flags,
    )


def regression(
    load: pd.Series,
    event_start: datetime,
    event_end: datetime,
    *,
    temperature: pd.Series,
    days: int = 20,
    lookback_days: int = 60,
    calendar: DayCalendar | None = None,
    event_dates: Collection[date] = (),
    adjustment: str = "none",
    adjustment_window: tuple[time, time] | str | None = None,
    adjustment_cap: float | None = DEFAULT_ADJUSTMENT_CAP,
    allow_fewer: bool = False,
) -> BaselineResult:
    """Temperature-regression baseline: per interval of the day, load = a + b·T fitted over eligible days.

    Parameters
    ----------
    load, event_start, event_end, lookback_days, calendar, event_dates, adjustment, adjustment_window,
    adjustment_cap, allow_fewer
        As in :func:`x_of_y`.
    temperature : pandas.Series
        Outdoor dry-bulb temperature [°C] on the load's timestamps (missing values skip the day).
    days : int, optional
        How many eligible days to fit on (at least 3).

    Returns
    -------
    BaselineResult
        A day whose temperatures do not vary across the fit days falls back to the mean (flagged).

    References
    ----------
    .. [1] ASHRAE Guideline 14-2014, *Measurement of Energy, Demand, and Water Savings*, §5.3 (regression
       baseline models); the M&V module's models can replace this one when it exists.
    """
    _check_adjustment_name(adjustment)
    if days < 3:
        raise FlexInputError("regression needs at least 3 days to fit on")
    frame = _frame(load, event_start, event_end, adjustment, adjustment_window)
    temp, _ = _check_load(temperature, "temperature")
    needed = frame.event_offsets.union(frame.window_offsets)
    today_t = _day_values(frame, frame.event_day, needed, temp)
    if not np.all(np.isfinite(today_t)):
        raise FlexDataError("the event day has missing temperatures in the event or adjustment window")
    chosen, flags = _eligible(
        frame,
        days=days,
        lookback_days=lookback_days,
        skip_days=0,
        calendar=calendar,
        event_dates=event_dates,
        allow_fewer=allow_fewer,
        extra_offsets=needed,
        extra_series=temp,
    )
    if len(chosen) < 3:
        raise FlexDataError(
            f"regression found only {len(chosen)} complete eligible day(s); at least 3 needed"
        )
    y = np.array([_day_values(frame, d, needed) for d in chosen])
    x = np.array([_day_values(frame, d, needed, temp) for d in chosen])
    x_mean, y_mean = x.mean(axis=0), y.mean(axis=0)
    sxx = ((x - x_mean) ** 2).sum(axis=0)
    sxy = ((x - x_mean) * (y - y_mean)).sum(axis=0)
    flat = sxx <= 1e-12
    slope = np.where(flat, 0.0, sxy / np.where(flat, 1.0, sxx))
    predicted = y_mean + slope * (today_t - x_mean)
    if bool(np.any(flat)):
        flags.append(
            BaselineFlag(
                "temperature_constant",
                f"{int(np.sum(flat))} interval(s) have no temperature spread: mean used",
            )
        )
    position = {offset: i for i, offset in enumerate(needed)}
    raw_event = np.array([predicted[position[o]] for o in frame.event_offsets])
    raw_window = np.array([predicted[position[o]] for o in frame.window_offsets])
    return _finish("regression", frame, chosen, raw_event, raw_window, adjustment, adjustment_cap, flags)


METHODS: Mapping[str, Callable[..., BaselineResult]] = {
    "x_of_y": x_of_y,
    "match_day": match_day,
    "regression": regression,
}
"""Baseline methods by name."""


def compute_baseline(
    method: str, load: pd.Series, event_start: datetime, event_end: datetime, **params: Any
) -> BaselineResult:
    """Compute a baseline by method name (a key of :data:`METHODS`); ``params`` go to that method.

    Raises
    ------
    FlexInputError
        For an unknown method name or an unknown parameter.
    """
    if method not in METHODS:
        raise FlexInputError(f"unknown baseline method '{method}'; known: {', '.join(METHODS)}")
    try:
        return METHODS[method](load, event_start, event_end, **params)
    except TypeError as exc:
        raise FlexInputError(f"baseline method '{method}': {exc}") from None


# --------------------------------------------------------------------------------------------------------
# Day-of adjustments.


def multiplicative(
    baseline_kw: FloatArray,
    window_baseline_kw: FloatArray,
    window_actual_kw: FloatArray,
    *,
    cap: float | None = DEFAULT_ADJUSTMENT_CAP,
) -> AdjustmentResult:
    """Scale the baseline by actual ÷ baseline energy over the adjustment window, within ``1 ± cap``.

    Parameters
    ----------
    baseline_kw : numpy.ndarray
        Raw baseline over the event intervals [kW].
    window_baseline_kw, window_actual_kw : numpy.ndarray
        Raw baseline and event-day actual over the adjustment window [kW].
    cap : float or None, optional
        Largest relative change [-], default 0.2 (±20 %); ``None`` for none.

    References
    ----------
    .. [1] FACTS.md §9: CAISO day-of adjustment over hours −4 to −2, capped at ±20 % [R].
    """
    base = float(np.sum(window_baseline_kw))
    if base <= 0 or len(window_baseline_kw) == 0:
        raise FlexDataError(
            "the multiplicative adjustment needs a positive baseline over the adjustment window"
        )
    ratio = float(np.sum(window_actual_kw)) / base
    capped = False
    if cap is not None:
        bounded = min(max(ratio, 1.0 - cap), 1.0 + cap)
        capped, ratio = bounded != ratio, bounded
    return AdjustmentResult(
        "multiplicative", tuple(float(v) for v in np.asarray(baseline_kw) * ratio), ratio=ratio, capped=capped
    )


def additive(
    baseline_kw: FloatArray,
    window_baseline_kw: FloatArray,
    window_actual_kw: FloatArray,
    *,
    cap: float | None = None,
) -> AdjustmentResult:
    """Shift the baseline by the mean of actual − baseline over the adjustment window, within ``± cap`` kW.

    Parameters
    ----------
    baseline_kw, window_baseline_kw, window_actual_kw : numpy.ndarray
        As in :func:`multiplicative` [kW].
    cap : float or None, optional
        Largest shift [kW]; ``None`` (default) for none.

    References
    ----------
    .. [1] EnerNOC (2011), *The Demand Response Baseline*, §3 (additive day-of adjustment).
    """
    if len(window_baseline_kw) == 0:
        raise FlexDataError("the additive adjustment needs an adjustment window")
    offset = float(np.mean(np.asarray(window_actual_kw) - np.asarray(window_baseline_kw)))
    capped = False
    if cap is not None:
        bounded = min(max(offset, -cap), cap)
        capped, offset = bounded != offset, bounded
    return AdjustmentResult(
        "additive", tuple(float(v) for v in np.asarray(baseline_kw) + offset), offset_kw=offset, capped=capped
    )


def none(
    baseline_kw: FloatArray,
    window_baseline_kw: FloatArray,
    window_actual_kw: FloatArray,
    *,
    cap: float | None = None,
) -> AdjustmentResult:
    """No day-of adjustment: the raw baseline."""
    return AdjustmentResult("none", tuple(float(v) for v in np.asarray(baseline_kw)))


ADJUSTMENTS: Mapping[str, Callable[..., AdjustmentResult]] = {
    "none": none,
    "multiplicative": multiplicative,
    "additive": additive,
}
"""Day-of adjustments by name."""


def adjust(
    name: str,
    baseline_kw: FloatArray,
    window_baseline_kw: FloatArray,
    window_actual_kw: FloatArray,
    *,
    cap: float | None = DEFAULT_ADJUSTMENT_CAP,
) -> AdjustmentResult:
    """Apply a day-of adjustment by name (a key of :data:`ADJUSTMENTS`).

    For ``additive`` the default cap (a fraction) does not apply: pass ``cap`` in kW, or ``None``.
    """
    _check_adjustment_name(name)
    if name == "additive" and cap == DEFAULT_ADJUSTMENT_CAP:
        cap = None
    return ADJUSTMENTS[name](baseline_kw, window_baseline_kw, window_actual_kw, cap=cap)


# --------------------------------------------------------------------------------------------------------
# Rule sets (reference data).


@dataclass(frozen=True, slots=True)
class BaselineRule:
    """A published baseline rule set, from ``data/flex/baseline_rules.csv``.

    A rule with ``method`` ``None`` has no known formula (evidence X): the caller must choose a method.
    ``adjustment`` ``None`` means the rule's adjustment is not known to the platform.
    """

    rule_id: str
    region: str
    day_type: DayType
    method: str | None
    days: int | None
    highest: int | None
    lookback_days: int | None
    skip_days: int
    adjustment: str | None
    window_start_h_before: float | None
    window_end_h_before: float | None
    adjustment_cap: float | None
    source: str
    evidence: str
    note: str = ""

    def params(self) -> dict[str, Any]:
        """Keyword arguments of the rule's method (days, highest, lookback_days, skip_days)."""
        out: dict[str, Any] = {}
        if self.days is not None:
            out["days"] = self.days
        if self.method == "x_of_y":
            if self.highest is not None:
                out["highest"] = self.highest
            out["skip_days"] = self.skip_days
        if self.lookback_days is not None:
            out["lookback_days"] = self.lookback_days
        return out


def baseline_from_rule(
    rule: BaselineRule,
    load: pd.Series,
    event_start: datetime,
    event_end: datetime,
    *,
    adjustment: str | None = None,
    **params: Any,
) -> BaselineResult:
    """Compute a baseline with a rule set's method, day selection and adjustment.

    ``adjustment`` overrides the rule's; it is required when the rule's adjustment is unknown.

    Raises
    ------
    FlexInputError
        When the rule has no formula (evidence X) or no known adjustment and none is given.
    """
    if rule.method is None:
        raise FlexInputError(
            f"baseline rule '{rule.rule_id}' has no formula (evidence {rule.evidence}: "
            f"{rule.note or 'not found'}); choose a method explicitly"
        )
    chosen = adjustment if adjustment is not None else rule.adjustment
    if chosen is None:
        raise FlexInputError(
            f"baseline rule '{rule.rule_id}' does not state its day-of adjustment; "
            "choose one (none, multiplicative, additive)"
        )
    merged = {**rule.params(), **params, "adjustment": chosen}
    if chosen != "none" and "adjustment_window" not in merged and rule.window_start_h_before is not None:
        start = pd.Timestamp(event_start)
        w0 = start - pd.Timedelta(hours=rule.window_start_h_before)
        w1 = start - pd.Timedelta(hours=rule.window_end_h_before or 0.0)
        merged["adjustment_window"] = (w0.time(), w1.time())
    if chosen == "multiplicative" and "adjustment_cap" not in merged:
        merged["adjustment_cap"] = rule.adjustment_cap
    return compute_baseline(rule.method, load, event_start, event_end, **merged)
