"""Fractional savings uncertainty (FSU), ASHRAE Guideline 14 and the CalTRACK polynomial variant.

FSU = K · t · CV · √((n/n′)(1 + 2/n′)/m) / F, with n′ = n(1 − ρ)/(1 + ρ), t Student's t at the two-sided
confidence level with n′ − p degrees of freedom, CV the baseline CV(RMSE), F the savings fraction, m the
reporting observations and K = 1.26 (Guideline 14) or a·M² + b·M + d (CalTRACK, M reporting months).
Portfolio FSU = √(Σ ΔUᵢ²) / Σ Uᵢ with ΔUᵢ = FSUᵢ·Uᵢ.

References
----------
.. [1] ASHRAE Guideline 14-2014, annex B, eq. B-14 (savings uncertainty with autocorrelation).
.. [2] Reddy, T. A. and Claridge, D. E. (2000), "Uncertainty of 'measured' energy savings from statistical
   baseline models", HVAC&R Research 6(1), 3-20.
.. [3] CalTRACK Methods 2.0, sec. 3.12 (the empirical polynomial in place of 1.26).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from scipy import stats

from carbonpeak.core.mv import MvInputError

G14_CONSTANT = 1.26
"""The empirical constant of ASHRAE Guideline 14-2014, annex B."""

CALTRACK_POLYNOMIALS: Mapping[str, tuple[float, float, float]] = {
    "daily": (-0.00024, 0.03535, 1.00286),
    "billing": (-0.00022, 0.03306, 0.94054),
}
"""CalTRACK's (a, b, d) of K = a·M² + b·M + d, by baseline resolution (CalTRACK Methods 2.0)."""

FSU_VARIANTS = ("g14", "caltrack")


def effective_n(n: int, rho: float) -> float:
    """n′ = n(1 − ρ)/(1 + ρ), the number of independent observations [-]."""
    if not -1.0 < rho < 1.0:
        raise MvInputError(f"autocorrelation {rho} must be between -1 and 1")
    return n * (1.0 - rho) / (1.0 + rho)


def fsu(
    *,
    cvrmse: float,
    savings_fraction: float,
    n: int,
    m: int,
    n_parameters: int,
    rho: float = 0.0,
    confidence: float = 0.9,
    variant: str = "g14",
    reporting_months: float | None = None,
    polynomial: str = "daily",
) -> float:
    """Fractional savings uncertainty [-] (ΔU/U at the confidence level).

    Parameters
    ----------
    cvrmse : float
        Baseline CV(RMSE) [-].
    savings_fraction : float
        F, savings over adjusted baseline [-]; its sign is ignored.
    n, m : int
        Baseline and reporting observations [-].
    n_parameters : int
        Model parameters p [-].
    rho : float
        Lag-1 autocorrelation of the baseline residuals [-].
    confidence : float
        Two-sided confidence level, e.g. 0.9 [-].
    variant : str
        ``g14`` (K = 1.26) or ``caltrack`` (K = a·M² + b·M + d).
    reporting_months : float, optional
        M [months], needed by ``caltrack``.
    polynomial : str
        ``daily`` or ``billing`` coefficients for ``caltrack``.

    Returns
    -------
    float
        FSU [-]; ``inf`` when F is 0, NaN when n′ − p ≤ 0.

    References
    ----------
    .. [1] ASHRAE Guideline 14-2014, annex B; CalTRACK Methods 2.0, sec. 3.12.
    """
    if variant not in FSU_VARIANTS:
        raise MvInputError(f"'{variant}' is not an FSU variant ({', '.join(FSU_VARIANTS)})")
    if not 0.0 < confidence < 1.0:
        raise MvInputError(f"confidence {confidence} must be between 0 and 1")
    if n <= 0 or m <= 0:
        raise MvInputError("FSU needs baseline and reporting observations")
    n_eff = effective_n(n, rho)
    dof = n_eff - n_parameters
    if dof <= 0 or not math.isfinite(cvrmse):
        return float("nan")
    if savings_fraction == 0:
        return float("inf")
    if variant == "g14":
        k = G14_CONSTANT
    else:
        if reporting_months is None or reporting_months <= 0:
            raise MvInputError("the CalTRACK FSU variant needs the number of reporting months")
        if polynomial not in CALTRACK_POLYNOMIALS:
            raise MvInputError(
                f"'{polynomial}' is not a CalTRACK polynomial ({', '.join(CALTRACK_POLYNOMIALS)})"
            )
        a, b, d = CALTRACK_POLYNOMIALS[polynomial]
        k = a * reporting_months**2 + b * reporting_months + d
    t = float(stats.t.ppf(0.5 + confidence / 2.0, dof))
    return k * t * cvrmse * math.sqrt((n / n_eff) * (1.0 + 2.0 / n_eff) / m) / abs(savings_fraction)


def portfolio_fsu(savings: Sequence[float], fsus: Sequence[float]) -> float:
    """Portfolio FSU = √(Σ (FSUᵢ·Uᵢ)²) / Σ Uᵢ [-] over projects' savings Uᵢ.

    References
    ----------
    .. [1] CalTRACK Methods 2.0, sec. 3.12.3 (aggregation of savings uncertainty).
    """
    if len(savings) != len(fsus) or not savings:
        raise MvInputError("portfolio FSU needs one FSU per project's savings")
    total = float(sum(savings))
    if total == 0:
        return float("inf")
    return math.sqrt(sum((f * u) ** 2 for u, f in zip(savings, fsus, strict=True))) / abs(total)
