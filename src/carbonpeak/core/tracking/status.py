"""Status rules: one status per target on an evaluation date (rules in ``docs/status-rules.md``).

:func:`target_status` gives every target exactly one :class:`Status`. Qualitative targets go to their
milestones (:func:`~carbonpeak.core.tracking.milestones.milestone_status`) and ``peak_by`` targets to the
peak test (:func:`peak_status`). Valued targets go through the common steps below, and a *named rule*
grades a target that is still in progress and not yet met:

* ``trajectory_gap``: the latest value against the trajectory at its period;
* ``forecast_at_deadline``: the forecast for the deadline year against the target value.

Common steps for a valued target, in order:

1. observations after ``as_of`` or not finite are ignored (and flagged); for ``cumulative_addition`` the
   additions within the target's years are summed into running totals, the baseline being 0;
2. ``not_yet_due`` when no observation falls in the target's years and the first of them has not ended;
3. ``no_data`` when the target states no value, a reduction has no baseline, or no value after the
   baseline has been reported;
4. ``achieved`` when the value for the deadline year meets the target (a running sum of additions counts
   as soon as it reaches the target); ``off_track`` when the value for the deadline year misses it;
5. ``on_track`` when the latest value already meets the target before the deadline year;
6. a *flat* requirement (deadline ``from YYYY`` or ``ongoing``, or a baseline that already meets the
   target) has no trajectory: any shortfall is ``at_risk`` up to ``off_track_gap`` of ``|target|``, then
   ``off_track``;
7. otherwise the named rule grades the gap.

References
----------
.. [1] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
   (2023), "current-trend vs required-trend ratio".
.. [2] European Environment Agency, distance-to-target assessments (e.g. *Trends and projections in
   Europe*): the gap to a path from the base year to the target year, relative to the whole distance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from carbonpeak.core.plan.model import Comparator
from carbonpeak.core.tracking.forecast import FORECAST_METHODS, Forecast, forecast_value
from carbonpeak.core.tracking.milestones import Milestone, milestone_status
from carbonpeak.core.tracking.model import (
    DEFAULT_THRESHOLDS,
    Observation,
    Status,
    StatusThresholds,
    TargetSpec,
    TargetStatus,
    choose,
)
from carbonpeak.core.tracking.trajectory import TRAJECTORY_METHODS, expected_value

HIGHER_IS_BETTER = frozenset({Comparator.AT_LEAST, Comparator.FULL_COVERAGE, Comparator.CUMULATIVE_ADDITION})
"""Comparators met by reaching a value from below; the others (at_most, reduction_pct) from above."""

DEFAULT_TRAJECTORY: dict[Comparator, str] = {Comparator.REDUCTION_PCT: "compound"}
"""Trajectory method used when none is given: compound for reductions, linear otherwise."""

PEAK_RULE = "peak_test"
_MEET_TOLERANCE = 1e-9
"""Relative tolerance of "meets the target", so that a value equal to the target up to rounding meets it."""


@dataclass(frozen=True, slots=True)
class Progress:
    """A valued target in progress and not yet met: what a named status rule grades."""

    baseline: Observation
    """The trajectory's start [target unit] (for additions: 0 at the end of the year before the first)."""
    latest: Observation
    """The latest usable value [target unit] (for additions: the running sum)."""
    target_value: float
    deadline_year: int
    higher_is_better: bool
    expected: float
    """Value on the trajectory at the latest period [target unit]."""
    forecast: Forecast

    @property
    def distance(self) -> float:
        """Baseline-to-target distance ``|target - baseline|`` [target unit]; positive when in progress."""
        return abs(self.target_value - self.baseline.value)

    def gap(self, value: float, reference: float) -> float:
        """Shortfall of ``value`` behind ``reference`` as a fraction of the distance [-]; negative = ahead."""
        sign = 1.0 if self.higher_is_better else -1.0
        return sign * (reference - value) / self.distance


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a named rule decides: status, reason, gap, and the rule that actually decided."""

    status: Status
    reason: str
    gap: float | None
    rule: str
    flags: tuple[str, ...] = ()


def grade(gap: float, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> Status:
    """``on_track`` up to ``at_risk_gap``, ``at_risk`` up to ``off_track_gap``, then ``off_track``.

    Parameters
    ----------
    gap : float
        Shortfall as a fraction of the baseline-to-target distance [-] (negative = ahead).
    thresholds : StatusThresholds
        ``at_risk_gap`` and ``off_track_gap`` are used.
    """
    if gap <= thresholds.at_risk_gap:
        return Status.ON_TRACK
    if gap <= thresholds.off_track_gap:
        return Status.AT_RISK
    return Status.OFF_TRACK


def _num(value: float) -> str:
    return f"{value:.4g}"


def _period(obs: Observation) -> str:
    """``2022`` for an annual value, else the period's end date."""
    end = obs.period_end
    return str(end.year) if (end.month, end.day) == (12, 31) else end.isoformat()


def _behind(gap: float) -> str:
    if gap > 0:
        return f"behind by {gap:.0%} of the baseline-to-target distance"
    return "not behind" if gap == 0 else f"ahead by {-gap:.0%} of the baseline-to-target distance"


def trajectory_gap(progress: Progress, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """Grade the latest value against the trajectory at its period.

    ``gap = s (expected - latest) / |target - baseline|`` with ``s = +1`` when higher is better and ``-1``
    otherwise, then :func:`grade`. A value exactly on the trajectory has gap 0 and is ``on_track``.

    Parameters
    ----------
    progress : Progress
        The target in progress.
    thresholds : StatusThresholds
        ``at_risk_gap`` and ``off_track_gap`` are used.

    References
    ----------
    .. [1] European Environment Agency, distance-to-target assessments: the gap between the current value
       and the target path, relative to the distance from the base-year value to the target.
    .. [2] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
       (2023): progress measured against the required trend.
    """
    latest = progress.latest
    gap = progress.gap(latest.value, progress.expected)
    reason = (
        f"{_period(latest)} value {_num(latest.value)} against {_num(progress.expected)} on the trajectory "
        f"to {_num(progress.target_value)} in {progress.deadline_year}: {_behind(gap)}"
    )
    return Verdict(grade(gap, thresholds), reason, gap, "trajectory_gap")


def forecast_at_deadline(progress: Progress, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """Grade the forecast for the deadline year against the target value.

    ``gap = s (target - forecast) / |target - baseline|`` then :func:`grade`: a forecast that meets the target
    is ``on_track``. Without a forecast (too few points) the rule falls back to :func:`trajectory_gap`, and
    says so in the reason, the flags and the result's ``rule``.

    Parameters
    ----------
    progress : Progress
        The target in progress, with its forecast.
    thresholds : StatusThresholds
        ``at_risk_gap`` and ``off_track_gap`` are used.

    References
    ----------
    .. [1] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
       (2023), "current-trend vs required-trend ratio": the current trend continued to the target year,
       compared with what the target requires.
    """
    forecast = progress.forecast
    if forecast.value is None:
        fallback = trajectory_gap(progress, thresholds)
        note = f"no {forecast.method} forecast ({forecast.reason}); graded by trajectory_gap instead"
        return Verdict(fallback.status, f"{note}: {fallback.reason}", fallback.gap, fallback.rule, (note,))
    gap = progress.gap(forecast.value, progress.target_value)
    verdict = "meets it" if gap <= 0 else f"short by {gap:.0%} of the baseline-to-target distance"
    reason = (
        f"{forecast.method} forecast for {progress.deadline_year} is {_num(forecast.value)} against the "
        f"target {_num(progress.target_value)}: {verdict}"
    )
    return Verdict(grade(gap, thresholds), reason, gap, "forecast_at_deadline")


STATUS_RULES: dict[str, Callable[[Progress, StatusThresholds], Verdict]] = {
    "trajectory_gap": trajectory_gap,
    "forecast_at_deadline": forecast_at_deadline,
}
"""Named rules that grade a valued target in progress."""


def meets(value: float, target_value: float, *, higher_is_better: bool) -> bool:
    """Whether ``value`` meets ``target_value`` (up to a relative rounding tolerance of 1e-9)."""
    slack = _MEET_TOLERANCE * max(1.0, abs(target_value))
    if higher_is_better:
        return value >= target_value - slack
    return value <= target_value + slack


def peak_test(observations: Sequence[Observation], *, min_declines: int = 2) -> Observation | None:
    """The peak, if the series has peaked: its maximum is followed by ``min_declines`` consecutive declines.

    Peaked means: the maximum is not among the last ``min_declines`` values, and each of the last
    ``min_declines`` changes is a decrease. It needs at least ``min_declines + 1`` values. This is a simple
    test; a projection-based one may replace it.

    Parameters
    ----------
    observations : sequence of Observation
        The series (e.g. district CO2 emissions [t]), any order.
    min_declines : int
        Consecutive declines at the end of the series that confirm the peak [-].

    Returns
    -------
    Observation or None
        The maximum (the earliest one, if tied), or ``None`` when the test does not pass.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 二: 确保2030年前实现碳达峰 (the commitment the test checks).
    """
    series = sorted(observations, key=lambda o: o.period_end)
    if len(series) < min_declines + 1:
        return None
    peak = max(range(len(series)), key=lambda k: (series[k].value, -k))
    tail = series[-(min_declines + 1) :]
    declining = all(b.value < a.value for a, b in pairwise(tail))
    if peak <= len(series) - 1 - min_declines and declining:
        return series[peak]
    return None


def _clean(observations: Sequence[Observation], as_of: date) -> tuple[list[Observation], list[str]]:
    """Drop non-finite values and periods ending after ``as_of``; keep the last of duplicated periods."""
    flags: list[str] = []
    by_period: dict[date, Observation] = {}
    for obs in observations:
        if not math.isfinite(obs.value):
            flags.append(f"{obs.period_end}: the value is not a finite number; ignored")
        elif obs.period_end > as_of:
            flags.append(f"{obs.period_end}: the period ends after the evaluation date {as_of}; ignored")
        else:
            if obs.period_end in by_period:
                flags.append(f"{obs.period_end}: reported twice; the last one given is used")
            by_period[obs.period_end] = obs
    return sorted(by_period.values(), key=lambda o: o.period_end), flags


def _not_yet_due(target: TargetSpec, as_of: date, rule: str, flags: Sequence[str]) -> TargetStatus:
    return TargetStatus(
        Status.NOT_YET_DUE,
        rule,
        f"the first value is for {target.start_year}, which has not ended on {as_of}",
        deadline_year=target.deadline_year,
        flags=tuple(flags),
    )


def peak_status(
    target: TargetSpec,
    observations: Sequence[Observation],
    *,
    as_of: date,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> TargetStatus:
    """Status of a ``peak_by`` target from the series' peak test (:func:`peak_test`).

    * ``achieved``: the test passes and the peak is in or before the deadline year;
    * ``off_track``: the test passes with a later peak, or the maximum so far lies after the deadline year;
    * ``on_track``: not yet peaked, but the latest change is a decrease, or at least ``peak_warning_years``
      remain between the latest value and the deadline year;
    * ``at_risk``: not yet peaked, still rising (or one value only), with fewer years left;
    * ``not_yet_due`` / ``no_data``: as for valued targets.

    Parameters
    ----------
    target : TargetSpec
        A ``peak_by`` target.
    observations : sequence of Observation
        The series (e.g. annual district CO2 emissions [t]); all the history up to ``as_of`` is used.
    as_of : date
        Evaluation date.
    thresholds : StatusThresholds
        ``peak_min_declines`` and ``peak_warning_years`` are used.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 二: 确保2030年前实现碳达峰.
    """
    series, flags = _clean(observations, as_of)
    deadline = target.deadline_year

    def result(status: Status, reason: str) -> TargetStatus:
        latest = series[-1] if series else None
        return TargetStatus(
            status,
            PEAK_RULE,
            reason,
            latest_value=None if latest is None else latest.value,
            latest_period=None if latest is None else latest.period_end,
            deadline_year=deadline,
            flags=tuple(flags),
        )

    if not series:
        if as_of < date(target.start_year + 1, 1, 1):
            return _not_yet_due(target, as_of, PEAK_RULE, flags)
        return result(Status.NO_DATA, f"no value reported by {as_of}")
    need = thresholds.peak_min_declines
    peak = peak_test(series, min_declines=need)
    if peak is not None:
        if peak.year <= deadline:
            return result(
                Status.ACHIEVED, f"peaked in {peak.year} (followed by {need} declines), by {deadline}"
            )
        return result(Status.OFF_TRACK, f"peaked in {peak.year}, after {deadline}")
    highest = max(series, key=lambda o: o.value)
    if highest.year > deadline:
        return result(
            Status.OFF_TRACK, f"the {highest.year} value is the highest so far: no peak by {deadline}"
        )
    latest = series[-1]
    left = deadline - latest.year
    if len(series) < 2:
        flags.append("one value only: the direction of the series is unknown")
        declining = False
    else:
        declining = latest.value < series[-2].value
    if declining:
        return result(
            Status.ON_TRACK,
            f"declining in {latest.year} after a high of {_num(highest.value)} in {highest.year}; "
            f"a peak is confirmed after {need} consecutive declines",
        )
    if left >= thresholds.peak_warning_years:
        return result(Status.ON_TRACK, f"not yet peaked; {left} years left before {deadline}")
    return result(Status.AT_RISK, f"not yet peaked and not declining, with {max(left, 0)} years left")


def _running_totals(series: list[Observation], target: TargetSpec) -> tuple[list[Observation], list[str]]:
    """Running sums of the additions within the target's years, with notes on gaps and outside periods."""
    flags: list[str] = []
    totals: list[Observation] = []
    running = 0.0
    for obs in series:
        if not target.start_year <= obs.year <= target.deadline_year:
            flags.append(
                f"{obs.period_end}: addition outside {target.start_year}-{target.deadline_year}; not counted"
            )
            continue
        if obs.value < 0:
            flags.append(f"{obs.period_end}: negative addition {_num(obs.value)}")
        running += obs.value
        totals.append(Observation(obs.period_end, running))
    if totals:
        seen = {o.year for o in totals}
        missing = [y for y in range(target.start_year, totals[-1].year + 1) if y not in seen]
        if missing:
            flags.append(f"no addition reported for {', '.join(map(str, missing))}; counted as nothing added")
    return totals, flags


def _baseline(target: TargetSpec, series: list[Observation]) -> tuple[Observation | None, list[str]]:
    """The trajectory's start: stated, else the baseline year's annual value, else the first value."""
    if target.comparator is Comparator.CUMULATIVE_ADDITION:
        return Observation.for_year(target.start_year - 1, 0.0), []
    year = target.baseline_year
    annual = {o.period_end: o for o in series if o.period_end.month == 12 and o.period_end.day == 31}
    if target.baseline_value is not None:
        base_year = year if year is not None else target.start_year - 1
        stated = Observation.for_year(base_year, target.baseline_value)
        seen = annual.get(stated.period_end)
        if seen is not None and not math.isclose(seen.value, stated.value, rel_tol=1e-9):
            return stated, [
                f"the stated baseline {_num(stated.value)} differs from the {base_year} value "
                f"{_num(seen.value)}; the stated one is used"
            ]
        return stated, []
    if year is not None and (found := annual.get(date(year, 12, 31))) is not None:
        return found, [f"baseline taken from the {year} value {_num(found.value)}"]
    if target.comparator is Comparator.REDUCTION_PCT:
        return None, []
    first_year = year if year is not None else target.start_year - 1
    usable = [o for o in series if first_year <= o.year <= target.deadline_year]
    if not usable:
        return None, []
    first = usable[0]
    return first, [
        f"no baseline is stated: the trajectory starts at the first value ({_period(first)}: "
        f"{_num(first.value)})"
    ]


def target_status(
    target: TargetSpec,
    observations: Sequence[Observation] = (),
    *,
    as_of: date,
    rule: str = "trajectory_gap",
    trajectory_method: str | None = None,
    forecast_method: str = "linear_trend",
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    milestones: Sequence[Milestone] = (),
) -> TargetStatus:
    """The status of one target on ``as_of``, by a named rule (unknown names are refused).

    Parameters
    ----------
    target : TargetSpec
        The target (see :meth:`TargetSpec.from_plan`).
    observations : sequence of Observation
        The indicator's values [target unit]; for ``cumulative_addition``, the amount added in each period.
        Ignored for qualitative targets.
    as_of : date
        Evaluation date; observations whose period ends later are ignored.
    rule : str
        ``trajectory_gap`` or ``forecast_at_deadline``: grades a valued target in progress. ``peak_by``
        targets always use the peak test and qualitative ones their milestones.
    trajectory_method : str, optional
        ``linear`` or ``compound``; by default compound for ``reduction_pct`` and linear otherwise.
    forecast_method : str
        ``linear_trend`` or ``last_rate``; the forecast is reported by every rule.
    thresholds : StatusThresholds
        The configurable thresholds.
    milestones : sequence of Milestone
        The milestones of a qualitative target.

    Raises
    ------
    UnknownMethodError
        For an unknown rule, trajectory method or forecast method name.
    TrackingError
        For a compound trajectory through a non-positive baseline or target.

    References
    ----------
    .. [1] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
       (2023), "current-trend vs required-trend ratio".
    .. [2] European Environment Agency, distance-to-target assessments.
    """
    grade_rule = choose(STATUS_RULES, rule, "status rule")
    method = trajectory_method or DEFAULT_TRAJECTORY.get(target.comparator, "linear")
    choose(TRAJECTORY_METHODS, method, "trajectory method")
    choose(FORECAST_METHODS, forecast_method, "forecast method")
    if target.comparator is Comparator.QUALITATIVE:
        return milestone_status(
            milestones, as_of=as_of, thresholds=thresholds, deadline_year=target.deadline_year
        )
    if target.comparator is Comparator.PEAK_BY:
        return peak_status(target, observations, as_of=as_of, thresholds=thresholds)
    return _valued_status(
        target,
        observations,
        as_of=as_of,
        rule=rule,
        grade_rule=grade_rule,
        method=method,
        forecast_method=forecast_method,
        thresholds=thresholds,
    )


def _valued_status(
    target: TargetSpec,
    observations: Sequence[Observation],
    *,
    as_of: date,
    rule: str,
    grade_rule: Callable[[Progress, StatusThresholds], Verdict],
    method: str,
    forecast_method: str,
    thresholds: StatusThresholds,
) -> TargetStatus:
    """The common steps of the module docstring, then the named rule."""
    series, flags = _clean(observations, as_of)
    deadline = target.deadline_year
    higher = target.comparator in HIGHER_IS_BETTER
    if target.comparator is Comparator.CUMULATIVE_ADDITION:
        series, more = _running_totals(series, target)
        flags += more
    in_span = [o for o in series if target.start_year <= o.year <= deadline]
    if not in_span and as_of < date(target.start_year + 1, 1, 1):
        return _not_yet_due(target, as_of, rule, flags)

    def no_data(reason: str, target_value: float | None = None) -> TargetStatus:
        return TargetStatus(
            Status.NO_DATA,
            rule,
            reason,
            target_value=target_value,
            deadline_year=deadline,
            flags=tuple(flags),
        )

    if target.value is None:
        return no_data("the target states no value, so it cannot be measured")
    baseline: Observation | None = None
    if not target.in_force or target.comparator is Comparator.REDUCTION_PCT:
        baseline, more = _baseline(target, series)
        flags += more
    if target.comparator is Comparator.REDUCTION_PCT:
        if baseline is None:
            return no_data(f"no baseline value for {target.baseline_year}: a reduction needs one")
        target_value = baseline.value * (1.0 - target.value / 100.0)
    else:
        target_value = target.value
    flat = target.in_force or (
        baseline is not None and meets(baseline.value, target_value, higher_is_better=higher)
    )
    if flat:
        progress = in_span
        if not target.in_force and baseline is not None:
            flags.append("the baseline already meets the target: it must keep meeting it")
    elif baseline is None:
        return no_data(f"no value reported for {target.start_year}-{deadline} by {as_of}", target_value)
    else:
        progress = [o for o in series if o.time > baseline.time and o.year <= deadline]
    if not progress:
        since = "" if flat or baseline is None else f" after the baseline ({_period(baseline)})"
        return no_data(
            f"no value reported{since} for {target.start_year}-{deadline} by {as_of}", target_value
        )

    latest = progress[-1]
    if flat or baseline is None:
        expected = target_value
        points = progress
    else:
        expected = expected_value(
            baseline.value, target_value, start=baseline.time, end=deadline, at=latest.time, method=method
        )
        points = [baseline, *progress]
    forecast = forecast_value(
        points, at=deadline, method=forecast_method, min_points=thresholds.forecast_min_points
    )
    if as_of > date(deadline, 12, 31) and latest.time < deadline:
        flags.append(f"the {deadline} value is due but not reported; the {_period(latest)} value is used")

    def result(status: Status, reason: str, gap: float | None, decided_by: str = rule) -> TargetStatus:
        return TargetStatus(
            status,
            decided_by,
            reason,
            latest_value=latest.value,
            latest_period=latest.period_end,
            expected_value=expected,
            forecast_value=forecast.value,
            target_value=target_value,
            deadline_year=deadline,
            gap=gap,
            flags=tuple(flags),
        )

    sign = 1.0 if higher else -1.0
    scale = abs(target_value) or 1.0
    if baseline is not None and not flat:
        scale = abs(target_value - baseline.value)
    shortfall = sign * (target_value - latest.value) / scale
    met = meets(latest.value, target_value, higher_is_better=higher)
    value_text = f"{_period(latest)} value {_num(latest.value)}"
    if met and (target.comparator is Comparator.CUMULATIVE_ADDITION or latest.time >= deadline):
        return result(Status.ACHIEVED, f"{value_text} meets the target {_num(target_value)}", shortfall)
    if latest.time >= deadline:
        return result(
            Status.OFF_TRACK, f"{value_text} misses the {deadline} target {_num(target_value)}", shortfall
        )
    if met:
        return result(
            Status.ON_TRACK,
            f"{value_text} already meets the target {_num(target_value)}; it counts as achieved when the "
            f"{deadline} value meets it too",
            shortfall,
        )
    if flat:
        status = Status.AT_RISK if shortfall <= thresholds.off_track_gap else Status.OFF_TRACK
        return result(
            status,
            f"{value_text} falls short of {_num(target_value)}, which must be met every year: short by "
            f"{shortfall:.0%} of the target value",
            shortfall,
        )
    assert baseline is not None  # flat covers every case without a baseline
    verdict = grade_rule(
        Progress(baseline, latest, target_value, deadline, higher, expected, forecast), thresholds
    )
    flags += verdict.flags
    return result(verdict.status, verdict.reason, verdict.gap, verdict.rule)
