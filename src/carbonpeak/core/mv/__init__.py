"""Retrofit measurement and verification (M&V): baselines, adjusted baselines, avoided energy use.

Pure: numpy, pandas and scipy only, no files and no network. Meter data and temperatures are handed in as
time-zone aware :class:`pandas.Series`; CSV files are read by :mod:`carbonpeak.io.mv`.

Published methods, one public function each, behind :func:`carbonpeak.core.mv.fit_baseline`:

- :func:`~carbonpeak.core.mv.daily.caltrack_daily`: CalTRACK 2.0 daily (intercept, HDD, CDD, HDD+CDD);
- :func:`~carbonpeak.core.mv.hourly.caltrack_hourly`: CalTRACK 2.0 hourly (time-of-week and temperature);
- :func:`~carbonpeak.core.mv.change_point.change_point`: ASHRAE Guideline 14 3P/4P/5P models.

Temperatures are in °C everywhere at the interface; degree days are in K·d (°C-days).
"""

from __future__ import annotations

from carbonpeak.core.errors import CarbonpeakError


class MvInputError(CarbonpeakError, ValueError):
    """An input to an M&V calculation is unusable (the message names it)."""


class InsufficientDataError(CarbonpeakError):
    """The baseline fails a data-sufficiency rule; ``rules`` names each failed rule.

    Pass ``allow_insufficient=True`` to fit anyway: the result is then flagged.
    """

    def __init__(self, message: str, rules: tuple[str, ...]) -> None:
        super().__init__(message)
        self.rules = rules


from carbonpeak.core.mv.data import Period  # noqa: E402
from carbonpeak.core.mv.results import BaselineFit, Exclusion, SavingsResult  # noqa: E402
from carbonpeak.core.mv.savings import METHODS, fit_baseline, measure_savings, savings  # noqa: E402
from carbonpeak.core.mv.uncertainty import fsu, portfolio_fsu  # noqa: E402

__all__ = [
    "METHODS",
    "BaselineFit",
    "Exclusion",
    "InsufficientDataError",
    "MvInputError",
    "Period",
    "SavingsResult",
    "fit_baseline",
    "fsu",
    "measure_savings",
    "portfolio_fsu",
    "savings",
]
