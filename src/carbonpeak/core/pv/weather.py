"""Default weather: a **synthetic** Shanghai typical year built from pvlib clear sky, without network access.

Method: Ineichen–Perez clear-sky irradiance with pvlib's packaged monthly Linke turbidity climatology at
Shanghai (31.23° N, 121.47° E, 4 m), scaled month by month so that each month's global horizontal
irradiation (GHI) equals :data:`SHANGHAI_ANNUAL_GHI_KWH_PER_M2` × the month's share in
:data:`SHANGHAI_MONTHLY_GHI_SHARE`; direct and diffuse parts are split from GHI with the Erbs model. Air
temperature is a monthly normal plus a ±4 °C daily sinusoid. Every day of a month has the same shape: this
is a calibrated clear-sky year, not measured weather, and is labelled ``synthetic`` wherever it is used.
A user's EPW or TMY3 file (read by :mod:`carbonpeak.io.weather`) replaces it.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
import pvlib

from carbonpeak.core.flags import Evidence

SHANGHAI_SITE: Final = {"latitude_deg": 31.23, "longitude_deg": 121.47, "altitude_m": 4.0}
"""The default weather's site: central Shanghai (People's Square) [°, °, m]."""

SHANGHAI_ANNUAL_GHI_KWH_PER_M2: Final = 1280.0
"""Annual global horizontal irradiation of Shanghai [kWh/(m²·a)] (≈ 4,600 MJ/(m²·a)).

Evidence ``R`` (recalled, to be confirmed): the central value recalled from the China Meteorological
Administration's solar-resource assessments (中国风能太阳能资源年景公报) and the World Bank / Solargis Global
Solar Atlas for Shanghai. It lies inside the 较丰富 (class C, "rich") band of GB/T 37526-2019
太阳能资源评估方法, 1,050–1,400 kWh/(m²·a), which Shanghai belongs to.
"""

SHANGHAI_ANNUAL_GHI_EVIDENCE: Final = Evidence.RECALLED

GBT37526_CLASS_C_KWH_PER_M2: Final = (1050.0, 1400.0)
"""GB/T 37526-2019 较丰富 (class C) band of annual GHI [kWh/(m²·a)]."""

SHANGHAI_MONTHLY_GHI_SHARE: Final = (
    0.055, 0.058, 0.078, 0.094, 0.106, 0.090, 0.121, 0.117, 0.090, 0.078, 0.061, 0.052,
)  # fmt: skip
"""Share of the annual GHI in each month January..December [-], summing to 1.

Evidence ``R``: recalled shape of Shanghai's monthly irradiation (lowest in December–January, a dip in the
June plum-rain season 梅雨, highest in July–August); to be confirmed against station normals.
"""

SHANGHAI_MONTHLY_TEMP_C: Final = (
    4.8, 6.6, 10.4, 15.9, 21.0, 24.6, 28.9, 28.5, 24.9, 19.8, 14.0, 7.6,
)  # fmt: skip
"""Monthly mean air temperature of Shanghai January..December [°C]. Evidence ``R``: recalled
1991–2020 climate normals of the Xujiahui station, to be confirmed."""

WIND_SPEED_M_PER_S: Final = 3.0
"""Constant wind speed of the synthetic year [m/s]. Project assumption."""

UTC_PLUS_8: Final = "Etc/GMT-8"
"""China Standard Time as a fixed offset (EPW convention: no daylight saving)."""


def shanghai_typical_year(year: int = 2023) -> pd.DataFrame:
    """Synthetic hourly Shanghai weather year calibrated to the annual GHI (see the module docstring).

    Parameters
    ----------
    year : int, optional
        Calendar year of the timestamps; a non-leap year gives 8,760 hours.

    Returns
    -------
    pandas.DataFrame
        Hourly rows indexed by the **end** of each hour in UTC+8 (the EPW convention), columns ``ghi``,
        ``dni``, ``dhi`` [W/m², mean over the hour], ``temp_air`` [°C] and ``wind_speed`` [m/s];
        ``attrs`` hold ``source = "synthetic"``, the site and the calibration value.

    References
    ----------
    .. [1] Ineichen, P. and Perez, R. (2002), "A new airmass independent formulation for the Linke turbidity
       coefficient", Solar Energy 73(3), 151–157.
    .. [2] Remund, J. et al. (2003), "Worldwide Linke turbidity information", ISES Solar World Congress
       (the climatology packaged with pvlib).
    .. [3] Erbs, D. G., Klein, S. A. and Duffie, J. A. (1982), "Estimation of the diffuse radiation fraction
       for hourly, daily and monthly-average global radiation", Solar Energy 28(4), 293–302.
    .. [4] GB/T 37526-2019 太阳能资源评估方法 (solar resource assessment method), resource classes.
    """
    site = SHANGHAI_SITE
    end = pd.date_range(f"{year}-01-01 01:00", f"{year + 1}-01-01 00:00", freq="h", tz=UTC_PLUS_8)
    mid = end - pd.Timedelta(minutes=30)
    position = pvlib.solarposition.get_solarposition(
        mid, site["latitude_deg"], site["longitude_deg"], site["altitude_m"], method="nrel_numpy"
    )
    day_of_year = mid.day_of_year.to_numpy()
    dni_extra = pvlib.irradiance.get_extra_radiation(day_of_year)
    turbidity = pvlib.clearsky.lookup_linke_turbidity(
        mid, site["latitude_deg"], site["longitude_deg"], interp_turbidity=False
    )
    airmass = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(position["apparent_zenith"]),
        pvlib.atmosphere.alt2pres(site["altitude_m"]),
    )
    clear = pvlib.clearsky.ineichen(
        position["apparent_zenith"], airmass, turbidity, altitude=site["altitude_m"], dni_extra=dni_extra
    )
    clear_ghi = clear["ghi"].fillna(0.0).to_numpy()
    month = mid.month.to_numpy()
    target_wh = SHANGHAI_ANNUAL_GHI_KWH_PER_M2 * 1000.0 * np.asarray(SHANGHAI_MONTHLY_GHI_SHARE)
    clear_wh = np.bincount(month - 1, weights=clear_ghi, minlength=12)  # hourly W/m² × 1 h = Wh/m²
    ghi = clear_ghi * (target_wh / clear_wh)[month - 1]
    split = pvlib.irradiance.erbs(ghi, position["zenith"].to_numpy(), day_of_year)
    hour = mid.hour.to_numpy() + 0.5
    temp = np.asarray(SHANGHAI_MONTHLY_TEMP_C)[month - 1] + 4.0 * np.cos(2 * np.pi * (hour - 14.0) / 24.0)
    frame = pd.DataFrame(
        {
            "ghi": ghi,
            "dni": np.nan_to_num(np.asarray(split["dni"], dtype=np.float64)),
            "dhi": np.nan_to_num(np.asarray(split["dhi"], dtype=np.float64)),
            "temp_air": temp,
            "wind_speed": WIND_SPEED_M_PER_S,
        },
        index=end,
    )
    frame.attrs.update(
        source="synthetic",
        description="synthetic Shanghai typical year: pvlib Ineichen clear sky scaled to annual GHI "
        f"{SHANGHAI_ANNUAL_GHI_KWH_PER_M2:g} kWh/m2 (evidence {SHANGHAI_ANNUAL_GHI_EVIDENCE.value})",
        **site,
    )
    return frame
