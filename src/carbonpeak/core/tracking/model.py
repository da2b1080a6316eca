"""Plain inputs and results of target tracking: observations, targets, thresholds and statuses.

Everything here is a plain value: the caller reads the plan, the inventory and the reports, and hands the
rules a :class:`TargetSpec`, a sequence of :class:`Observation` and an explicit evaluation date. The rules
never look at the clock, a file or a database.

Time axis: an observation is placed at the fractional year of its period's end, such that the end of year
``Y`` is exactly ``Y`` (see :func:`year_time`). An annual value for 2022 therefore sits at 2022.0, a
baseline for 2020 at 2020.0 and a deadline "到2025年" at 2025.0.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.plan.model import Comparator, Target

T = TypeVar("T")


class TrackingError(CarbonpeakError, ValueError):
    """Inputs no tracking rule can work with, e.g. a compound trajectory through a non-positive value."""


class UnknownMethodError(TrackingError):
    """A trajectory, forecast or status rule was asked for by a name that does not exist."""


def choose(registry: Mapping[str, T], name: str, kind: str) -> T:
    """Return ``registry[name]``, or refuse an unknown name with the list of known ones.

    Parameters
    ----------
    registry : mapping of str to a method
        The named methods.
    name : str
        The name asked for.
    kind : str
        What the methods are, for the message, e.g. ``trajectory method``.

    Raises
    ------
    UnknownMethodError
        When ``name`` is not in ``registry``.
    """
    try:
        return registry[name]
    except KeyError:
        raise UnknownMethodError(f"unknown {kind} '{name}'; choose one of: {', '.join(registry)}") from None


def year_time(day: date) -> float:
    """Position of a date on the year axis [a]: the end of year ``Y`` is ``Y``, its middle about ``Y - 0.5``.

    ``t = Y - 1 + day_of_year / days_in_year``, so 31 December 2022 is 2022.0 and 30 June 2023 is about
    2022.496.
    """
    days = 366 if calendar.isleap(day.year) else 365
    return day.year - 1 + day.timetuple().tm_yday / days


class Status(StrEnum):
    """The one status each target gets (see ``docs/status-rules.md``)."""

    ACHIEVED = "achieved"
    """达成: the target is met by a value for its deadline year (or, for additions, the sum is reached)."""
    ON_TRACK = "on_track"
    """正常推进: progress is within the tolerance of the trajectory (or the forecast meets the target)."""
    AT_RISK = "at_risk"
    """存在风险: behind, by more than the on-track tolerance but not more than the off-track gap."""
    OFF_TRACK = "off_track"
    """滞后: behind by more than the off-track gap, or the deadline has passed and the target was missed."""
    NO_DATA = "no_data"
    """无数据: a value is due but nothing usable was reported or computed (or the target states no value)."""
    NOT_YET_DUE = "not_yet_due"
    """未到期: no value is expected yet on the evaluation date."""

    @property
    def label_zh(self) -> str:
        """The Chinese name shown to officials."""
        return STATUS_LABELS_ZH[self]


STATUS_LABELS_ZH: dict[Status, str] = {
    Status.ACHIEVED: "达成",
    Status.ON_TRACK: "正常推进",
    Status.AT_RISK: "存在风险",
    Status.OFF_TRACK: "滞后",
    Status.NO_DATA: "无数据",
    Status.NOT_YET_DUE: "未到期",
}
"""Chinese names of the statuses."""


@dataclass(frozen=True, slots=True)
class Observation:
    """A value of an indicator for the period ending on ``period_end``.

    The value is in the target's unit (for ``reduction_pct`` targets: the indicator's own unit, not a %).
    For ``cumulative_addition`` targets it is the amount added *within* the period, not a running total.
    """

    period_end: date
    value: float

    @classmethod
    def for_year(cls, year: int, value: float) -> Observation:
        """An annual value: the period ends on 31 December of ``year``."""
        return cls(date(year, 12, 31), value)

    @property
    def year(self) -> int:
        """Calendar year the period ends in."""
        return self.period_end.year

    @property
    def time(self) -> float:
        """Position on the year axis [a] (see :func:`year_time`)."""
        return year_time(self.period_end)


@dataclass(frozen=True, slots=True)
class StatusThresholds:
    """Configurable thresholds of the status rules. The defaults are this project's choices, not official.

    A *gap* is a shortfall expressed as a fraction of the baseline-to-target distance ``|target - baseline|``
    (the distance-to-target measure): 0 means on the trajectory (or forecast exactly on target), 1 means
    as far from it as the whole distance. Negative gaps are ahead.
    """

    at_risk_gap: float = 0.10
    """A gap above this is ``at_risk``; at or below it is ``on_track`` [-]."""
    off_track_gap: float = 0.25
    """A gap above this is ``off_track`` [-]. For a requirement in force (flat, no trajectory) the gap is the
    shortfall over ``|target|`` and any shortfall up to this is ``at_risk``."""
    forecast_min_points: int = 3
    """Fewest points (the baseline included) a forecast uses; with fewer the forecast is refused."""
    milestone_grace_days: int = 0
    """An undone milestone overdue by more than this many days makes the task ``at_risk`` [d]."""
    milestone_off_track_days: int = 90
    """An undone milestone overdue by more than this many days makes the task ``off_track`` [d]."""
    peak_min_declines: int = 2
    """Consecutive year-on-year declines after the maximum that confirm a peak [-]."""
    peak_warning_years: int = 2
    """With fewer years than this left before a peak deadline, a still-rising series is ``at_risk`` [a]."""

    def __post_init__(self) -> None:
        if not 0 <= self.at_risk_gap <= self.off_track_gap:
            raise TrackingError("thresholds: need 0 <= at_risk_gap <= off_track_gap")
        if self.forecast_min_points < 2:
            raise TrackingError("thresholds: a forecast needs at least 2 points")
        if not 0 <= self.milestone_grace_days <= self.milestone_off_track_days:
            raise TrackingError("thresholds: need 0 <= milestone_grace_days <= milestone_off_track_days")
        if self.peak_min_declines < 1 or self.peak_warning_years < 0:
            raise TrackingError("thresholds: need peak_min_declines >= 1 and peak_warning_years >= 0")


DEFAULT_THRESHOLDS = StatusThresholds()
"""The documented defaults (``docs/status-rules.md``)."""


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """What a status rule needs to know about a target, as plain values.

    Build it from a plan target with :meth:`from_plan`, or directly.
    """

    comparator: Comparator
    start_year: int
    """First year the target covers; its first value is due when this year ends."""
    deadline_year: int
    """Year whose value decides the target (for ``from``/``ongoing`` deadlines: the plan horizon's end)."""
    value: float | None = None
    """The stated value: a level (at_least, at_most, full_coverage), a sum (cumulative_addition) or a %
    (reduction_pct); ``None`` when the plan states none."""
    baseline_year: int | None = None
    baseline_value: float | None = None
    """Stated baseline [target unit]; when ``None`` it is taken from the observations."""
    in_force: bool = False
    """A requirement that holds every year from ``start_year`` (deadline ``from YYYY`` or ``ongoing``)."""
    code: str = ""

    def __post_init__(self) -> None:
        if self.deadline_year < self.start_year:
            raise TrackingError(
                f"target {self.code or '?'}: deadline {self.deadline_year} is before its first year "
                f"{self.start_year}"
            )

    @classmethod
    def from_plan(cls, target: Target, horizon: tuple[int, int]) -> TargetSpec:
        """The spec of a plan target, given the plan horizon (first and last year) [a].

        The span is :meth:`Deadline.years`: a year deadline ``2025`` spans horizon start to 2025; a
        period ``十四五`` spans 2021-2025; ``from 2022`` and ``ongoing`` are in force to the horizon's end.
        """
        first, last = target.deadline.years(horizon)
        return cls(
            comparator=target.comparator,
            start_year=first,
            deadline_year=last,
            value=target.value,
            baseline_year=target.baseline_year,
            baseline_value=target.baseline_value,
            in_force=target.deadline.kind in ("from", "ongoing"),
            code=target.code,
        )


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """The status of one target on an evaluation date, with the numbers and the reason behind it."""

    status: Status
    rule: str
    """Name of the rule that decided: ``trajectory_gap``, ``forecast_at_deadline``, ``peak_test`` or
    ``milestones``."""
    reason: str
    """Why, in English, for officials."""
    latest_value: float | None = None
    """The latest usable value [target unit] (for additions: the running sum)."""
    latest_period: date | None = None
    expected_value: float | None = None
    """Value on the trajectory at the latest period [target unit]."""
    forecast_value: float | None = None
    """Forecast for the deadline year [target unit], ``None`` when no forecast could be made."""
    target_value: float | None = None
    """The level to reach [target unit] (for ``reduction_pct``: baseline x (1 - pct/100))."""
    deadline_year: int | None = None
    gap: float | None = None
    """Shortfall as a fraction of the baseline-to-target distance (of ``|target|`` when flat) [-]; negative
    when ahead. Graded by a rule: the rule's gap (latest behind the trajectory, or forecast short of the
    target); otherwise the latest value short of the target."""
    flags: tuple[str, ...] = ()
    """Data-quality notes: ignored observations, assumed baselines, refused forecasts."""

    @property
    def latest_year(self) -> int | None:
        """Year of the latest period, if any."""
        return None if self.latest_period is None else self.latest_period.year
