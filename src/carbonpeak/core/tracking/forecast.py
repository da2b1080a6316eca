"""Forecasts: the value an indicator will reach at a future time if its recent trend continues.

A forecast never extrapolates silently from too little data: with fewer points than asked for (at least 2)
it returns a :class:`Forecast` whose ``value`` is ``None`` and whose ``reason`` says why. The named methods:

* ``linear_trend``: the ordinary least-squares line through all points, evaluated at the deadline;
* ``last_rate``: the compound annual rate between the last two points, continued to the deadline.

References
----------
.. [1] Montgomery, D. C., Peck, E. A., Vining, G. G. Introduction to Linear Regression Analysis (Wiley),
   ch. 2, simple linear regression by least squares.
.. [2] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
   (2023): the current trend as a compound annual growth rate, continued to the target year.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from carbonpeak.core.tracking.model import Observation, choose


@dataclass(frozen=True, slots=True)
class Forecast:
    """A forecast, or the reason there is none."""

    method: str
    at: float
    """Time forecast for, on the year axis [a]."""
    value: float | None
    """Forecast value [indicator unit]; ``None`` when the data do not allow one."""
    points: int
    """Number of points the method saw."""
    reason: str = ""
    """Why there is no value (empty when there is one)."""

    @property
    def available(self) -> bool:
        """Whether a value was forecast."""
        return self.value is not None


def linear_trend(points: Sequence[Observation], at: float) -> Forecast:
    """Least-squares straight line through the points, evaluated at ``at``.

    ``v(t) = a + b t`` with ``b = sum((t - t_mean)(v - v_mean)) / sum((t - t_mean)^2)`` and
    ``a = v_mean - b t_mean``; times are positions on the year axis [a].

    Parameters
    ----------
    points : sequence of Observation
        The observed values, in any order [indicator unit].
    at : float
        Time to forecast for [a] (the end of year ``Y`` is ``Y``).

    References
    ----------
    .. [1] Montgomery, D. C., Peck, E. A., Vining, G. G. Introduction to Linear Regression Analysis
       (Wiley), ch. 2.
    """
    n = len(points)
    if n < 2:
        return Forecast("linear_trend", at, None, n, f"{n} point(s): a trend needs at least 2")
    times = [p.time for p in points]
    mean_t = sum(times) / n
    mean_v = sum(p.value for p in points) / n
    stt = sum((t - mean_t) ** 2 for t in times)
    if stt == 0:
        return Forecast("linear_trend", at, None, n, "all points are in the same period: no trend")
    slope = sum((t - mean_t) * (p.value - mean_v) for t, p in zip(times, points, strict=True)) / stt
    return Forecast("linear_trend", at, mean_v + slope * (at - mean_t), n)


def last_rate(points: Sequence[Observation], at: float) -> Forecast:
    """The compound annual rate between the last two points, continued to ``at``.

    With the last two points ``(t1, v1)`` and ``(t2, v2)``: ``g = (v2 / v1) ** (1 / (t2 - t1)) - 1`` and the
    forecast is ``v2 (1 + g) ** (at - t2)``. Both values must be positive.

    Parameters
    ----------
    points : sequence of Observation
        The observed values, in any order [indicator unit].
    at : float
        Time to forecast for [a].

    References
    ----------
    .. [1] UN Statistics Division, Sustainable Development Goals Report, Progress assessment methodology
       (2023): compound annual growth rate as the current trend.
    """
    n = len(points)
    if n < 2:
        return Forecast("last_rate", at, None, n, f"{n} point(s): a rate needs at least 2")
    first, last = sorted(points, key=lambda p: p.period_end)[-2:]
    if first.value <= 0 or last.value <= 0:
        return Forecast("last_rate", at, None, n, "the last two values must be positive for a compound rate")
    years = last.time - first.time
    if years <= 0:
        return Forecast("last_rate", at, None, n, "the last two points are in the same period: no rate")
    growth = math.pow(last.value / first.value, 1.0 / years)
    return Forecast("last_rate", at, last.value * math.pow(growth, at - last.time), n)


FORECAST_METHODS: dict[str, Callable[[Sequence[Observation], float], Forecast]] = {
    "linear_trend": linear_trend,
    "last_rate": last_rate,
}
"""Named forecast methods."""


def forecast_value(
    points: Sequence[Observation], *, at: float, method: str = "linear_trend", min_points: int = 2
) -> Forecast:
    """Forecast the value at time ``at`` by a named method (unknown names are refused).

    Parameters
    ----------
    points : sequence of Observation
        The observed values [indicator unit].
    at : float
        Time to forecast for [a] (the end of year ``Y`` is ``Y``).
    method : str
        ``linear_trend`` or ``last_rate``.
    min_points : int
        Fewest points to forecast from (never fewer than 2); with fewer, the forecast has no value and its
        ``reason`` says so.

    Raises
    ------
    UnknownMethodError
        For a method name not in :data:`FORECAST_METHODS`.
    """
    forecast = choose(FORECAST_METHODS, method, "forecast method")
    needed = max(2, min_points)
    if len(points) < needed:
        return Forecast(
            method, at, None, len(points), f"{len(points)} point(s); a forecast needs at least {needed}"
        )
    return forecast(points, at)
