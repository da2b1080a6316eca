"""Weather files for PV yield: EPW or TMY3 (CSV), read through ``pvlib.iotools``.

The result is the frame :mod:`carbonpeak.core.pv.yield_` expects (``ghi``, ``dni``, ``dhi``, ``temp_air``,
``wind_speed``; index = end of each hour, time-zone aware) plus the file's site.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from carbonpeak.core.pv.weather import SHANGHAI_SITE, shanghai_typical_year
from carbonpeak.core.pv.yield_ import WEATHER_COLUMNS
from carbonpeak.io.tabular import RowError

WEATHER_SUFFIXES = (".epw", ".csv")
PLAUSIBLE = ((0.0, 1500.0), (0.0, 1500.0), (0.0, 1000.0), (-70.0, 60.0), (0.0, 70.0))
"""Accepted range of ghi, dni, dhi [W/m²], temp_air [°C] and wind_speed [m/s]; EPW's missing-value codes
(9999, 99.9, 999) and TMY3's (-9900) fall outside it."""


class WeatherFileError(ValueError):
    """A weather file cannot be used; ``error`` names the file and the problem."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class Weather:
    """Weather data and its site: latitude [°], longitude [°], altitude [m], and where it came from."""

    data: pd.DataFrame
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    source: str
    """The file name, or ``synthetic`` for the default year."""


def default_weather() -> Weather:
    """The synthetic Shanghai typical year of :func:`carbonpeak.core.pv.weather.shanghai_typical_year`."""
    return Weather(
        shanghai_typical_year(),
        SHANGHAI_SITE["latitude_deg"],
        SHANGHAI_SITE["longitude_deg"],
        SHANGHAI_SITE["altitude_m"],
        "synthetic",
    )


def _fail(path: Path, message: str, field: str = "") -> WeatherFileError:
    return WeatherFileError(RowError(path.name, None, ((field, message),)))


def read_weather(path: Path) -> Weather:
    """Read an EPW (``.epw``) or TMY3 (``.csv``) weather file with ``pvlib.iotools``.

    Parameters
    ----------
    path : pathlib.Path
        The weather file.

    Returns
    -------
    Weather
        Hourly weather and the site from the file's header.

    Raises
    ------
    WeatherFileError
        When the file is missing, of another type, unreadable or has missing values; the message names it.

    References
    ----------
    .. [1] U.S. DOE, *Auxiliary Programs* (EnergyPlus documentation), "Weather Converter Program": EPW format.
    .. [2] Wilcox, S. and Marion, W. (2008), *Users Manual for TMY3 Data Sets*, NREL/TP-581-43156.
    """
    suffix = path.suffix.lower()
    if suffix not in WEATHER_SUFFIXES:
        raise _fail(path, f"'{suffix}' weather files are not supported: use .epw (EnergyPlus) or .csv (TMY3)")
    if not path.is_file():
        raise _fail(path, "file not found")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pvlib's readers trigger pandas deprecation warnings
            if suffix == ".epw":
                data, meta = pvlib.iotools.read_epw(str(path))
            else:
                data, meta = pvlib.iotools.read_tmy3(str(path), map_variables=True)
    except Exception as exc:  # pvlib and pandas raise many kinds on a malformed file
        kind = "EPW" if suffix == ".epw" else "TMY3"
        raise _fail(path, f"cannot be read as {kind}: {type(exc).__name__}: {exc}") from exc
    missing = [c for c in WEATHER_COLUMNS if c not in data.columns]
    if missing:
        raise _fail(path, "column(s) missing after reading", ", ".join(missing))
    frame = data[list(WEATHER_COLUMNS)].astype(np.float64)
    values = frame.to_numpy()
    low, high = np.array([r[0] for r in PLAUSIBLE]), np.array([r[1] for r in PLAUSIBLE])
    bad = ~(np.isfinite(values) & (values >= low) & (values <= high))
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        problem = (
            f"missing value (or outside {low[col]:g}..{high[col]:g}): {values[row, col]:g} "
            f"at {frame.index[row]}"
        )
        raise WeatherFileError(RowError(path.name, None, ((WEATHER_COLUMNS[col], problem),)))
    if not frame.index.is_monotonic_increasing:
        # typical years mix calendar years: put every hour on one year, keeping the order of the file
        index = pd.DatetimeIndex(frame.index)
        start = pd.Timestamp(year=2023, month=1, day=1, hour=1, tz=index.tz)
        frame.index = pd.date_range(start, periods=len(frame), freq="h")
    try:
        latitude = float(meta["latitude"])
        longitude = float(meta["longitude"])
        altitude = float(meta.get("altitude", 0.0))
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(path, f"header has no usable site: {exc}") from exc
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise _fail(path, f"site {latitude}, {longitude} is outside WGS84")
    return Weather(frame, latitude, longitude, altitude, path.name)
