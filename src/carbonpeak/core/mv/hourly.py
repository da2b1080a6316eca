"""CalTRACK 2.0 hourly model: time-of-week and temperature (TOWT), one model per calendar month.

For each calendar month the baseline hours of that month get weight 1 and those of the two neighbouring
months weight 0.5. On that weighted segment:

1. occupancy: a WLS fit of consumption on heating and cooling degree-hours (bases 50 °F = 10 °C and
   65 °F ≈ 18.33 °C); an hour of the week is *occupied* when more than 65 % of its points are
   under-predicted (observed above fitted);
2. temperature bins with edges 30/45/55/65/75/90 °F (−1.11, 7.22, 12.78, 18.33, 23.89, 32.22 °C); a bin
   with fewer than 20 hours is merged with its neighbour;
3. a WLS regression on 168 time-of-week indicators plus a piecewise-linear temperature term per bin,
   separately for occupied and unoccupied hours.

References
----------
.. [1] CalTRACK Methods 2.0, sec. 4 (hourly methods), https://docs.caltrack.org.
.. [2] Mathieu, J. L., Price, P. N., Kiliccote, S. and Piette, M. A. (2011), "Quantifying changes in
   building electricity use, with application to demand response", IEEE Trans. Smart Grid 2(3), 507-518.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbonpeak.core.mv import MvInputError
from carbonpeak.core.mv.daily import monthly_gate_values, series_points
from carbonpeak.core.mv.data import (
    HOURLY,
    Period,
    check_series,
    daily_usage,
    day_index,
    frequency,
    hour_index,
    hourly_temperature,
)
from carbonpeak.core.mv.metrics import cvrmse, g14_gate, lag1_autocorrelation, nmbe, r_squared
from carbonpeak.core.mv.models import HourlyModel, MonthModel
from carbonpeak.core.mv.results import BaselineFit
from carbonpeak.core.mv.sufficiency import Sufficiency, daily_sufficiency, monthly_coverage_check

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

BIN_EDGES_C = tuple(round((f - 32.0) / 1.8, 4) for f in (30.0, 45.0, 55.0, 65.0, 75.0, 90.0))
"""CalTRACK's temperature-bin edges 30/45/55/65/75/90 °F in °C."""
MIN_BIN_HOURS = 20
OCCUPANCY_THRESHOLD = 0.65
OCCUPANCY_HDH_BASE_C = 10.0
"""50 °F."""
OCCUPANCY_CDH_BASE_C = (65.0 - 32.0) / 1.8
"""65 °F."""
NEIGHBOUR_WEIGHT = 0.5
HOURS_OF_WEEK = 168


@dataclass(frozen=True, slots=True)
class HourlyFrame:
    """Hourly observations of one period."""

    hours: pd.DatetimeIndex
    usage: FloatArray
    temperature_c: FloatArray

    @property
    def valid(self) -> BoolArray:
        """Hours with both consumption and temperature."""
        return np.asarray(np.isfinite(self.usage) & np.isfinite(self.temperature_c))

    @property
    def hour_of_week(self) -> npt.NDArray[np.intp]:
        """0 = Monday 00:00 ... 167 = Sunday 23:00."""
        return np.asarray(self.hours.day_of_week * 24 + self.hours.hour, dtype=np.intp)


def hourly_frame(usage: pd.Series, temperature_c: pd.Series, period: Period) -> HourlyFrame:
    """Checked hourly observations of ``period``; the meter data must be hourly."""
    usage = check_series(usage, "meter data")
    temperature_c = check_series(temperature_c, "temperature", allow_negative=True)
    if frequency(usage) != HOURLY:
        raise MvInputError("the hourly method needs hourly meter data")
    hours = hour_index(period, pd.DatetimeIndex(usage.index).tz)
    if len(hours) == 0:
        raise MvInputError("the period holds no whole hour")
    local = usage.tz_convert(hours.tz)
    return HourlyFrame(
        hours,
        local.reindex(hours).to_numpy(dtype=np.float64),
        hourly_temperature(temperature_c, hours),
    )


def _wls(design: FloatArray, y: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted least squares through the (small) normal equations; minimum-norm when singular (an hour
    of the week without data gets 0)."""
    weighted = design * w[:, None]
    beta, *_ = np.linalg.lstsq(weighted.T @ design, weighted.T @ y, rcond=None)
    return np.asarray(beta, dtype=np.float64)


def _occupancy(t: FloatArray, y: FloatArray, w: FloatArray, tow: npt.NDArray[np.intp]) -> BoolArray:
    design = np.column_stack(
        [
            np.ones_like(t),
            np.clip(OCCUPANCY_HDH_BASE_C - t, 0, None),
            np.clip(t - OCCUPANCY_CDH_BASE_C, 0, None),
        ]
    )
    fitted = design @ _wls(design, y, w)
    under = (y > fitted).astype(np.float64)
    weight = np.bincount(tow, weights=w, minlength=HOURS_OF_WEEK)
    share = np.bincount(tow, weights=w * under, minlength=HOURS_OF_WEEK)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(weight > 0, share / weight, 0.0)
    return np.asarray(fraction > OCCUPANCY_THRESHOLD)


def _merge_bins(t: FloatArray) -> tuple[float, ...]:
    """Inner bin edges after merging bins with fewer than :data:`MIN_BIN_HOURS` hours."""
    edges = list(BIN_EDGES_C)
    while edges:
        counts = np.histogram(t, bins=[-np.inf, *edges, np.inf])[0]
        sparse = [i for i, c in enumerate(counts) if c < MIN_BIN_HOURS]
        if not sparse:
            break
        i = sparse[0]
        # merge bin i with its upper neighbour (the last bin with its lower one)
        edges.pop(i if i < len(edges) else i - 1)
    return tuple(edges)


def _temperature_features(t: FloatArray, edges: tuple[float, ...]) -> FloatArray:
    """Piecewise-linear (segmented) temperature features, one column per bin."""
    if not edges:
        return t[:, None].copy()
    cols = [np.minimum(t, edges[0])]
    for lower, upper in itertools.pairwise(edges):
        cols.append(np.clip(np.minimum(t, upper) - lower, 0, None))
    cols.append(np.clip(t - edges[-1], 0, None))
    return np.column_stack(cols)


def _features(
    t: FloatArray, tow: npt.NDArray[np.intp], occupied: BoolArray, edges: tuple[float, ...]
) -> FloatArray:
    """Temperature columns: the bin features for occupied hours, then for unoccupied hours."""
    features = _temperature_features(t, edges)
    occ = occupied[tow].astype(np.float64)[:, None]
    return np.hstack([features * occ, features * (1.0 - occ)])


def _towt_fit(
    tow: npt.NDArray[np.intp], features: FloatArray, y: FloatArray, w: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """WLS of y on 168 time-of-week indicators plus ``features``, solved by the Schur complement.

    The indicator block of the normal equations is diagonal, so it is eliminated with ``bincount``
    and only the few temperature columns are solved densely (no large matrix products). An hour of
    the week without data gets coefficient 0.
    """
    k = features.shape[1]
    d = np.bincount(tow, weights=w, minlength=HOURS_OF_WEEK)
    present = d > 0
    inv = np.where(present, 1.0 / np.where(present, d, 1.0), 0.0)
    dy = np.bincount(tow, weights=w * y, minlength=HOURS_OF_WEEK)
    df = (
        np.column_stack(
            [np.bincount(tow, weights=w * features[:, j], minlength=HOURS_OF_WEEK) for j in range(k)]
        )
        if k
        else np.zeros((HOURS_OF_WEEK, 0))
    )
    wf = features * w[:, None]
    ff = wf.T @ features
    fy = wf.T @ y
    schur = ff - df.T @ (df * inv[:, None])
    rhs = fy - df.T @ (dy * inv)
    beta_f, *_ = np.linalg.lstsq(schur, rhs, rcond=None) if k else (np.zeros(0),)
    beta_d = (dy - df @ beta_f) * inv
    return np.asarray(beta_d, dtype=np.float64), np.asarray(beta_f, dtype=np.float64)


def _month_weights(months: npt.NDArray[np.intp], month: int) -> FloatArray:
    before = (month - 2) % 12 + 1
    after = month % 12 + 1
    return np.where(
        months == month, 1.0, np.where((months == before) | (months == after), NEIGHBOUR_WEIGHT, 0.0)
    )


def predict_hourly(model: HourlyModel, frame: HourlyFrame) -> FloatArray:
    """Consumption per hour [kWh/h]; NaN where the temperature, or the month's model, is missing."""
    out = np.full(len(frame.hours), np.nan)
    months = np.asarray(frame.hours.month, dtype=np.intp)
    tow = frame.hour_of_week
    finite_t = np.isfinite(frame.temperature_c)
    for month_model in model.months:
        rows = (months == month_model.month) & finite_t
        if not rows.any():
            continue
        occupied = np.array(month_model.occupied, dtype=bool)
        features = _features(frame.temperature_c[rows], tow[rows], occupied, month_model.bin_edges_c)
        slopes = np.concatenate([month_model.occupied_slopes, month_model.unoccupied_slopes])
        out[rows] = np.asarray(month_model.tow_kwh)[tow[rows]] + features @ slopes
    return out


def caltrack_hourly(
    usage: pd.Series,
    temperature_c: pd.Series,
    baseline: Period,
    *,
    allow_insufficient: bool = False,
    zero_is_missing: bool = True,
) -> BaselineFit:
    """Fit the CalTRACK 2.0 hourly (TOWT) baseline model.

    Parameters
    ----------
    usage : pandas.Series
        Hourly consumption [kWh per hour] on a time-zone aware index of interval starts.
    temperature_c : pandas.Series
        Hourly outdoor air temperature [°C].
    baseline : Period
        The baseline period.
    allow_insufficient, zero_is_missing : bool
        As for :func:`~carbonpeak.core.mv.daily.caltrack_daily`.

    Returns
    -------
    BaselineFit
        With a :class:`~carbonpeak.core.mv.models.HourlyModel`.

    Raises
    ------
    InsufficientDataError
        Naming the failed rule(s) (the daily rules and ``monthly_coverage``), unless
        ``allow_insufficient``.

    References
    ----------
    .. [1] CalTRACK Methods 2.0, sec. 4; Mathieu et al. (2011), IEEE Trans. Smart Grid 2(3), 507-518.
    """
    frame = hourly_frame(usage, temperature_c, baseline)
    days = day_index(baseline, frame.hours.tz)
    checked = check_series(usage, "meter data")
    per_day = daily_usage(checked, days)
    temps = pd.Series(frame.temperature_c, index=frame.hours)
    counts = temps.groupby(pd.DatetimeIndex(temps.index).normalize()).count().reindex(days).fillna(0)
    base = daily_sufficiency(days, per_day, counts.to_numpy() >= 12, zero_is_missing=zero_is_missing)
    valid = frame.valid
    if zero_is_missing:
        valid = valid & (frame.usage != 0)
    sufficiency = Sufficiency((*base.checks, monthly_coverage_check(frame.hours, valid)))
    sufficiency.require(allow_insufficient=allow_insufficient)
    months = np.asarray(frame.hours.month, dtype=np.intp)
    tow = frame.hour_of_week
    month_models = []
    sizes = []
    for month in sorted({int(m) for m in months[valid]}):
        w = _month_weights(months, month) * valid
        rows = w > 0
        t, y, ww, tw = frame.temperature_c[rows], frame.usage[rows], w[rows], tow[rows]
        occupied = _occupancy(t, y, ww, tw)
        edges = _merge_bins(t[months[rows] == month])
        features = _features(t, tw, occupied, edges)
        beta_tow, beta_t = _towt_fit(tw, features, y, ww)
        k = len(edges) + 1
        used = np.count_nonzero(np.bincount(tw, minlength=HOURS_OF_WEEK))
        sizes.append(int(used + np.count_nonzero(np.abs(features).sum(axis=0))))
        month_models.append(
            MonthModel(
                month,
                tuple(bool(o) for o in occupied),
                edges,
                tuple(float(b) for b in beta_tow),
                tuple(float(b) for b in beta_t[:k]),
                tuple(float(b) for b in beta_t[k:]),
            )
        )
    if not month_models:
        raise MvInputError("no baseline hour has both meter data and temperature: nothing to fit")
    model = HourlyModel(tuple(month_models), NEIGHBOUR_WEIGHT)
    predicted = predict_hourly(model, frame)
    observed = np.where(valid, frame.usage, np.nan)
    p = int(np.median(sizes))
    flags = [] if sufficiency.sufficient else [f"insufficient_data: {', '.join(sufficiency.failed)}"]
    daily_obs, daily_pred = _daily_sums(frame, observed, predicted, days)
    months_y, months_f = monthly_gate_values(days, daily_obs, daily_pred)
    return BaselineFit(
        method="caltrack_hourly",
        resolution="hourly",
        model=model,
        period=baseline,
        n=int(valid.sum()),
        n_parameters=p,
        cvrmse=cvrmse(observed, predicted, p),
        nmbe=nmbe(observed, predicted, p),
        r_squared=r_squared(observed, predicted),
        autocorrelation=lag1_autocorrelation(observed - predicted),
        sufficiency=sufficiency,
        gates=(g14_gate("hourly", observed, predicted, p), g14_gate("monthly", months_y, months_f, 1)),
        flags=tuple(flags),
        degree_days="",
        series=series_points(days, daily_obs, daily_pred),
    )


def _daily_sums(
    frame: HourlyFrame, observed: FloatArray, predicted: FloatArray, days: pd.DatetimeIndex
) -> tuple[FloatArray, FloatArray]:
    """Per-day sums over the hours where both exist (NaN for a day without any)."""
    both = np.isfinite(observed) & np.isfinite(predicted)
    data = pd.DataFrame(
        {"y": np.where(both, observed, 0.0), "f": np.where(both, predicted, 0.0), "n": both.astype(float)},
        index=frame.hours,
    )
    sums = data.groupby(pd.DatetimeIndex(data.index).normalize()).sum().reindex(days)
    empty = (sums["n"].fillna(0) == 0).to_numpy()
    y = np.array(sums["y"].to_numpy(dtype=np.float64))
    f = np.array(sums["f"].to_numpy(dtype=np.float64))
    y[empty] = np.nan
    f[empty] = np.nan
    return y, f
