"""Has the district peaked? Named peak tests and a dispatcher that refuses unknown names.

* ``argmax``: the peak is the series' maximum (the first on a tie); the series has peaked when that maximum
  is not its last value. This is the plain "highest year" reading the outlook used before the tests below.
* ``sustained_decline``: the peak is the series' maximum (the first on a tie), and it is followed by at least
  ``min_years`` later values, each at least ``min_decline_pct`` % below the peak. The defaults (3 years, 1 %)
  are this platform's choice, not an official rule: set them to the office's own rule.
* ``c40``: the C40 Cities criteria for a city that has peaked, in the wording of C40's 2018 announcement as
  reported [2]_ [3]_: the high point must be **at least** five years before the latest inventory year, and the
  latest emissions **at least** 10 % below the peak. Two criteria are this platform's additions, not C40's:
  at least 3 data points, and the latest point at most 5 years old at the as-of year. C40's own methodology
  note was not available to check; see ``docs/projection.md`` ("Peak tests") for what was found.

For Monte Carlo draws, :func:`peak_year_by_draw` takes the year of each draw's maximum, and
:func:`peaked_by_draw` applies a named test to every draw at once (:data:`PEAK_TESTS_BY_DRAW`), counting a
draw as "peaked by year Y" when its peak year is Y or earlier *and* the test holds over the whole projected
path (base year to horizon, with the horizon as the as-of year).

References
----------
.. [1] C40 Cities, Arup (2016). Deadline 2020: How cities will get the job done. C40 Cities Climate Leadership
   Group, London (peaking trajectories of C40 cities).
.. [2] C40 Cities (2018-09-13). "27 C40 cities have peaked their greenhouse gas emissions", announcement at
   the Global Climate Action Summit, San Francisco, as reported by Xinhua (2018-09-15: "emissions fall over a
   five-year period and are now at least 10 percent lower than their peak") and Anadolu Agency (2018-09-14:
   "at least 10 percent lower in emissions than their peak"; peaks "before 2012, the latest year for which
   peaking can be identified").
.. [3] Wired (2018-09-13), quoted by J. Leggett: "To count as a peak, that high point in emissions must be at
   least 5 years ago, which avoids a false peak."
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


def argmax(years: Sequence[int], co2_t: Sequence[float] | FloatArray) -> PeakAssessment:
    """Peak = the year of the maximum (the first on a tie); peaked when it is not the last value.

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : sequence of float [tCO2]
        Emissions by year (NaN values are ignored).

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 二: 确保2030年前实现碳达峰 (the target the outlook checks); "peak" read as the
       highest year, with no test of what follows it.
    """
    y, v = _series(years, co2_t)
    if v.size == 0:
        return PeakAssessment("argmax", False, None, None, (Criterion("data", False, "no data"),))
    k = int(np.argmax(v))
    later = v.size - 1 - k
    criteria = (Criterion("not_last", later > 0, f"maximum in {int(y[k])}, {later} later values"),)
    return PeakAssessment("argmax", later > 0, int(y[k]), float(v[k]), criteria)


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
    years_since_peak_at_least: int = 5,
    max_age_years: int = 5,
    latest_below_peak_pct: float = 10.0,
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
        At least this many data points (this platform's criterion).
    years_since_peak_at_least : int [a]
        ``latest year - peak year`` must be at least this (C40: "at least 5 years ago").
    max_age_years : int [a]
        ``as_of_year - latest year`` must not exceed this (this platform's criterion).
    latest_below_peak_pct : float [%]
        ``latest <= peak x (1 - pct/100)`` (C40: "at least 10 percent lower than their peak").

    References
    ----------
    .. [1] C40 Cities (2018-09-13). "27 C40 cities have peaked their greenhouse gas emissions", as reported by
       Xinhua and Anadolu Agency (see the module's References); C40 Cities, Arup (2016), Deadline 2020.
    """
    y, v = _series(years, co2_t)
    if v.size == 0:
        return PeakAssessment("c40", False, None, None, (Criterion("data_points", False, "no data"),))
    k = int(np.argmax(v))
    peak_year, peak, latest_year, latest = int(y[k]), float(v[k]), int(y[-1]), float(v[-1])
    limit = peak - abs(peak) * latest_below_peak_pct / 100.0
    criteria = (
        Criterion("data_points", v.size >= min_points, f"{v.size} data points, at least {min_points} needed"),
        Criterion(
            "peak_before_latest",
            latest_year - peak_year >= years_since_peak_at_least,
            f"peak {peak_year}, latest {latest_year}: at least {years_since_peak_at_least} years needed",
        ),
        Criterion(
            "latest_recent",
            as_of_year - latest_year <= max_age_years,
            f"latest {latest_year} is {as_of_year - latest_year} years old in {as_of_year}, "
            f"at most {max_age_years}",
        ),
        Criterion(
            "latest_below_peak",
            latest <= limit,
            f"latest {latest:.6g} against peak {peak:.6g}: at most {limit:.6g} "
            f"({latest_below_peak_pct} % below the peak) needed",
        ),
    )
    return PeakAssessment("c40", all(c.passed for c in criteria), peak_year, peak, criteria)


PEAK_TESTS: dict[str, Callable[..., PeakAssessment]] = {
    "argmax": argmax,
    "sustained_decline": sustained_decline,
    "c40": c40,
}
"""Peak tests by name."""


def assess_peak(
    years: Sequence[int],
    co2_t: Sequence[float] | FloatArray,
    *,
    method: str = "sustained_decline",
    **params: Any,
) -> PeakAssessment:
    """Apply a named peak test (``argmax``, ``sustained_decline`` or ``c40``); unknown names are refused.

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


def argmax_by_draw(years: Sequence[int], co2_t: FloatArray) -> npt.NDArray[np.bool_]:
    """:func:`argmax` for every draw at once: ``(draws,)`` booleans (the maximum is not the last year).

    Parameters
    ----------
    years : sequence of int [a]
        ``T`` years.
    co2_t : ndarray [tCO2]
        ``(draws, T)``, no NaN.
    """
    k = np.argmax(co2_t, axis=1)
    return np.asarray(k < len(years) - 1, dtype=np.bool_)


def c40_by_draw(
    years: Sequence[int],
    co2_t: FloatArray,
    *,
    min_points: int = 3,
    years_since_peak_at_least: int = 5,
    latest_below_peak_pct: float = 10.0,
) -> npt.NDArray[np.bool_]:
    """:func:`c40` for every draw at once, as of the last year: ``(draws,)`` booleans.

    The as-of year is the last projected year, so the "latest point at most 5 years old" criterion always
    holds.

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : ndarray [tCO2]
        ``(draws, T)``, no NaN.
    min_points : int
    years_since_peak_at_least : int [a]
    latest_below_peak_pct : float [%]

    References
    ----------
    .. [1] C40 Cities (2018-09-13), as reported (see the module's References).
    """
    y = np.asarray(years, dtype=np.int64)
    k = np.argmax(co2_t, axis=1)
    peak = co2_t[np.arange(co2_t.shape[0]), k]
    latest = co2_t[:, -1]
    limit = peak - np.abs(peak) * latest_below_peak_pct / 100.0
    ok = (y[-1] - y[k] >= years_since_peak_at_least) & (latest <= limit) & (y.size >= min_points)
    return np.asarray(ok, dtype=np.bool_)


PEAK_TESTS_BY_DRAW: dict[str, Callable[..., npt.NDArray[np.bool_]]] = {
    "argmax": argmax_by_draw,
    "sustained_decline": sustained_decline_by_draw,
    "c40": c40_by_draw,
}
"""Peak tests over Monte Carlo draws, by name (the same names as :data:`PEAK_TESTS`)."""

DEFAULT_PEAK_TEST = "argmax"
"""The outlook's test unless another is chosen: the share of draws whose highest year is the peak year or
earlier (the outlook's behaviour before the named tests were wired in)."""


def peak_test_check(name: str) -> str:
    """``name`` if it is a known peak test; otherwise a :class:`ProjectionError` listing the known ones."""
    if name not in PEAK_TESTS_BY_DRAW:
        raise ProjectionError(f"unknown peak test '{name}'; choose one of: {', '.join(PEAK_TESTS_BY_DRAW)}")
    return name


def peaked_by_draw(
    years: Sequence[int], co2_t: FloatArray, *, test: str, peak_by: int, **params: Any
) -> npt.NDArray[np.bool_]:
    """Which draws peak by ``peak_by`` under a named test: peak year <= ``peak_by`` and the test holds.

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : ndarray [tCO2]
        ``(draws, T)``, no NaN.
    test : str
        Name in :data:`PEAK_TESTS_BY_DRAW`; unknown names are refused.
    peak_by : int [a]
        The plan's peak year.
    **params
        The test's parameters (e.g. ``min_years`` of ``sustained_decline``).

    Returns
    -------
    ndarray of bool
        ``(draws,)``. With ``argmax`` this is exactly "the year of the maximum is ``peak_by`` or earlier",
        including a draw whose maximum is the last year when ``peak_by`` is that year or later.
    """
    by_year = peak_year_by_draw(years, co2_t) <= peak_by
    if peak_test_check(test) == "argmax":
        if params:
            raise ProjectionError(f"peak test 'argmax' takes no parameters, got {', '.join(sorted(params))}")
        return np.asarray(by_year, dtype=np.bool_)
    try:
        passed = PEAK_TESTS_BY_DRAW[test](years, co2_t, **params)
    except TypeError as exc:
        raise ProjectionError(f"peak test '{test}': {exc}") from None
    return np.asarray(by_year & passed, dtype=np.bool_)


@dataclass(frozen=True, slots=True)
class PeakProbability:
    """P(peak <= the plan's peak year) under a named peak test.

    Attributes
    ----------
    test : str
        The peak test used (``argmax``, ``sustained_decline`` or ``c40``).
    peak_by_year : int [a]
        The plan's peak year.
    p_peak_by : float [-]
        Share of draws that peak by ``peak_by_year`` under ``test``.
    draws : int
    params : tuple of (str, float)
        The test's parameters as given (empty: its defaults).
    """

    test: str
    peak_by_year: int
    p_peak_by: float
    draws: int
    params: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        return {
            "test": self.test,
            "peak_by_year": self.peak_by_year,
            "p_peak_by": self.p_peak_by,
            "draws": self.draws,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PeakProbability:
        """Inverse of :meth:`to_dict`."""
        return cls(
            str(data["test"]),
            int(data["peak_by_year"]),
            float(data["p_peak_by"]),
            int(data["draws"]),
            tuple((str(k), float(v)) for k, v in dict(data.get("params") or {}).items()),
        )


def peak_probability(
    years: Sequence[int], co2_t: FloatArray, *, test: str, peak_by: int, **params: Any
) -> PeakProbability:
    """Share of draws peaking by ``peak_by`` under a named test (see :func:`peaked_by_draw`).

    Parameters
    ----------
    years : sequence of int [a]
    co2_t : ndarray [tCO2]
        ``(draws, T)``.
    test : str
    peak_by : int [a]
    **params
        The test's parameters.

    References
    ----------
    .. [1] IPCC (2006). Guidelines for National GHG Inventories, Vol. 1, ch. 3, section 3.2.3.2 (a probability
       read off Monte Carlo draws as a share of draws).
    """
    passed = peaked_by_draw(years, co2_t, test=test, peak_by=peak_by, **params)
    return PeakProbability(
        test,
        int(peak_by),
        float(np.mean(passed)),
        int(co2_t.shape[0]),
        tuple(sorted((k, float(v)) for k, v in params.items())),
    )
