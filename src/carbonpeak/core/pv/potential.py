"""Rooftop PV potential: usable roof area and installable capacity, vectorised over buildings.

Every default in this module is the **project's assumption** (provenance label ``assumption``), chosen as a
round engineering value for screening; none is an official figure. A district that has a roof survey should
pass its own shares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from carbonpeak.core.pv import PvInputError

FloatArray = npt.NDArray[np.float64]

ROOF_TYPES = ("flat", "pitched")
"""Roof types the defaults know."""

USABLE_ROOF_SHARE: Mapping[str, tuple[float, float]] = {
    "government_office": (0.60, 0.50),
    "commercial_office": (0.55, 0.45),
    "hotel": (0.50, 0.40),
    "shopping_mall": (0.60, 0.50),
    "supermarket": (0.65, 0.50),
    "hospital": (0.45, 0.40),
    "school_university": (0.60, 0.50),
    "data_centre": (0.40, 0.35),
    "industrial": (0.70, 0.60),
    "residential": (0.50, 0.40),
    "other": (0.50, 0.40),
}
"""Share of the gross roof area usable for modules, ``(flat, pitched)`` by primary use [-].

Project assumption (label ``assumption``): the rest is lost to parapet and fire-access setbacks, plant
(HVAC, cooling towers, lift rooms), skylights, shading and, for pitched roofs, the north-facing slopes.
Hospitals and data centres keep more plant on the roof; industrial sheds have large clear roofs.
"""

MODULE_KWP_PER_M2 = 0.20
"""Module power density per module area [kWp/m²]: a 20 % efficient module at STC (1,000 W/m²).
Project assumption (label ``assumption``), typical of monocrystalline modules sold in the 2020s."""

GROUND_COVERAGE: Mapping[str, float] = {"flat": 0.5, "pitched": 1.0}
"""Module area per usable roof area [-]. Flat roofs carry tilted rows spaced to limit winter row shading
(ground-coverage ratio 0.5); pitched roofs carry flush-mounted modules (1.0). Project assumption."""

DEFAULT_TILT_DEG: Mapping[str, float] = {"flat": 20.0, "pitched": 25.0}
"""Default module tilt from horizontal [°]: 20° racks on flat roofs (a compromise between yield and row
spacing at 31° N), 25° for a typical pitched roof. Project assumption."""

DEFAULT_AZIMUTH_DEG = 180.0
"""Default module azimuth [°, clockwise from north]: due south. Project assumption."""

DEFAULT_ROOF_TYPE = "flat"
"""Roof type assumed when a building gives none (most urban non-residential roofs). Project assumption."""


class RooftopPotential(NamedTuple):
    """Per-building potential: usable roof area [m²] and installable DC capacity [kWp]."""

    usable_area_m2: FloatArray
    capacity_kwp: FloatArray


def usable_share(primary_use: Sequence[str], roof_type: Sequence[str]) -> FloatArray:
    """Usable roof share of each building from :data:`USABLE_ROOF_SHARE`.

    Parameters
    ----------
    primary_use : sequence of str
        Primary use of each building (the registry's vocabulary, keys of :data:`USABLE_ROOF_SHARE`).
    roof_type : sequence of str
        ``flat`` or ``pitched`` for each building.

    Returns
    -------
    numpy.ndarray
        Usable share [-] of each building.

    Raises
    ------
    PvInputError
        On an unknown primary use or roof type, or sequences of different lengths.
    """
    if len(primary_use) != len(roof_type):
        raise PvInputError(f"{len(primary_use)} primary uses but {len(roof_type)} roof types")
    shares = np.empty(len(primary_use))
    for i, (use, roof) in enumerate(zip(primary_use, roof_type, strict=True)):
        if use not in USABLE_ROOF_SHARE:
            raise PvInputError(f"'{use}' is not a primary use ({', '.join(USABLE_ROOF_SHARE)})")
        if roof not in ROOF_TYPES:
            raise PvInputError(f"'{roof}' is not a roof type ({', '.join(ROOF_TYPES)})")
        shares[i] = USABLE_ROOF_SHARE[use][ROOF_TYPES.index(roof)]
    return shares


def rooftop_potential(
    roof_area_m2: npt.ArrayLike,
    primary_use: Sequence[str],
    roof_type: Sequence[str] | None = None,
    *,
    module_kwp_per_m2: float = MODULE_KWP_PER_M2,
    share: npt.ArrayLike | None = None,
) -> RooftopPotential:
    """Usable roof area and installable capacity of each building.

    ``usable_area_m2 = roof_area_m2 × share`` and
    ``capacity_kwp = usable_area_m2 × ground_coverage[roof_type] × module_kwp_per_m2``.

    Parameters
    ----------
    roof_area_m2 : array_like
        Gross roof area of each building [m²], finite and zero or more.
    primary_use : sequence of str
        Primary use of each building.
    roof_type : sequence of str, optional
        ``flat`` or ``pitched``; :data:`DEFAULT_ROOF_TYPE` for every building when omitted.
    module_kwp_per_m2 : float, optional
        Module power density [kWp/m²], default :data:`MODULE_KWP_PER_M2` (assumption).
    share : array_like, optional
        Usable shares [-] in [0, 1] replacing :data:`USABLE_ROOF_SHARE` (e.g. from a roof survey).

    Returns
    -------
    RooftopPotential
        ``usable_area_m2`` [m²] and ``capacity_kwp`` [kWp], one value per building.

    Raises
    ------
    PvInputError
        On a negative or non-finite area, an unknown use or roof type, or a share outside [0, 1].

    References
    ----------
    .. [1] NREL, *Rooftop Solar Photovoltaic Technical Potential in the United States*, NREL/TP-6A20-65298
       (2016): usable-roof fractions by building class and module power density; the method followed here.
    """
    area = np.asarray(roof_area_m2, dtype=np.float64)
    if area.ndim != 1 or len(area) != len(primary_use):
        raise PvInputError(f"{area.size} roof areas but {len(primary_use)} primary uses")
    if not np.all(np.isfinite(area)) or np.any(area < 0):
        raise PvInputError("every roof_area_m2 must be a finite number, zero or more")
    if not (np.isfinite(module_kwp_per_m2) and 0 < module_kwp_per_m2 <= 0.3):
        raise PvInputError(f"module_kwp_per_m2 {module_kwp_per_m2} is outside (0, 0.3] kWp/m²")
    roofs = list(roof_type) if roof_type is not None else [DEFAULT_ROOF_TYPE] * len(area)
    shares = usable_share(primary_use, roofs)
    if share is not None:
        shares = np.broadcast_to(np.asarray(share, dtype=np.float64), area.shape).copy()
        if not np.all((shares >= 0) & (shares <= 1)):
            raise PvInputError("every usable share must be between 0 and 1")
    coverage = np.array([GROUND_COVERAGE[r] for r in roofs], dtype=np.float64)
    usable = area * shares
    return RooftopPotential(usable, usable * coverage * module_kwp_per_m2)


def default_orientation(roof_type: Sequence[str]) -> tuple[FloatArray, FloatArray]:
    """Default tilt [°] and azimuth [°] of each building from its roof type (assumptions)."""
    for roof in roof_type:
        if roof not in ROOF_TYPES:
            raise PvInputError(f"'{roof}' is not a roof type ({', '.join(ROOF_TYPES)})")
    tilt = np.array([DEFAULT_TILT_DEG[r] for r in roof_type], dtype=np.float64)
    return tilt, np.full(len(tilt), DEFAULT_AZIMUTH_DEG)
