"""The dispatcher over the published methods, predictions, and avoided energy use with its uncertainty.

Avoided energy use U = Σ (adjusted baseline − observed) over the reporting observations that have both,
less the non-routine events excluded with a reason. F = U / Σ adjusted baseline. FSU by ASHRAE
Guideline 14 (K = 1.26) and by CalTRACK's polynomial, both at the caller's confidence level.

References
----------
.. [1] ASHRAE Guideline 14-2014, sec. 4.1 (avoided energy use) and annex B (uncertainty).
.. [2] CalTRACK Methods 2.0, sec. 3.12 and 4.
.. [3] IPMVP Core Concepts (EVO 10000-1:2022), option C, non-routine adjustments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbonpeak.core.mv import MvInputError
from carbonpeak.core.mv.change_point import change_point, predict_change_point
from carbonpeak.core.mv.daily import caltrack_daily, daily_frame, predict_daily, series_points
from carbonpeak.core.mv.data import Period
from carbonpeak.core.mv.hourly import caltrack_hourly, hourly_frame, predict_hourly
from carbonpeak.core.mv.models import ChangePointModel, DailyModel, HourlyModel
from carbonpeak.core.mv.results import BaselineFit, Exclusion, SavingsResult
from carbonpeak.core.mv.uncertainty import fsu

FloatArray = npt.NDArray[np.float64]

METHODS: Mapping[str, Callable[..., BaselineFit]] = {
    "caltrack_daily": caltrack_daily,
    "caltrack_hourly": caltrack_hourly,
    "change_point": change_point,
}
"""Published methods by name."""

DAYS_PER_MONTH = 365.25 / 12.0


def fit_baseline(
    method: str, usage: pd.Series, temperature_c: pd.Series, baseline: Period, **options: Any
) -> BaselineFit:
    """Fit a baseline with the named method (see :data:`METHODS`).

    Raises
    ------
    MvInputError
        On an unknown method name.
    """
    if method not in METHODS:
        raise MvInputError(f"'{method}' is not an M&V method ({', '.join(METHODS)})")
    return METHODS[method](usage, temperature_c, baseline, **options)


def _overlaps(
    starts: pd.DatetimeIndex, step: pd.Timedelta, exclusions: Sequence[Exclusion]
) -> npt.NDArray[np.bool_]:
    mask = np.zeros(len(starts), dtype=bool)
    for event in exclusions:
        s, e = pd.Timestamp(event.start), pd.Timestamp(event.end)
        mask |= np.asarray((starts < e) & (starts + step > s))
    return np.asarray(mask)


def savings(
    fit: BaselineFit,
    usage: pd.Series,
    temperature_c: pd.Series,
    reporting: Period,
    *,
    confidence: float = 0.9,
    exclusions: Sequence[Exclusion] = (),
) -> SavingsResult:
    """Avoided energy use over ``reporting`` with the fractional savings uncertainty.

    Parameters
    ----------
    fit : BaselineFit
        The baseline model (from :func:`fit_baseline`).
    usage : pandas.Series
        Meter data covering the reporting period [kWh per interval], as for the fit.
    temperature_c : pandas.Series
        Hourly temperatures of the reporting period [°C].
    reporting : Period
        The reporting period; it must start at or after the baseline's end.
    confidence : float
        Two-sided confidence level of the FSU [-].
    exclusions : sequence of Exclusion
        Non-routine events left out, each with its reason.

    Returns
    -------
    SavingsResult
        Observed, adjusted baseline, savings [kWh], F, FSU (G14 and CalTRACK).

    References
    ----------
    .. [1] ASHRAE Guideline 14-2014, annex B; CalTRACK Methods 2.0, sec. 3.12.
    """
    if reporting.start < fit.period.end:
        raise MvInputError("the reporting period must start at or after the end of the baseline period")
    if not 0.0 < confidence < 1.0:
        raise MvInputError(f"confidence {confidence} must be between 0 and 1")
    model = fit.model
    flags = list(fit.flags)
    if isinstance(model, HourlyModel):
        frame = hourly_frame(usage, temperature_c, reporting)
        starts, step = frame.hours, pd.Timedelta(hours=1)
        observed, predicted = frame.usage, predict_hourly(model, frame)
        days = pd.DatetimeIndex(starts.normalize().unique())
    else:
        dframe = daily_frame(usage, temperature_c, reporting)
        starts, step, days = dframe.days, pd.Timedelta(days=1), dframe.days
        observed = dframe.usage
        if isinstance(model, DailyModel):
            predicted = predict_daily(model, dframe)
        else:
            predicted = _predict_cp(model, dframe.days, dframe.mean_c)
    excluded: npt.NDArray[np.bool_] = _overlaps(starts, step, exclusions)
    have = np.isfinite(observed) & np.isfinite(predicted)
    counted = have & ~excluded
    missing = int((~have & ~excluded).sum())
    if not counted.any():
        raise MvInputError("no reporting observation has meter data, temperature and no exclusion")
    y = float(observed[counted].sum())
    f = float(predicted[counted].sum())
    u = f - y
    fraction = u / f if f != 0 else float("nan")
    counted_days = counted.sum() * (step / pd.Timedelta(days=1))
    months = float(counted_days / DAYS_PER_MONTH)
    if isinstance(model, ChangePointModel) and model.resolution == "monthly":
        m = int(pd.Series(counted, index=starts).groupby([starts.year, starts.month]).any().sum())
        polynomial = "billing"
    else:
        m = int(counted.sum())
        polynomial = "daily"
    rho = min(max(fit.autocorrelation, -0.99), 0.99)
    g14 = caltrack = float("nan")
    if np.isfinite(fraction):
        g14 = fsu(
            cvrmse=fit.cvrmse,
            savings_fraction=fraction,
            n=fit.n,
            m=m,
            n_parameters=fit.n_parameters,
            rho=rho,
            confidence=confidence,
        )
        caltrack = fsu(
            cvrmse=fit.cvrmse,
            savings_fraction=fraction,
            n=fit.n,
            m=m,
            n_parameters=fit.n_parameters,
            rho=rho,
            confidence=confidence,
            variant="caltrack",
            reporting_months=months,
            polynomial=polynomial,
        )
    if missing:
        flags.append(f"reporting_missing: {missing} observations without meter data or temperature")
    if exclusions:
        flags.append(f"non_routine_excluded: {int(excluded.sum())} observations")
    if not fit.gates_passed:
        flags.append("baseline_gate_failed")
    obs_series = np.where(counted, observed, np.nan)
    pred_series = np.where(counted, predicted, np.nan)
    if isinstance(model, HourlyModel):
        obs_series, pred_series = _daily(starts, obs_series, days), _daily(starts, pred_series, days)
    series = series_points(days, obs_series, pred_series)
    return SavingsResult(
        fit=fit,
        period=reporting,
        m=m,
        reporting_months=round(months, 4),
        observed_kwh=y,
        predicted_kwh=f,
        savings_kwh=u,
        savings_fraction=fraction,
        fsu=g14,
        fsu_caltrack=caltrack,
        confidence=confidence,
        exclusions=tuple(exclusions),
        excluded_observations=int(excluded.sum()),
        missing_observations=missing,
        flags=tuple(flags),
        series=series,
    )


def _predict_cp(model: ChangePointModel, days: pd.DatetimeIndex, mean_c: FloatArray) -> FloatArray:
    """Daily predictions of a change-point model (monthly models at each month's mean temperature)."""
    if model.resolution == "daily":
        return predict_change_point(model, mean_c)
    temps = pd.Series(mean_c, index=days)
    monthly = temps.groupby([days.year, days.month]).transform("mean").to_numpy(dtype=np.float64)
    return predict_change_point(model, monthly)


def _daily(hours: pd.DatetimeIndex, values: FloatArray, days: pd.DatetimeIndex) -> FloatArray:
    data = pd.Series(values, index=hours)
    key = pd.DatetimeIndex(data.index).normalize()
    sums = data.groupby(key).sum(min_count=1).reindex(days)
    return np.asarray(sums.to_numpy(dtype=np.float64), dtype=np.float64)


def measure_savings(
    method: str,
    usage: pd.Series,
    temperature_c: pd.Series,
    *,
    baseline: Period,
    reporting: Period,
    confidence: float = 0.9,
    exclusions: Sequence[Exclusion] = (),
    **options: Any,
) -> SavingsResult:
    """Fit the named method on ``baseline`` and measure the savings over ``reporting``.

    ``options`` go to the method (e.g. ``allow_insufficient=True``, ``degree_day_method=...``).
    """
    fit = fit_baseline(method, usage, temperature_c, baseline, **options)
    return savings(fit, usage, temperature_c, reporting, confidence=confidence, exclusions=exclusions)


# ASHRAE Guideline 14-2014 compliance: the savings uncertainty must be below 50 % of the reported savings
# at 68 % confidence (FSU <= 0.5 at 68 %), and the baseline model must meet the calibration criteria.
G14_MAX_FSU = 0.5
G14_FSU_CONFIDENCE = 0.68


def savings_gate(result: SavingsResult) -> tuple[bool, str]:
    """Whether measured savings pass ASHRAE Guideline 14: baseline gates and FSU ≤ 50 % at 68 %.

    Returns
    -------
    (bool, str)
        The verdict and, when it fails, the reason in words.

    References
    ----------
    .. [1] ASHRAE Guideline 14-2014, sec. 4.2 (compliance: uncertainty below 50 % of savings at 68 %
       confidence) and sec. 6.3.3.4.2.2 (calibration criteria).
    """
    failed = [g for g in result.fit.gates if not g.passed]
    if failed:
        gate = failed[0]
        return False, (
            f"baseline fails the {gate.resolution} Guideline 14 gate (CV(RMSE) {gate.cvrmse:.1%} against "
            f"{gate.cvrmse_limit:.0%}, NMBE {gate.nmbe:.1%} against ±{gate.nmbe_limit:.0%})"
        )
    fraction = result.savings_fraction
    if not np.isfinite(fraction) or fraction <= 0:
        return False, "no measured savings"
    fit = result.fit
    value = fsu(
        cvrmse=fit.cvrmse,
        savings_fraction=fraction,
        n=fit.n,
        m=result.m,
        n_parameters=fit.n_parameters,
        rho=min(max(fit.autocorrelation, -0.99), 0.99),
        confidence=G14_FSU_CONFIDENCE,
    )
    if not np.isfinite(value) or value > G14_MAX_FSU:
        return False, f"savings uncertainty {value:.0%} at 68 % confidence is above 50 % (Guideline 14)"
    return True, ""
