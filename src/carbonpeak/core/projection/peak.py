"""Has the district peaked? Named peak tests and a dispatcher that refuses unknown names.

* ``sustained_decline``: the peak is the series' maximum (the first on a tie), and it is followed by at least
  ``min_years`` later values, each at least ``min_decline_pct`` % below the peak. The defaults (3 years, 1 %)
  are this platform's choice, not an official rule: set them to the office's own rule.
* ``c40``: the C40 Cities criteria for a city that has peaked, as this project states them: at least 3 data
  points; the peak more than 5 years before the latest point; the latest point at most 5 years old at the
  as-of year; and the peak more than 10 % above the latest value. C40's own wording is summarised in press
  coverage as "the high point must be at least five years ago"; check the thresholds against C40's
  methodology note before quoting a result as C40's.

For Monte Carlo draws, :func:`peak_year_by_draw` takes the year of each draw's maximum and
:func:`sustained_decline_by_draw` applies the sustained-decline test to every draw at once.

References
----------
.. [1] C40 Cities, Arup (2016). Deadline 2020: How cities will get the job done. C40 Cities Climate Leadership
   Group, London (peaking trajectories of C40 cities).
.. [2] C40 Cities (2018-09-13). "27 C40 cities have peaked their greenhouse gas emissions", press release
   (and its 2019 update, 30 cities): a peak counts only when it is at least five years before the latest
   inventory, to rule out temporary blips.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from carbonpeak.core.projection.model import FloatArray, IntArray, ProjectionError


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion of a peak test and whether it holds."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True, slots=True)
class PeakAssessment:
    """Result of a peak test.

    Attributes
    ----------
    method : str
    peaked : bool
        Every criterion holds.
    peak_year : int or None [a]
        Year of the maximum; ``None`` for an empty series.
    peak_value : float or None [series unit, e.g. tCO2]
    criteria : tuple of Criterion
    """

    method: str
    peaked: bool
    peak_year: int | None
    peak_value: float | None
    criteria: tuple[Criterion, ...]


def _series(years: Sequence[int], values: Sequence[float] | FloatArray) -> tuple[IntArray, FloatArray]:
    y = np.asarray(years, dtype=np.int64)
    v = np.asarray(values, dtype=np.float64)
    if y.shape != v.shape or y.ndim != 1:
        raise ProjectionError("years and values must be one-dimensional and of the same length")
    keep = ~np.isnan(v)
    order = np.argsort(y[keep], kind="stable")
    y, v = y[keep][order], v[keep][order]
    if np.unique(y).size != y.size:
        raise ProjectionError("years must be unique")
    return y, v


def sustained_decline(
    years: Sequence[int],
    co2_t: Sequence[float] | FloatArray,
    *,
    min_years: int = 3,
    min_decline_pct: float = 1.0,
) -> PeakAssessment:
    """Peak = the maximum, followed by at least ``min_years`` values each ``min_decline_pct`` % below it.

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : sequence of float [tCO2]
        Emissions by year (NaN values are ignored).
    min_years : int
        Later values needed [a].
    min_decline_pct : float
        How far below the peak each later value must be [%].

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 二: 确保2030年前实现碳达峰 (the target this test checks); thresholds are the
       platform's defaults, see the module docstring.
    """
    y, v = _series(years, co2_t)
    if v.size == 0:
        return PeakAssessment("sustained_decline", False, None, None, (Criterion("data", False, "no data"),))
    k = int(np.argmax(v))
    peak = float(v[k])
    after = v[k + 1 :]
    limit = peak - abs(peak) * min_decline_pct / 100.0
    enough = after.size >= min_years
    below = bool(np.all(after <= limit)) if after.size else False
    criteria = (
        Criterion(
            "years_after_peak", enough, f"{after.size} values after {int(y[k])}, at least {min_years} needed"
        ),
        Criterion(
            "each_below_peak",
            below,
            f"every later value at most {limit:.6g} ({min_decline_pct} % below the peak {peak:.6g})",
        ),
    )
    return PeakAssessment("sustained_decline", enough and below, int(y[k]), peak, criteria)


def c40(
    years: Sequence[int],
    co2_t: Sequence[float] | FloatArray,
    *,
    as_of_year: int,
    min_points: int = 3,
    years_since_peak_more_than: int = 5,
    max_age_years: int = 5,
    peak_above_latest_pct: float = 10.0,
) -> PeakAssessment:
    """The C40 peaking criteria (see the module docstring).

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : sequence of float [tCO2]
        Inventory values by year (NaN values are ignored).
    as_of_year : int [a]
        The year the test is made in.
    min_points : int
        At least this many data points.
    years_since_peak_more_than : int [a]
        ``latest year - peak year`` must exceed this.
    max_age_years : int [a]
        ``as_of_year - latest year`` must not exceed this.
    peak_above_latest_pct : float [%]
        ``peak > latest x (1 + pct/100)``.

    References
    ----------
    .. [1] C40 Cities (2018). "27 C40 cities have peaked their greenhouse gas emissions", and C40 Cities, Arup
       (2016), Deadline 2020.
    """
    y, v = _series(years, co2_t)
    if v.size == 0:
        return PeakAssessment("c40", False, None, None, (Criterion("data_points", False, "no data"),))
    k = int(np.argmax(v))
    peak_year, peak, latest_year, latest = int(y[k]), float(v[k]), int(y[-1]), float(v[-1])
    criteria = (
        Criterion("data_points", v.size >= min_points, f"{v.size} data points, at least {min_points} needed"),
        Criterion(
            "peak_before_latest",
            latest_year - peak_year > years_since_peak_more_than,
            f"peak {peak_year}, latest {latest_year}: more than {years_since_peak_more_than} years needed",
        ),
        Criterion(
            "latest_recent",
            as_of_year - latest_year <= max_age_years,
            f"latest {latest_year} is {as_of_year - latest_year} years old in {as_of_year}, "
            f"at most {max_age_years}",
        ),
        Criterion(
            "peak_above_latest",
            peak > latest * (1.0 + peak_above_latest_pct / 100.0),
            f"peak {peak:.6g} against latest {latest:.6g}: more than {peak_above_latest_pct} % above needed",
        ),
    )
    return PeakAssessment("c40", all(c.passed for c in criteria), peak_year, peak, criteria)


PEAK_TESTS: dict[str, Callable[..., PeakAssessment]] = {"sustained_decline": sustained_decline, "c40": c40}
"""Peak tests by name."""


def assess_peak(
    years: Sequence[int],
    co2_t: Sequence[float] | FloatArray,
    *,
    method: str = "sustained_decline",
    **params: Any,
) -> PeakAssessment:
    """Apply a named peak test (``sustained_decline`` or ``c40``); unknown names are refused.

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : sequence of float [tCO2]
    method : str
        Name in :data:`PEAK_TESTS`.
    **params
        The test's parameters.
    """
    try:
        test = PEAK_TESTS[method]
    except KeyError:
        raise ProjectionError(
            f"unknown peak test '{method}'; choose one of: {', '.join(PEAK_TESTS)}"
        ) from None
    return test(years, co2_t, **params)


def peak_year_by_draw(years: Sequence[int], co2_t: FloatArray) -> IntArray:
    """Peak year of each draw: the year of its maximum, the first one on a tie [a].

    Parameters
    ----------
    years : sequence of int [a]
        ``T`` years.
    co2_t : ndarray [tCO2]
        ``(draws, T)``.
    """
    y = np.asarray(years, dtype=np.int64)
    return np.asarray(y[np.argmax(co2_t, axis=1)], dtype=np.int64)


def sustained_decline_by_draw(
    years: Sequence[int], co2_t: FloatArray, *, min_years: int = 3, min_decline_pct: float = 1.0
) -> npt.NDArray[np.bool_]:
    """:func:`sustained_decline` for every draw at once: ``(draws,)`` booleans.

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : ndarray [tCO2]
        ``(draws, T)``, no NaN.
    min_years : int
    min_decline_pct : float [%]
    """
    t = len(years)
    k = np.argmax(co2_t, axis=1)
    peak = co2_t[np.arange(co2_t.shape[0]), k]
    limit = peak - np.abs(peak) * min_decline_pct / 100.0
    later = np.arange(t)[None, :] > k[:, None]
    ok = np.where(later, co2_t <= limit[:, None], True).all(axis=1)
    return np.asarray(ok & (t - 1 - k >= min_years), dtype=np.bool_)
