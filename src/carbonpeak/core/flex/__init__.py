"""Demand response and flexibility: baselines, settlement, dispatch and PV-storage-flexible simulation.

Pure: numpy, pandas and HiGHS (``highspy``) only; no Django, files or network. Rule sets (province baseline
rules, settlement rules, time-of-use tariffs) are reference data read by :mod:`carbonpeak.io.flex` and
handed in as core records.
"""

from __future__ import annotations

from carbonpeak.core.errors import CarbonpeakError


class FlexInputError(CarbonpeakError, ValueError):
    """An input to a baseline, settlement or dispatch calculation is unusable (the message names it)."""


class FlexDataError(FlexInputError):
    """There is not enough valid data to compute the result (the message says what is missing)."""
