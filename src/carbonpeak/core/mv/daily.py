"""CalTRACK 2.0 daily model: UPD = μ + β_H·HDD(T_bh) + β_C·CDD(T_bc), fitted over a balance-point grid.

Candidates: intercept-only, HDD-only and CDD-only at every grid balance point, and HDD+CDD at every pair
T_bh ≤ T_bc. All OLS fits are solved at once from sums of products (closed-form normal equations), so
the whole grid costs a few matrix products. A degree-day candidate qualifies when its coefficients are
positive and each of its degree-day terms has at least 10 days with non-zero degree days and at least
20 °F·d (100/9 K·d) per year. The qualified candidate with the highest adjusted R² wins.

References
----------
.. [1] CalTRACK Methods 2.0, sec. 3.2-3.4 (daily and billing methods), https://docs.caltrack.org.
.. [2] FACTS.md §10: the grid, the qualification rules and the 365-day baseline with at most 37 missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbonpeak.core.mv import MvInputError
from carbonpeak.core.mv.data import (
    Period,
    check_series,
    daily_usage,
    day_index,
    day_temperatures,
    frequency,
)
from carbonpeak.core.mv.degree_days import (
    BALANCE_POINTS_C,
    DEFAULT_DEGREE_DAYS,
    MIN_HOURS_FOR_DAY,
    degree_days,
)
from carbonpeak.core.mv.metrics import (
    cvrmse,
    g14_gate,
    lag1_autocorrelation,
    nmbe,
    r_squared,
)
from carbonpeak.core.mv.models import DailyModel
from carbonpeak.core.mv.results import BaselineFit, SeriesPoints
from carbonpeak.core.mv.sufficiency import Sufficiency, daily_sufficiency

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MIN_NONZERO_DAYS = 10
"""A degree-day term needs at least 10 days with non-zero degree days (CalTRACK 2.0 sec. 3.3.3)."""
MIN_DEGREE_DAYS_PER_YEAR = 20.0 / 1.8
"""... and at least 20 °F·d per year, i.e. 100/9 K·d (CalTRACK 2.0 sec. 3.3.3)."""


@dataclass(frozen=True, slots=True)
class DailyFrame:
    """Daily observations of one period: consumption per day and the day's hourly temperatures."""

    days: pd.DatetimeIndex
    usage: FloatArray
    """Consumption per day; NaN when missing."""
    hours_c: FloatArray
    """(days, 24) hourly temperatures [°C]."""

    @property
    def temperature_valid(self) -> BoolArray:
        """Days with at least :data:`MIN_HOURS_FOR_DAY` hourly temperatures."""
        return np.asarray(np.isfinite(self.hours_c).sum(axis=1) >= MIN_HOURS_FOR_DAY)

    @property
    def mean_c(self) -> FloatArray:
        """Daily mean temperature [°C]; NaN on days without a valid temperature."""
        out = np.full(len(self.days), np.nan)
        valid = self.temperature_valid
        if valid.any():
            out[valid] = np.nanmean(self.hours_c[valid], axis=1)
        return out


def daily_frame(usage: pd.Series, temperature_c: pd.Series, period: Period) -> DailyFrame:
    """Checked daily observations of ``period`` from daily or hourly meter data and hourly temperatures."""
    usage = check_series(usage, "meter data")
    temperature_c = check_series(temperature_c, "temperature", allow_negative=True)
    frequency(usage)
    tz = pd.DatetimeIndex(usage.index).tz
    days = day_index(period, tz)
    if len(days) == 0:
        raise MvInputError(f"period {period.start.isoformat()}/{period.end.isoformat()} holds no whole day")
    return DailyFrame(days, daily_usage(usage, days), day_temperatures(temperature_c, days))


def _fit_mask(frame: DailyFrame, zero_is_missing: bool) -> BoolArray:
    keep = np.isfinite(frame.usage) & frame.temperature_valid
    if zero_is_missing:
        keep &= frame.usage != 0
    return np.asarray(keep)


def _select(
    y: FloatArray, hdd: FloatArray, cdd: FloatArray, n_days_per_year: float
) -> tuple[DailyModel | None, int, str]:
    """Best qualified candidate over the grid (degree-day matrices (n, G)); returns (model, qualified, dd)."""
    n = len(y)
    grid = BALANCE_POINTS_C
    y_mean = y.mean()
    yc = y - y_mean
    syy = float(yc @ yc)
    best: tuple[float, str, int, int, float, float, float] | None = None
    qualified = 0

    def dd_ok(matrix: FloatArray) -> BoolArray:
        nonzero = (matrix > 0).sum(axis=0)
        per_year = matrix.sum(axis=0) * n_days_per_year / n
        return np.asarray((nonzero >= MIN_NONZERO_DAYS) & (per_year >= MIN_DEGREE_DAYS_PER_YEAR))

    h_mean, c_mean = hdd.mean(axis=0), cdd.mean(axis=0)
    hc, cc = hdd - h_mean, cdd - c_mean
    shh, scc = (hc * hc).sum(axis=0), (cc * cc).sum(axis=0)
    shy, scy = hc.T @ yc, cc.T @ yc
    h_ok, c_ok = dd_ok(hdd), dd_ok(cdd)

    def consider(adj: float, kind: str, i: int, j: int, bh: float, bc: float, mu: float) -> None:
        nonlocal best
        if best is None or adj > best[0]:
            best = (adj, kind, i, j, bh, bc, mu)

    if syy == 0:
        return None, 0, ""
    # single-term candidates
    with np.errstate(divide="ignore", invalid="ignore"):
        beta_h = np.where(shh > 0, shy / shh, np.nan)
        beta_c = np.where(scc > 0, scy / scc, np.nan)
    for kind, beta, ok, s_xy, means in (
        ("hdd_only", beta_h, h_ok, shy, h_mean),
        ("cdd_only", beta_c, c_ok, scy, c_mean),
    ):
        valid = ok & np.isfinite(beta) & (beta > 0)
        qualified += int(valid.sum())
        r2 = np.where(valid, (beta * s_xy) / syy, -np.inf)
        adj = 1.0 - (1.0 - r2) * (n - 1) / (n - 2)
        if valid.any():
            k = int(np.argmax(np.where(valid, adj, -np.inf)))
            mu = y_mean - beta[k] * means[k]
            if kind == "hdd_only":
                consider(float(adj[k]), kind, k, -1, float(beta[k]), 0.0, float(mu))
            else:
                consider(float(adj[k]), kind, -1, k, 0.0, float(beta[k]), float(mu))
    # HDD+CDD candidates, every pair T_bh <= T_bc
    shc = hc.T @ cc
    det = shh[:, None] * scc[None, :] - shc**2
    with np.errstate(divide="ignore", invalid="ignore"):
        bh = (scc[None, :] * shy[:, None] - shc * scy[None, :]) / det
        bc = (shh[:, None] * scy[None, :] - shc * shy[:, None]) / det
    pair_ok = (
        (grid[:, None] <= grid[None, :])
        & h_ok[:, None]
        & c_ok[None, :]
        & (det > 1e-12 * np.maximum(shh[:, None] * scc[None, :], 1e-300))
        & np.isfinite(bh)
        & np.isfinite(bc)
        & (bh > 0)
        & (bc > 0)
    )
    qualified += int(pair_ok.sum())
    if pair_ok.any():
        ssr_explained = bh * shy[:, None] + bc * scy[None, :]
        adj2 = np.where(pair_ok, 1.0 - (1.0 - ssr_explained / syy) * (n - 1) / (n - 3), -np.inf)
        i, j = np.unravel_index(int(np.argmax(adj2)), adj2.shape)
        mu = y_mean - bh[i, j] * h_mean[i] - bc[i, j] * c_mean[j]
        consider(float(adj2[i, j]), "hdd_cdd", int(i), int(j), float(bh[i, j]), float(bc[i, j]), float(mu))
    # intercept-only always qualifies (adjusted R² 0)
    qualified += 1
    consider(0.0, "intercept_only", -1, -1, 0.0, 0.0, float(y_mean))
    assert best is not None
    best_adj, kind, bi, bj, b_h, b_c, best_mu = best
    model = DailyModel(
        model_type=kind,
        intercept_kwh_per_day=best_mu,
        beta_hdd_kwh_per_kd=b_h if kind in ("hdd_only", "hdd_cdd") else None,
        beta_cdd_kwh_per_kd=b_c if kind in ("cdd_only", "hdd_cdd") else None,
        heating_balance_c=float(grid[bi]) if kind in ("hdd_only", "hdd_cdd") else None,
        cooling_balance_c=float(grid[bj]) if kind in ("cdd_only", "hdd_cdd") else None,
        adj_r_squared=best_adj,
        candidates_qualified=qualified,
        degree_days="",
    )
    return model, qualified, kind


N_PARAMETERS = {"intercept_only": 1, "hdd_only": 2, "cdd_only": 2, "hdd_cdd": 3}


def predict_daily(model: DailyModel, frame: DailyFrame) -> FloatArray:
    """Consumption per day of the model on the frame's temperatures; NaN on days without temperature."""
    points = np.array([model.heating_balance_c or 0.0, model.cooling_balance_c or 0.0], dtype=np.float64)
    hdd, cdd = degree_days(model.degree_days, frame.hours_c, points)
    out = np.full(len(frame.days), model.intercept_kwh_per_day)
    if model.beta_hdd_kwh_per_kd is not None:
        out = out + model.beta_hdd_kwh_per_kd * hdd[:, 0]
    if model.beta_cdd_kwh_per_kd is not None:
        out = out + model.beta_cdd_kwh_per_kd * cdd[:, 1]
    out[~frame.temperature_valid] = np.nan
    return np.asarray(out, dtype=np.float64)


def monthly_gate_values(
    days: pd.DatetimeIndex, observed: FloatArray, predicted: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Monthly totals of observed and predicted over the days where both exist (for the monthly gate)."""
    keep = np.isfinite(observed) & np.isfinite(predicted)
    kept = days[keep]
    frame = pd.DataFrame({"y": observed[keep], "f": predicted[keep]}, index=kept)
    months = frame.groupby([kept.year, kept.month]).sum()
    return months["y"].to_numpy(dtype=np.float64), months["f"].to_numpy(dtype=np.float64)


def series_points(days: pd.DatetimeIndex, observed: FloatArray, predicted: FloatArray) -> SeriesPoints:
    """Chart points (each period's local start date, ISO 8601), ``None`` where a value is missing."""

    def clean(values: FloatArray) -> tuple[float | None, ...]:
        return tuple(float(v) if np.isfinite(v) else None for v in values)

    local_days = np.datetime_as_string(days.tz_localize(None).to_numpy(), unit="D")
    return SeriesPoints(tuple(str(d) for d in local_days), clean(observed), clean(predicted))


def caltrack_daily(
    usage: pd.Series,
    temperature_c: pd.Series,
    baseline: Period,
    *,
    degree_day_method: str = DEFAULT_DEGREE_DAYS,
    allow_insufficient: bool = False,
    zero_is_missing: bool = True,
) -> BaselineFit:
    """Fit the CalTRACK 2.0 daily baseline model.

    Parameters
    ----------
    usage : pandas.Series
        Daily or hourly consumption [kWh per interval] on a time-zone aware index of interval starts;
        hourly data is summed to whole days.
    temperature_c : pandas.Series
        Hourly outdoor air temperature [°C].
    baseline : Period
        The baseline period.
    degree_day_method : str
        ``daily_mean`` (CalTRACK) or ``hourly_integrated``.
    allow_insufficient : bool
        Fit even when a data-sufficiency rule fails (the result is flagged).
    zero_is_missing : bool
        Treat zero readings as missing (CalTRACK, for electricity).

    Returns
    -------
    BaselineFit
        With a :class:`~carbonpeak.core.mv.models.DailyModel`.

    Raises
    ------
    InsufficientDataError
        Naming the failed rule(s), unless ``allow_insufficient``.
    MvInputError
        On unusable input.

    References
    ----------
    .. [1] CalTRACK Methods 2.0, sec. 3, https://docs.caltrack.org.
    """
    frame = daily_frame(usage, temperature_c, baseline)
    sufficiency = daily_sufficiency(
        frame.days, frame.usage, frame.temperature_valid, zero_is_missing=zero_is_missing
    )
    sufficiency.require(allow_insufficient=allow_insufficient)
    return _fit_frame(frame, baseline, sufficiency, degree_day_method, zero_is_missing)


def _fit_frame(
    frame: DailyFrame,
    baseline: Period,
    sufficiency: Sufficiency,
    degree_day_method: str,
    zero_is_missing: bool,
) -> BaselineFit:
    keep = _fit_mask(frame, zero_is_missing)
    if keep.sum() < 3:
        raise MvInputError("fewer than three baseline days with meter data and temperature: nothing to fit")
    hdd, cdd = degree_days(degree_day_method, frame.hours_c[keep], BALANCE_POINTS_C)
    y = frame.usage[keep]
    model, _, _ = _select(y, hdd, cdd, 365.0)
    if model is None:  # constant consumption: the intercept fits exactly
        model = DailyModel("intercept_only", float(y.mean()), None, None, None, None, 0.0, 1, "")
    model = DailyModel(
        model.model_type,
        model.intercept_kwh_per_day,
        model.beta_hdd_kwh_per_kd,
        model.beta_cdd_kwh_per_kd,
        model.heating_balance_c,
        model.cooling_balance_c,
        model.adj_r_squared,
        model.candidates_qualified,
        degree_day_method,
    )
    predicted = predict_daily(model, frame)
    observed = np.where(keep, frame.usage, np.nan)
    p = N_PARAMETERS[model.model_type]
    flags = [] if sufficiency.sufficient else [f"insufficient_data: {', '.join(sufficiency.failed)}"]
    months_y, months_f = monthly_gate_values(frame.days, observed, predicted)
    gates = (g14_gate("monthly", months_y, months_f, p),)
    r2 = r_squared(observed, predicted)
    return BaselineFit(
        method="caltrack_daily",
        resolution="daily",
        model=model,
        period=baseline,
        n=int(keep.sum()),
        n_parameters=p,
        cvrmse=cvrmse(observed, predicted, p),
        nmbe=nmbe(observed, predicted, p),
        r_squared=r2,
        autocorrelation=lag1_autocorrelation(observed - predicted),
        sufficiency=sufficiency,
        gates=gates,
        flags=tuple(flags),
        degree_days=degree_day_method,
        series=series_points(frame.days, np.where(np.isfinite(frame.usage), frame.usage, np.nan), predicted),
    )
