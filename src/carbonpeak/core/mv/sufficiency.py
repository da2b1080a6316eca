"""Baseline data sufficiency as a value: each CalTRACK rule, its measured value, its limit and the verdict.

Rules (CalTRACK Methods 2.0, sec. 2.2 and 3.x; FACTS.md §10):

- ``baseline_length``: the baseline spans 365 days (366 in a leap year is accepted); shorter baselines
  cannot see a full year of weather and longer ones are not what CalTRACK fits;
- ``missing_days``: at most 37 of its days lack meter data (zero electricity readings count as missing);
- ``temperature_coverage``: at least 90 % of its days have a valid temperature (12 or more hourly values);
- ``monthly_coverage`` (hourly models only): every calendar month has meter data and temperature for at
  least 90 % of its hours.

References
----------
.. [1] CalTRACK Methods 2.0, sec. 2.2 (data sufficiency) and 4.1 (hourly), https://docs.caltrack.org.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbonpeak.core.mv import InsufficientDataError

MIN_BASELINE_DAYS = 365
MAX_BASELINE_DAYS = 366
MAX_MISSING_DAYS = 37
MIN_TEMPERATURE_COVERAGE = 0.9
MIN_MONTHLY_COVERAGE = 0.9


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One sufficiency rule: the measured value against its limit."""

    rule: str
    passed: bool
    value: float
    limit: str
    """The requirement in words with its number, e.g. ``<= 37``."""
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON)."""
        return {
            "rule": self.rule,
            "passed": self.passed,
            "value": self.value,
            "limit": self.limit,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleCheck:
        """Inverse of :meth:`to_dict`."""
        return cls(data["rule"], data["passed"], data["value"], data["limit"], data["message"])


@dataclass(frozen=True, slots=True)
class Sufficiency:
    """The verdict of every sufficiency rule on a baseline."""

    checks: tuple[RuleCheck, ...]

    @property
    def sufficient(self) -> bool:
        """Whether every rule passes."""
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> tuple[str, ...]:
        """Names of the failed rules."""
        return tuple(c.rule for c in self.checks if not c.passed)

    def to_dict(self) -> dict[str, Any]:
        """``{"sufficient", "failed", "checks"}`` (JSON)."""
        return {
            "sufficient": self.sufficient,
            "failed": list(self.failed),
            "checks": [c.to_dict() for c in self.checks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sufficiency:
        """Inverse of :meth:`to_dict`."""
        return cls(tuple(RuleCheck.from_dict(c) for c in data["checks"]))

    def require(self, *, allow_insufficient: bool) -> None:
        """Raise :class:`InsufficientDataError` naming each failed rule, unless ``allow_insufficient``."""
        if self.sufficient or allow_insufficient:
            return
        messages = "; ".join(c.message for c in self.checks if not c.passed)
        raise InsufficientDataError(
            f"insufficient baseline data ({', '.join(self.failed)}): {messages}; "
            "pass allow_insufficient=True (--allow-insufficient) to fit anyway, flagged",
            self.failed,
        )


def daily_sufficiency(
    days: pd.DatetimeIndex,
    usage_per_day: npt.NDArray[np.float64],
    temperature_valid: npt.NDArray[np.bool_],
    *,
    zero_is_missing: bool = True,
) -> Sufficiency:
    """CalTRACK's baseline rules on daily values.

    Parameters
    ----------
    days : pandas.DatetimeIndex
        The baseline's days.
    usage_per_day : numpy.ndarray
        Consumption per day; NaN when missing.
    temperature_valid : numpy.ndarray
        Whether each day has a valid temperature.
    zero_is_missing : bool
        Count zero readings as missing (CalTRACK, for electricity).
    """
    n_days = len(days)
    usage = np.asarray(usage_per_day, dtype=np.float64)
    missing_mask = ~np.isfinite(usage)
    if zero_is_missing:
        missing_mask |= usage == 0
    missing = int(missing_mask.sum())
    coverage = float(np.mean(temperature_valid)) if n_days else 0.0
    length_ok = MIN_BASELINE_DAYS <= n_days <= MAX_BASELINE_DAYS
    return Sufficiency(
        (
            RuleCheck(
                "baseline_length",
                length_ok,
                float(n_days),
                f"{MIN_BASELINE_DAYS}-{MAX_BASELINE_DAYS} days",
                f"the baseline has {n_days} days; CalTRACK needs {MIN_BASELINE_DAYS} "
                f"(up to {MAX_BASELINE_DAYS})",
            ),
            RuleCheck(
                "missing_days",
                missing <= MAX_MISSING_DAYS and n_days > 0,
                float(missing),
                f"<= {MAX_MISSING_DAYS} days",
                f"{missing} baseline days have no meter data (or zero readings); at most "
                f"{MAX_MISSING_DAYS} may",
            ),
            RuleCheck(
                "temperature_coverage",
                coverage >= MIN_TEMPERATURE_COVERAGE,
                round(coverage, 4),
                f">= {MIN_TEMPERATURE_COVERAGE:.0%} of days",
                f"{coverage:.1%} of baseline days have a valid temperature; "
                f"at least {MIN_TEMPERATURE_COVERAGE:.0%} must",
            ),
        )
    )


def monthly_coverage_check(hours: pd.DatetimeIndex, valid: npt.NDArray[np.bool_]) -> RuleCheck:
    """CalTRACK hourly rule: each calendar month has data for at least 90 % of its hours."""
    frame = pd.Series(np.asarray(valid, dtype=np.float64), index=hours)
    by_month = frame.groupby([hours.year, hours.month]).mean()
    worst = float(by_month.min()) if len(by_month) else 0.0
    label = ""
    if len(by_month):
        worst_month: tuple[int, int] = by_month.idxmin()  # type: ignore[assignment]
        label = f" ({worst_month[0]}-{int(worst_month[1]):02d})"
    return RuleCheck(
        "monthly_coverage",
        worst >= MIN_MONTHLY_COVERAGE,
        round(worst, 4),
        f">= {MIN_MONTHLY_COVERAGE:.0%} of hours each month",
        f"the worst calendar month{label} has meter data and temperature for {worst:.1%} of its hours; "
        f"every month needs {MIN_MONTHLY_COVERAGE:.0%}",
    )
