"""PV yield with pvlib, PVWatts-style, vectorised over buildings that share weather and orientation.

Chain per orientation group: solar position at the middle of each interval → plane-of-array irradiance
(named transposition model) → cell temperature (named temperature model) → ``pvwatts_dc`` → system losses
(``pvwatts_losses``, 14.08 % by default) → PVWatts inverter. The hourly yield per kWp is computed once per
(tilt, azimuth) group and scaled by each building's capacity.

The weather frame is indexed by the **end** of each interval (EPW/TMY3 convention) and holds ``ghi``,
``dni``, ``dhi`` [W/m², mean over the interval], ``temp_air`` [°C] and ``wind_speed`` [m/s].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
import pvlib

from carbonpeak.core.pv import PvInputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")

TRANSPOSITION_MODELS = ("isotropic", "haydavies", "perez")
"""Plane-of-array transposition models (names of ``pvlib.irradiance.get_total_irradiance``)."""


def _faiman(poa: Any, temp_air: Any, wind_speed: Any) -> Any:
    return pvlib.temperature.faiman(poa, temp_air, wind_speed)


def _sapm(poa: Any, temp_air: Any, wind_speed: Any) -> Any:
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_glass"]
    return pvlib.temperature.sapm_cell(poa, temp_air, wind_speed, **params)


TEMPERATURE_MODELS: Mapping[str, Callable[[Any, Any, Any], Any]] = {"faiman": _faiman, "sapm": _sapm}
"""Cell-temperature models: Faiman (default U0 = 25, U1 = 6.84) or SAPM open-rack glass/glass."""


@dataclass(frozen=True, slots=True)
class PvSystem:
    """PVWatts system parameters (defaults from PVWatts version 5 [1]_).

    Attributes
    ----------
    gamma_pdc_per_c : float
        Temperature coefficient of DC power [1/°C]; -0.0037 is PVWatts' "standard" module.
    losses_percent : float
        System losses [%]; default ``pvlib.pvsystem.pvwatts_losses()`` = 14.08 % (soiling 2, shading 3,
        mismatch 2, wiring 2, connections 0.5, light-induced degradation 1.5, nameplate 1, availability 3).
    dc_ac_ratio : float
        DC nameplate over AC inverter rating [-].
    inverter_efficiency : float
        Nominal inverter efficiency [-].
    albedo : float
        Ground reflectance [-].

    References
    ----------
    .. [1] Dobos, A. P. (2014), *PVWatts Version 5 Manual*, NREL/TP-6A20-62641.
    """

    gamma_pdc_per_c: float = -0.0037
    losses_percent: float = float(pvlib.pvsystem.pvwatts_losses())
    dc_ac_ratio: float = 1.2
    inverter_efficiency: float = 0.96
    albedo: float = 0.2


class YieldResult(NamedTuple):
    """Yield of many buildings: per building annual values plus the per-group hourly profiles.

    The hourly yield of building ``i`` [kWh] is ``capacity_kwp[i] * hourly_kwh_per_kwp[group[i]]``.
    """

    annual_kwh: FloatArray
    specific_yield_kwh_per_kwp: FloatArray
    group: IntArray
    orientations: FloatArray
    """(groups, 2) array of tilt [°] and azimuth [°]."""
    hourly_kwh_per_kwp: FloatArray
    """(groups, hours) array [kWh/kWp]."""
    times: pd.DatetimeIndex
    """End of each weather interval."""


def check_weather(weather: pd.DataFrame) -> float:
    """Check a weather frame and return its interval length [h].

    Raises
    ------
    PvInputError
        When a column is missing, a value is non-finite, or the index is not regular and time-zone aware.
    """
    missing = [c for c in WEATHER_COLUMNS if c not in weather.columns]
    if missing:
        raise PvInputError(f"weather is missing the column(s) {', '.join(missing)}")
    index = weather.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None or len(index) < 2:
        raise PvInputError("weather needs a time-zone aware DatetimeIndex of at least two intervals")
    steps = index[1:] - index[:-1]
    if not (steps == steps[0]).all() or steps[0] <= pd.Timedelta(0):
        raise PvInputError("weather intervals must be regular and increasing")
    values = weather[list(WEATHER_COLUMNS)].to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise PvInputError("weather has missing or non-finite values")
    return float(steps[0] / pd.Timedelta(hours=1))


def hourly_yield_per_kwp(
    weather: pd.DataFrame,
    latitude_deg: float,
    longitude_deg: float,
    altitude_m: float,
    tilt_deg: npt.ArrayLike,
    azimuth_deg: npt.ArrayLike,
    *,
    transposition: str = "perez",
    temperature_model: str = "faiman",
    system: PvSystem | None = None,
) -> FloatArray:
    """AC energy per kWp of DC capacity in each weather interval, for one or more orientations.

    Parameters
    ----------
    weather : pandas.DataFrame
        Weather (see the module docstring).
    latitude_deg, longitude_deg : float
        Site [°, WGS84].
    altitude_m : float
        Site altitude [m].
    tilt_deg : array_like
        Module tilt from horizontal [°], one per orientation, in [0, 90].
    azimuth_deg : array_like
        Module azimuth [°, clockwise from north; 180 = south], one per orientation, in [0, 360).
    transposition : str, optional
        One of :data:`TRANSPOSITION_MODELS`.
    temperature_model : str, optional
        One of :data:`TEMPERATURE_MODELS`.
    system : PvSystem, optional
        PVWatts parameters; defaults of :class:`PvSystem`.

    Returns
    -------
    numpy.ndarray
        (orientations, intervals) AC energy [kWh/kWp].

    Raises
    ------
    PvInputError
        On an unknown model name, an orientation out of range or unusable weather.

    References
    ----------
    .. [1] Holmgren, W. F., Hansen, C. W. and Mikofski, M. A. (2018), "pvlib python: a python package for
       modeling solar energy systems", Journal of Open Source Software 3(29), 884.
    .. [2] Perez, R. et al. (1990), "Modeling daylight availability and irradiance components from direct and
       global irradiance", Solar Energy 44(5), 271–289.
    .. [3] Hay, J. E. and Davies, J. A. (1980), "Calculations of the solar radiation incident on an inclined
       surface", Proc. First Canadian Solar Radiation Data Workshop.
    .. [4] Faiman, D. (2008), "Assessing the outdoor operating temperature of photovoltaic modules",
       Progress in Photovoltaics 16(4), 307–315.
    .. [5] Dobos, A. P. (2014), *PVWatts Version 5 Manual*, NREL/TP-6A20-62641.
    """
    if transposition not in TRANSPOSITION_MODELS:
        raise PvInputError(
            f"'{transposition}' is not a transposition model ({', '.join(TRANSPOSITION_MODELS)})"
        )
    if temperature_model not in TEMPERATURE_MODELS:
        raise PvInputError(
            f"'{temperature_model}' is not a temperature model ({', '.join(TEMPERATURE_MODELS)})"
        )
    tilts = np.atleast_1d(np.asarray(tilt_deg, dtype=np.float64))
    azimuths = np.atleast_1d(np.asarray(azimuth_deg, dtype=np.float64))
    if tilts.shape != azimuths.shape or tilts.ndim != 1:
        raise PvInputError("give one azimuth per tilt")
    if not np.all((tilts >= 0) & (tilts <= 90)):
        raise PvInputError("tilt_deg must be between 0 and 90")
    if not np.all((azimuths >= 0) & (azimuths < 360)):
        raise PvInputError("azimuth_deg must be at least 0 and below 360")
    system = system or PvSystem()
    step_h = check_weather(weather)
    index = pd.DatetimeIndex(weather.index)
    mid = index - pd.Timedelta(hours=step_h / 2)
    position = pvlib.solarposition.get_solarposition(
        mid, latitude_deg, longitude_deg, altitude_m, method="nrel_numpy"
    )
    zenith = position["apparent_zenith"].to_numpy()
    sun_azimuth = position["azimuth"].to_numpy()
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(mid.day_of_year.to_numpy()))
    airmass = np.asarray(pvlib.atmosphere.get_relative_airmass(zenith))
    ghi, dni, dhi = (weather[c].to_numpy(dtype=np.float64) for c in ("ghi", "dni", "dhi"))
    temp_air = weather["temp_air"].to_numpy(dtype=np.float64)
    wind = weather["wind_speed"].to_numpy(dtype=np.float64)
    derate = 1.0 - system.losses_percent / 100.0
    pac0_w = 1000.0 / system.dc_ac_ratio
    out = np.empty((len(tilts), len(index)))
    for k, (tilt, azimuth) in enumerate(zip(tilts, azimuths, strict=True)):
        poa = pvlib.irradiance.get_total_irradiance(
            tilt,
            azimuth,
            zenith,
            sun_azimuth,
            dni,
            ghi,
            dhi,
            dni_extra=dni_extra,
            airmass=airmass,
            albedo=system.albedo,
            model=transposition,
        )
        poa_global = np.nan_to_num(np.clip(np.asarray(poa["poa_global"], dtype=np.float64), 0, None))
        cell_c = np.asarray(TEMPERATURE_MODELS[temperature_model](poa_global, temp_air, wind))
        dc_w = np.asarray(pvlib.pvsystem.pvwatts_dc(poa_global, cell_c, 1000.0, system.gamma_pdc_per_c))
        ac_w = np.asarray(
            pvlib.inverter.pvwatts(
                dc_w * derate, pac0_w / system.inverter_efficiency, system.inverter_efficiency
            )
        )
        out[k] = np.clip(ac_w, 0, None) * step_h / 1000.0
    return out


def building_yield(
    weather: pd.DataFrame,
    latitude_deg: float,
    longitude_deg: float,
    altitude_m: float,
    capacity_kwp: npt.ArrayLike,
    tilt_deg: npt.ArrayLike,
    azimuth_deg: npt.ArrayLike,
    *,
    transposition: str = "perez",
    temperature_model: str = "faiman",
    system: PvSystem | None = None,
) -> YieldResult:
    """Annual yield of many buildings sharing one weather site, grouped by orientation.

    Orientations are rounded to 0.1° and the hourly yield per kWp is computed once per distinct
    (tilt, azimuth) with :func:`hourly_yield_per_kwp`, then scaled by each building's capacity.

    Parameters
    ----------
    weather, latitude_deg, longitude_deg, altitude_m, transposition, temperature_model, system
        As in :func:`hourly_yield_per_kwp`.
    capacity_kwp : array_like
        DC capacity of each building [kWp], finite and zero or more.
    tilt_deg, azimuth_deg : array_like
        Orientation of each building [°].

    Returns
    -------
    YieldResult
        Annual energy [kWh/a for a one-year weather file], specific yield [kWh/kWp] and the group profiles.
    """
    capacity = np.asarray(capacity_kwp, dtype=np.float64)
    tilts = np.broadcast_to(np.asarray(tilt_deg, dtype=np.float64), capacity.shape)
    azimuths = np.broadcast_to(np.asarray(azimuth_deg, dtype=np.float64), capacity.shape)
    if capacity.ndim != 1:
        raise PvInputError("capacity_kwp must be one value per building")
    if not np.all(np.isfinite(capacity)) or np.any(capacity < 0):
        raise PvInputError("every capacity_kwp must be a finite number, zero or more")
    keys = np.round(np.stack([tilts, azimuths], axis=1), 1)
    orientations_any, group = np.unique(keys, axis=0, return_inverse=True)
    orientations = np.asarray(orientations_any, dtype=np.float64)
    group = group.reshape(-1).astype(np.intp)
    profiles = hourly_yield_per_kwp(
        weather,
        latitude_deg,
        longitude_deg,
        altitude_m,
        orientations[:, 0],
        orientations[:, 1],
        transposition=transposition,
        temperature_model=temperature_model,
        system=system,
    )
    specific = profiles.sum(axis=1)[group]
    return YieldResult(
        capacity * specific, specific, group, orientations, profiles, pd.DatetimeIndex(weather.index)
    )
