"""Rooftop photovoltaics: potential (usable roof, capacity) and yield (pvlib, PVWatts-style).

Pure: pvlib and numpy/pandas only, no files and no network. Weather files are read by
:mod:`carbonpeak.io.weather` and handed in as a DataFrame.
"""

from __future__ import annotations

from carbonpeak.core.errors import CarbonpeakError


class PvInputError(CarbonpeakError, ValueError):
    """An input to the PV potential or yield calculation is unusable (the message names it)."""


ASSUMPTION = "assumption"
"""Provenance label of the project's own default values: engineering assumptions, not official figures."""
