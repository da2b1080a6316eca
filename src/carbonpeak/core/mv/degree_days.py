"""Degree days in °C, two named variants, and the CalTRACK balance-point grid in °C.

- ``daily_mean`` (CalTRACK 2.0): HDD = max(T_b − T̄_d, 0), CDD = max(T̄_d − T_b, 0), with T̄_d the mean of
  the day's hourly temperatures.
- ``hourly_integrated``: the mean over the day's hours of max(T_b − T_h, 0) (resp. max(T_h − T_b, 0)),
  i.e. the day's degree-hours divided by the hours counted. It is never smaller than the daily-mean
  variant and differs on days that cross the balance point.

References
----------
.. [1] CalTRACK Methods 2.0, sec. 3.1-3.4 (daily methods, balance-point search), https://docs.caltrack.org.
.. [2] ASHRAE Guideline 14-2014, *Measurement of Energy, Demand, and Water Savings*, annex D.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from carbonpeak.core.mv import MvInputError

FloatArray = npt.NDArray[np.float64]

BALANCE_POINTS_C: FloatArray = np.arange(-1.0, 32.5, 1.0)
"""CalTRACK's balance-point grid in °C: −1 to 32 °C in 1 °C steps (CalTRACK 2.0 sec. 3.3.1 states
30-90 °F with steps of at most 3 °F; 1 °C = 1.8 °F)."""

MIN_HOURS_FOR_DAY = 12
"""A day's degree days need at least 12 hourly temperatures (CalTRACK 2.0 sec. 2.2.2.3: 50 %)."""


def _check(day_hours_c: FloatArray) -> FloatArray:
    values = np.asarray(day_hours_c, dtype=np.float64)
    if values.ndim != 2:
        raise MvInputError("degree days need a (days, hours) array of hourly temperatures")
    return values


def _valid_days(values: FloatArray) -> npt.NDArray[np.bool_]:
    return np.asarray(np.isfinite(values).sum(axis=1) >= MIN_HOURS_FOR_DAY)


def degree_days_daily_mean(
    day_hours_c: FloatArray, balance_points_c: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Heating and cooling degree days from the daily mean temperature (CalTRACK).

    Parameters
    ----------
    day_hours_c : numpy.ndarray
        (days, 24) hourly temperatures [°C]; NaN where missing.
    balance_points_c : numpy.ndarray
        Balance points [°C].

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        HDD and CDD, each (days, balance points) [K·d]; NaN on days with fewer than
        :data:`MIN_HOURS_FOR_DAY` temperatures.

    References
    ----------
    .. [1] CalTRACK Methods 2.0, sec. 3.1.4.
    """
    values = _check(day_hours_c)
    valid = _valid_days(values)
    mean = np.full(len(values), np.nan)
    if valid.any():
        mean[valid] = np.nanmean(values[valid], axis=1)
    bases = np.asarray(balance_points_c, dtype=np.float64)[None, :]
    hdd = np.clip(bases - mean[:, None], 0.0, None)
    cdd = np.clip(mean[:, None] - bases, 0.0, None)
    return hdd, cdd


def degree_days_hourly_integrated(
    day_hours_c: FloatArray, balance_points_c: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Heating and cooling degree days integrated from hourly temperatures (mean of degree-hours).

    Parameters and returns as :func:`degree_days_daily_mean`.

    References
    ----------
    .. [1] ASHRAE Handbook - Fundamentals (2021), ch. 14, "degree-days from hourly data".
    """
    values = _check(day_hours_c)
    valid = _valid_days(values)
    bases = np.asarray(balance_points_c, dtype=np.float64)[None, None, :]
    hours = values[:, :, None]
    count = np.isfinite(values).sum(axis=1)[:, None].astype(np.float64)
    count[count == 0] = np.nan
    hdd = np.nansum(np.clip(bases - hours, 0.0, None), axis=1) / count
    cdd = np.nansum(np.clip(hours - bases, 0.0, None), axis=1) / count
    hdd[~valid] = np.nan
    cdd[~valid] = np.nan
    return np.asarray(hdd, dtype=np.float64), np.asarray(cdd, dtype=np.float64)


DegreeDayFunction = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]

DEGREE_DAY_METHODS: Mapping[str, DegreeDayFunction] = {
    "daily_mean": degree_days_daily_mean,
    "hourly_integrated": degree_days_hourly_integrated,
}
"""Named degree-day variants."""

DEFAULT_DEGREE_DAYS = "daily_mean"
"""The default variant (CalTRACK's; chosen by measured accuracy, see docs/mv.md)."""


def degree_days(
    method: str, day_hours_c: FloatArray, balance_points_c: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Degree days by the named variant (see :data:`DEGREE_DAY_METHODS`).

    Raises
    ------
    MvInputError
        On an unknown variant.
    """
    if method not in DEGREE_DAY_METHODS:
        raise MvInputError(f"'{method}' is not a degree-day variant ({', '.join(DEGREE_DAY_METHODS)})")
    return DEGREE_DAY_METHODS[method](day_hours_c, balance_points_c)
