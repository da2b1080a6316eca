"""Trajectories: the expected value of an indicator on the path from its baseline to its target.

A trajectory runs from the baseline value ``b`` at time ``t0`` (the baseline year) to the target value
``T`` at time ``t1`` (the deadline year). At time ``t`` let ``f = (t - t0) / (t1 - t0)``, clamped to
[0, 1]. The named methods are:

* ``linear``: ``b + (T - b) f``, equal steps each year;
* ``compound``: ``b (T / b) ** f``, a constant annual rate. For a reduction of ``p`` % over ``n`` years the
  rate ``r`` solves ``(1 - r) ** n = 1 - p / 100`` (see :func:`reduction_rate`).

References
----------
.. [1] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
   (2023): the required trend is the constant (compound) annual rate from the base-year value to the
   target value ("current-trend vs required-trend ratio").
.. [2] European Environment Agency, distance-to-target assessments (e.g. the annual *Trends and
   projections in Europe*): progress is judged against a path drawn from the base year to the target year.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from carbonpeak.core.tracking.model import TrackingError, choose


def linear_trajectory(baseline: float, target: float, fraction: float) -> float:
    """Expected value on a straight line from the baseline to the target [indicator unit].

    Parameters
    ----------
    baseline, target : float
        Values at the start and the end of the path [indicator unit].
    fraction : float
        Share of the path's time elapsed, 0 at the baseline and 1 at the deadline [-].

    References
    ----------
    .. [1] European Environment Agency, distance-to-target assessments: a linear target path from the
       base year to the target year.
    """
    return baseline + (target - baseline) * fraction


def compound_trajectory(baseline: float, target: float, fraction: float) -> float:
    """Expected value at a constant annual rate from the baseline to the target [indicator unit].

    ``baseline x (target / baseline) ** fraction``: each year changes the value by the same factor. This is
    the natural path for reduction-% targets (比基准年下降 x%).

    Parameters
    ----------
    baseline, target : float
        Values at the start and the end of the path [indicator unit]; both must be positive.
    fraction : float
        Share of the path's time elapsed, 0 at the baseline and 1 at the deadline [-].

    Raises
    ------
    TrackingError
        When ``baseline`` or ``target`` is not positive (no constant rate links them).

    References
    ----------
    .. [1] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
       (2023): required compound annual growth rate between the base-year value and the target value.
    """
    if baseline <= 0 or target <= 0:
        raise TrackingError(
            f"a compound trajectory needs a positive baseline and target (got {baseline:g} and {target:g}); "
            "use the linear method"
        )
    return baseline * math.pow(target / baseline, fraction)


TRAJECTORY_METHODS: dict[str, Callable[[float, float, float], float]] = {
    "linear": linear_trajectory,
    "compound": compound_trajectory,
}
"""Named trajectory methods."""


def expected_value(
    baseline: float, target: float, *, start: float, end: float, at: float, method: str = "linear"
) -> float:
    """Expected value on the trajectory at time ``at``, by a named method (unknown names are refused).

    Parameters
    ----------
    baseline, target : float
        Values at ``start`` and ``end`` [indicator unit].
    start, end : float
        Times of the baseline and of the deadline on the year axis [a] (the end of year ``Y`` is ``Y``).
    at : float
        Time to evaluate [a]; before ``start`` the baseline is returned and after ``end`` the target.
    method : str
        ``linear`` or ``compound``.

    Raises
    ------
    UnknownMethodError
        For a method name not in :data:`TRAJECTORY_METHODS`.
    TrackingError
        When ``end`` is not after ``start``.
    """
    path = choose(TRAJECTORY_METHODS, method, "trajectory method")
    if end <= start:
        raise TrackingError(f"a trajectory must end after it starts (start {start:g}, end {end:g})")
    fraction = min(1.0, max(0.0, (at - start) / (end - start)))
    return path(baseline, target, fraction)


def trajectory(
    baseline: float,
    target: float,
    *,
    start: float,
    end: float,
    at: Sequence[float],
    method: str = "linear",
) -> list[float]:
    """Expected values at several times (e.g. every year, for a chart) [indicator unit].

    Parameters are as for :func:`expected_value`, with ``at`` a sequence of times [a].
    """
    return [expected_value(baseline, target, start=start, end=end, at=t, method=method) for t in at]


def reduction_rate(pct: float, years: float) -> float:
    """Constant annual reduction rate ``r`` [-] that achieves a ``pct`` % cut over ``years`` years.

    Solves ``(1 - r) ** years = 1 - pct / 100``, so ``r = 1 - (1 - pct / 100) ** (1 / years)``.

    Parameters
    ----------
    pct : float
        Total reduction [%], below 100.
    years : float
        Length of the period [a], positive.

    References
    ----------
    .. [1] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
       (2023): compound annual growth rate.
    """
    if years <= 0 or pct >= 100:
        raise TrackingError("a reduction rate needs years > 0 and a reduction below 100 %")
    return 1.0 - math.pow(1.0 - pct / 100.0, 1.0 / years)
