"""ASHRAE Guideline 14 change-point models (3P heating, 3P cooling, 4P, 5P), daily or monthly.

Consumption per day y is regressed on the mean outdoor temperature T [°C] of each day (``daily``) or of
each calendar month (``monthly``, y the month's mean consumption per day over its days with data).
Change points are found by a grid search (0.25 °C over the 2nd-98th percentile of T) with every OLS
solved in closed form, then refined by Nelder-Mead on the residual sum of squares. A shape qualifies
when its slopes are positive (consumption rises away from the change points); among ``auto`` candidates
the qualified shape with the highest adjusted R² wins, counting change points as parameters (3P: p = 3,
4P: p = 4, 5P: p = 5, as Guideline 14 does for the CV(RMSE)).

References
----------
.. [1] ASHRAE Guideline 14-2014, sec. 5.3.2.4 and annex D (inverse change-point models).
.. [2] Kissock, J. K., Haberl, J. S. and Claridge, D. E. (2003), "Inverse Modeling Toolkit: numerical
   algorithms", ASHRAE Transactions 109(2), 425-434 (ASHRAE RP-1050).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize

from carbonpeak.core.mv import MvInputError
from carbonpeak.core.mv.daily import DailyFrame, daily_frame, monthly_gate_values, series_points
from carbonpeak.core.mv.data import DAILY, MONTHLY, Period
from carbonpeak.core.mv.metrics import (
    adjusted_r_squared,
    cvrmse,
    g14_gate,
    lag1_autocorrelation,
    nmbe,
    r_squared,
)
from carbonpeak.core.mv.models import ChangePointModel
from carbonpeak.core.mv.results import BaselineFit
from carbonpeak.core.mv.sufficiency import daily_sufficiency

FloatArray = npt.NDArray[np.float64]

SHAPES = ("3p_heating", "3p_cooling", "4p", "5p")
N_PARAMETERS = {"3p_heating": 3, "3p_cooling": 3, "4p": 4, "5p": 5}
GRID_STEP_C = 0.25
MIN_MONTHS = 9
"""A monthly change-point fit needs at least 9 months (ASHRAE Guideline 14 uses 12 billing periods)."""


def _design(shape: str, x: FloatArray, cp: tuple[float, float]) -> FloatArray:
    h, c = cp
    ones = np.ones_like(x)
    if shape == "3p_heating":
        return np.column_stack([ones, np.clip(h - x, 0, None)])
    if shape == "3p_cooling":
        return np.column_stack([ones, np.clip(x - c, 0, None)])
    if shape == "4p":
        return np.column_stack([ones, np.clip(h - x, 0, None), np.clip(x - h, 0, None)])
    return np.column_stack([ones, np.clip(h - x, 0, None), np.clip(x - c, 0, None)])


def _ols(
    shape: str, x: FloatArray, y: FloatArray, w: FloatArray, cp: tuple[float, float]
) -> tuple[FloatArray, float]:
    design = _design(shape, x, cp)
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(design * sw[:, None], y * sw, rcond=None)
    resid = y - design @ beta
    return np.asarray(beta, dtype=np.float64), float(np.sum(w * resid**2))


def _grid_search(
    shape: str, x: FloatArray, y: FloatArray, w: FloatArray, grid: FloatArray
) -> tuple[tuple[float, float], float] | None:
    """Best qualified change point(s) on the grid, by weighted SSE, from closed-form normal equations."""
    sw = w / w.sum()
    y_mean = float(sw @ y)
    yc = y - y_mean
    syy = float(sw @ (yc * yc))
    heat = np.clip(grid[None, :] - x[:, None], 0, None)
    cool = np.clip(x[:, None] - grid[None, :], 0, None)

    def centred(m: FloatArray) -> tuple[FloatArray, FloatArray]:
        mean = sw @ m
        return m - mean, mean

    hc, _ = centred(heat)
    cc, _ = centred(cool)
    shh, scc = sw @ (hc * hc), sw @ (cc * cc)
    shy, scy = (hc * sw[:, None]).T @ yc, (cc * sw[:, None]).T @ yc
    best: tuple[tuple[float, float], float] | None = None
    with np.errstate(divide="ignore", invalid="ignore"):
        if shape in ("3p_heating", "3p_cooling"):
            s_xx, s_xy = (shh, shy) if shape == "3p_heating" else (scc, scy)
            beta = s_xy / s_xx
            ok = np.isfinite(beta) & (beta > 0) & (s_xx > 0)
            if not ok.any():
                return None
            sse = np.where(ok, syy - beta * s_xy, np.inf)
            k = int(np.argmin(sse))
            return (float(grid[k]), float(grid[k])), float(sse[k])
        if shape == "4p":
            shc = np.einsum("n,ng,ng->g", sw, hc, cc)
            det = shh * scc - shc**2
            bh = (scc * shy - shc * scy) / det
            bc = (shh * scy - shc * shy) / det
            ok = np.isfinite(bh) & np.isfinite(bc) & (bh > 0) & (bc > 0) & (det > 0)
            if not ok.any():
                return None
            sse = np.where(ok, syy - bh * shy - bc * scy, np.inf)
            k = int(np.argmin(sse))
            return (float(grid[k]), float(grid[k])), float(sse[k])
        shc2 = (hc * sw[:, None]).T @ cc
        det2 = shh[:, None] * scc[None, :] - shc2**2
        bh2 = (scc[None, :] * shy[:, None] - shc2 * scy[None, :]) / det2
        bc2 = (shh[:, None] * scy[None, :] - shc2 * shy[:, None]) / det2
        ok2 = (
            (grid[:, None] < grid[None, :])
            & np.isfinite(bh2)
            & np.isfinite(bc2)
            & (bh2 > 0)
            & (bc2 > 0)
            & (det2 > 0)
        )
        if not ok2.any():
            return None
        sse2 = np.where(ok2, syy - bh2 * shy[:, None] - bc2 * scy[None, :], np.inf)
        i, j = np.unravel_index(int(np.argmin(sse2)), sse2.shape)
        best = ((float(grid[i]), float(grid[j])), float(sse2[i, j]))
    return best


def _refine(
    shape: str, x: FloatArray, y: FloatArray, w: FloatArray, start: tuple[float, float]
) -> tuple[tuple[float, float], FloatArray]:
    """Nelder-Mead on the change point(s) from the grid optimum, keeping only qualified solutions."""
    lo, hi = float(np.min(x)), float(np.max(x))

    def cps(v: FloatArray) -> tuple[float, float]:
        if shape == "5p":
            return float(v[0]), float(v[1])
        return float(v[0]), float(v[0])

    def objective(v: FloatArray) -> float:
        cp = cps(v)
        if not (lo <= cp[0] <= hi and lo <= cp[1] <= hi) or cp[0] > cp[1]:
            return float("inf")
        beta, sse = _ols(shape, x, y, w, cp)
        if np.any(beta[1:] <= 0):
            return float("inf")
        return sse

    x0 = np.array(
        [start[0], start[1]] if shape == "5p" else [start[0] if shape != "3p_cooling" else start[1]]
    )
    result = optimize.minimize(objective, x0, method="Nelder-Mead", options={"xatol": 1e-3, "fatol": 1e-9})
    best = cps(result.x) if np.isfinite(result.fun) and result.fun <= objective(x0) else cps(x0)
    beta, _ = _ols(shape, x, y, w, best)
    return best, beta


def _model(
    shape: str, resolution: str, cp: tuple[float, float], beta: FloatArray, adj: float
) -> ChangePointModel:
    heat = shape in ("3p_heating", "4p", "5p")
    cool = shape in ("3p_cooling", "4p", "5p")
    heat_slope = float(beta[1]) if heat else None
    cool_slope = float(beta[2] if shape in ("4p", "5p") else beta[1]) if cool else None
    return ChangePointModel(
        shape=shape,
        resolution=resolution,
        intercept_kwh_per_day=float(beta[0]),
        heating_slope_kwh_per_day_k=heat_slope,
        cooling_slope_kwh_per_day_k=cool_slope,
        heating_change_c=cp[0] if heat else None,
        cooling_change_c=(cp[0] if shape == "4p" else cp[1]) if cool else None,
        adj_r_squared=adj,
    )


def predict_change_point(model: ChangePointModel, temperature_c: FloatArray) -> FloatArray:
    """Consumption per day [kWh/d] at mean temperatures [°C] (NaN where the temperature is)."""
    x = np.asarray(temperature_c, dtype=np.float64)
    out = np.full(x.shape, model.intercept_kwh_per_day)
    if model.heating_slope_kwh_per_day_k is not None and model.heating_change_c is not None:
        out = out + model.heating_slope_kwh_per_day_k * np.clip(model.heating_change_c - x, 0, None)
    if model.cooling_slope_kwh_per_day_k is not None and model.cooling_change_c is not None:
        out = out + model.cooling_slope_kwh_per_day_k * np.clip(x - model.cooling_change_c, 0, None)
    return np.asarray(out, dtype=np.float64)


def monthly_points(frame: DailyFrame, keep: npt.NDArray[np.bool_]) -> pd.DataFrame:
    """Per calendar month: mean consumption per day ``y``, mean temperature ``x``, days with data ``w``,
    days in the period ``days`` (index: the month's first day in the frame)."""
    data = pd.DataFrame(
        {
            "y": np.where(keep, frame.usage, np.nan),
            "x": np.where(keep, frame.mean_c, np.nan),
            "t": frame.mean_c,
        },
        index=frame.days,
    )
    key = [frame.days.year, frame.days.month]
    grouped = data.groupby(key)
    out = pd.DataFrame(
        {
            "y": grouped["y"].mean(),
            "x": grouped["x"].mean(),
            "t": grouped["t"].mean(),
            "w": grouped["y"].count(),
            "days": grouped["t"].size(),
        }
    )
    out.index = pd.DatetimeIndex(
        [frame.days[(frame.days.year == yy) & (frame.days.month == mm)][0] for yy, mm in out.index]
    )
    return out


def change_point(
    usage: pd.Series,
    temperature_c: pd.Series,
    baseline: Period,
    *,
    resolution: str = DAILY,
    shape: str = "auto",
    allow_insufficient: bool = False,
    zero_is_missing: bool = True,
) -> BaselineFit:
    """Fit an ASHRAE Guideline 14 change-point baseline model.

    Parameters
    ----------
    usage : pandas.Series
        Daily or hourly consumption [kWh per interval] on a time-zone aware index of interval starts.
    temperature_c : pandas.Series
        Hourly outdoor air temperature [°C].
    baseline : Period
        The baseline period.
    resolution : str
        ``daily`` or ``monthly``.
    shape : str
        ``auto`` (best qualified) or one of ``3p_heating``, ``3p_cooling``, ``4p``, ``5p``.
    allow_insufficient, zero_is_missing : bool
        As for :func:`~carbonpeak.core.mv.daily.caltrack_daily`.

    Returns
    -------
    BaselineFit
        With a :class:`~carbonpeak.core.mv.models.ChangePointModel`.

    Raises
    ------
    InsufficientDataError
        Naming the failed rule(s), unless ``allow_insufficient``.
    MvInputError
        On an unknown shape or resolution, or when no shape qualifies.

    References
    ----------
    .. [1] ASHRAE Guideline 14-2014, annex D; Kissock et al. (2003), ASHRAE RP-1050.
    """
    if resolution not in (DAILY, MONTHLY):
        raise MvInputError(f"'{resolution}' is not a change-point resolution (daily, monthly)")
    shapes = SHAPES if shape == "auto" else (shape,)
    if shape != "auto" and shape not in SHAPES:
        raise MvInputError(f"'{shape}' is not a change-point shape (auto, {', '.join(SHAPES)})")
    frame = daily_frame(usage, temperature_c, baseline)
    sufficiency = daily_sufficiency(
        frame.days, frame.usage, frame.temperature_valid, zero_is_missing=zero_is_missing
    )
    sufficiency.require(allow_insufficient=allow_insufficient)
    keep = np.isfinite(frame.usage) & frame.temperature_valid
    if zero_is_missing:
        keep &= frame.usage != 0
    if resolution == DAILY:
        x, y, w = frame.mean_c[keep], frame.usage[keep], np.ones(int(keep.sum()))
    else:
        months = monthly_points(frame, keep)
        months = months[months["w"] > 0]
        if len(months) < MIN_MONTHS and not allow_insufficient:
            raise MvInputError(
                f"{len(months)} months with data; a monthly change-point fit needs {MIN_MONTHS}"
            )
        x, y, w = (months[c].to_numpy(dtype=np.float64) for c in ("x", "y", "w"))
    if len(y) < 6:
        raise MvInputError("fewer than six baseline observations: nothing to fit")
    grid = np.arange(np.floor(np.percentile(x, 2) * 4) / 4, np.percentile(x, 98) + GRID_STEP_C, GRID_STEP_C)
    best: tuple[float, str, tuple[float, float], FloatArray] | None = None
    for name in shapes:
        found = _grid_search(name, x, y, w, grid)
        if found is None:
            continue
        cp, beta = _refine(name, x, y, w, found[0])
        fitted = _design(name, x, cp) @ beta
        adj = adjusted_r_squared(r_squared(y, fitted), len(y), N_PARAMETERS[name] - 1)
        if best is None or adj > best[0]:
            best = (adj, name, cp, beta)
    if best is None:
        raise MvInputError(f"no change-point shape qualifies ({', '.join(shapes)}): slopes are not positive")
    adj, name, cp, beta = best
    model = _model(name, resolution, cp, beta, adj)
    p = N_PARAMETERS[name]
    flags = [] if sufficiency.sufficient else [f"insufficient_data: {', '.join(sufficiency.failed)}"]
    if resolution == DAILY:
        predicted = predict_change_point(model, frame.mean_c)
        observed = np.where(keep, frame.usage, np.nan)
        months_y, months_f = monthly_gate_values(frame.days, observed, predicted)
        series = series_points(frame.days, frame.usage, predicted)
        obs, pred = observed, predicted
    else:
        pred_m = predict_change_point(model, months["t"].to_numpy(dtype=np.float64))
        obs = months["y"].to_numpy(dtype=np.float64) * months["days"].to_numpy(dtype=np.float64)
        pred = pred_m * months["days"].to_numpy(dtype=np.float64)
        months_y, months_f = obs, pred
        series = series_points(pd.DatetimeIndex(months.index), obs, pred)
    return BaselineFit(
        method="change_point",
        resolution=resolution,
        model=model,
        period=baseline,
        n=len(y),
        n_parameters=p,
        cvrmse=cvrmse(obs, pred, p),
        nmbe=nmbe(obs, pred, p),
        r_squared=r_squared(obs, pred),
        autocorrelation=lag1_autocorrelation(obs - pred),
        sufficiency=sufficiency,
        gates=(g14_gate("monthly", months_y, months_f, p),),
        flags=tuple(flags),
        degree_days="",
        series=series,
    )
