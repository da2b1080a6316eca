"""Goodness of fit and ASHRAE Guideline 14 calibration gates.

CV(RMSE) = √(Σ(yᵢ − ŷᵢ)² / (n − p)) / ȳ and NMBE = Σ(yᵢ − ŷᵢ) / ((n − p)·ȳ), both as fractions, with
``p`` the number of model parameters (the degrees-of-freedom adjustment of Guideline 14).

References
----------
.. [1] ASHRAE Guideline 14-2014, *Measurement of Energy, Demand, and Water Savings*, sec. 4.3.2.4 and
   5.3.2.4 (CV(RMSE), NMBE) and sec. 6.3.3.4.2.2 (calibration criteria).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from carbonpeak.core.mv import MvInputError

FloatArray = npt.NDArray[np.float64]

# ASHRAE Guideline 14-2014 calibration criteria: monthly |NMBE| <= 5 % and CV(RMSE) <= 15 %;
# hourly |NMBE| <= 10 % and CV(RMSE) <= 30 % (fractions below).
G14_GATES: dict[str, tuple[float, float]] = {"monthly": (0.05, 0.15), "hourly": (0.10, 0.30)}
"""Resolution → (|NMBE| limit, CV(RMSE) limit) [-], ASHRAE Guideline 14-2014."""


def _pair(observed: FloatArray, predicted: FloatArray) -> tuple[FloatArray, FloatArray]:
    y = np.asarray(observed, dtype=np.float64)
    f = np.asarray(predicted, dtype=np.float64)
    if y.shape != f.shape:
        raise MvInputError("observed and predicted values must have the same length")
    keep = np.isfinite(y) & np.isfinite(f)
    return y[keep], f[keep]


def cvrmse(observed: FloatArray, predicted: FloatArray, n_parameters: int) -> float:
    """Coefficient of variation of the RMSE with the dof adjustment [-] (NaN if undefined)."""
    y, f = _pair(observed, predicted)
    n = len(y)
    if n <= n_parameters or y.mean() == 0:
        return float("nan")
    return float(np.sqrt(np.sum((y - f) ** 2) / (n - n_parameters)) / y.mean())


def nmbe(observed: FloatArray, predicted: FloatArray, n_parameters: int) -> float:
    """Normalised mean bias error with the dof adjustment [-] (NaN if undefined)."""
    y, f = _pair(observed, predicted)
    n = len(y)
    if n <= n_parameters or y.mean() == 0:
        return float("nan")
    return float(np.sum(y - f) / ((n - n_parameters) * y.mean()))


def r_squared(observed: FloatArray, predicted: FloatArray) -> float:
    """Coefficient of determination [-]."""
    y, f = _pair(observed, predicted)
    total = float(np.sum((y - y.mean()) ** 2))
    if total == 0:
        return 0.0
    return 1.0 - float(np.sum((y - f) ** 2)) / total


def adjusted_r_squared(r2: float, n: int, n_predictors: int) -> float:
    """Adjusted R² = 1 − (1 − R²)(n − 1)/(n − k − 1) with ``k`` predictors besides the intercept."""
    if n - n_predictors - 1 <= 0:
        return float("nan")
    return 1.0 - (1.0 - r2) * (n - 1) / (n - n_predictors - 1)


def lag1_autocorrelation(residuals: FloatArray) -> float:
    """Lag-1 autocorrelation ρ of residuals in time order [-] (missing values skipped pairwise)."""
    r = np.asarray(residuals, dtype=np.float64)
    a, b = r[:-1], r[1:]
    keep = np.isfinite(a) & np.isfinite(b)
    finite = r[np.isfinite(r)]
    if keep.sum() < 2 or finite.size < 3:
        return 0.0
    centred = finite - finite.mean()
    denominator = float(np.sum(centred**2))
    if denominator == 0:
        return 0.0
    mean = finite.mean()
    return float(np.sum((a[keep] - mean) * (b[keep] - mean)) / denominator)


@dataclass(frozen=True, slots=True)
class Gate:
    """One ASHRAE Guideline 14 calibration check at one resolution."""

    resolution: str
    """``monthly`` or ``hourly``."""
    n: int
    cvrmse: float
    nmbe: float
    cvrmse_limit: float
    nmbe_limit: float
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gate:
        """Inverse of :meth:`to_dict`."""
        return cls(**data)


def g14_gate(resolution: str, observed: FloatArray, predicted: FloatArray, n_parameters: int) -> Gate:
    """Guideline 14 calibration gate at ``resolution`` (``monthly`` or ``hourly``).

    References
    ----------
    .. [1] ASHRAE Guideline 14-2014, sec. 6.3.3.4.2.2: monthly NMBE ±5 % and CV(RMSE) 15 %; hourly
       NMBE ±10 % and CV(RMSE) 30 %.
    """
    if resolution not in G14_GATES:
        raise MvInputError(f"'{resolution}' is not a Guideline 14 resolution ({', '.join(G14_GATES)})")
    nmbe_limit, cv_limit = G14_GATES[resolution]
    y, _ = _pair(observed, predicted)
    cv = cvrmse(observed, predicted, n_parameters)
    bias = nmbe(observed, predicted, n_parameters)
    passed = bool(np.isfinite(cv) and np.isfinite(bias) and cv <= cv_limit and abs(bias) <= nmbe_limit)
    return Gate(resolution, len(y), cv, bias, cv_limit, nmbe_limit, passed)
