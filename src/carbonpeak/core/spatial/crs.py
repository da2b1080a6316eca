"""Reprojection from WGS 84 longitude/latitude into a district's projected CRS (metres).

The CRS belongs to the district's data (the plan's ``plan.crs``), never to code. A geographic CRS (degrees)
is refused: areas and distances are only ever computed in metres.

References
----------
.. [1] RFC 7946, The GeoJSON Format, section 4: coordinates are WGS 84 longitude, latitude.
.. [2] EPSG:4549, CGCS2000 / 3-degree Gauss-Kruger CM 120E (Shanghai).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from carbonpeak.core.spatial import SpatialInputError

WGS84 = "EPSG:4326"
"""The CRS of GeoJSON coordinates (RFC 7946)."""


@lru_cache(maxsize=16)
def projected_crs(code: str) -> CRS:
    """The projected CRS named ``code`` (e.g. ``EPSG:4549``), refusing unknown or geographic ones.

    Raises
    ------
    SpatialInputError
        If ``code`` is not a CRS pyproj knows, or is not projected in metres.
    """
    try:
        crs = CRS.from_user_input(code)
    except CRSError:
        raise SpatialInputError(f"CRS '{code}' is unknown; give a projected CRS such as EPSG:4549") from None
    if not crs.is_projected:
        raise SpatialInputError(f"CRS '{code}' is not projected: areas and distances need metres")
    units = {axis.unit_name for axis in crs.axis_info}
    if units != {"metre"}:
        raise SpatialInputError(f"CRS '{code}' is in {', '.join(sorted(units))}, not metres")
    return crs


@lru_cache(maxsize=16)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True)


@dataclass(frozen=True)
class Projector:
    """Reprojects geometries between WGS 84 and one projected CRS.

    Parameters
    ----------
    crs : str
        The projected CRS, e.g. ``EPSG:4549``.
    """

    crs: str

    def __post_init__(self) -> None:
        projected_crs(self.crs)

    def _apply(self, geometry: BaseGeometry, source: str, target: str) -> BaseGeometry:
        transformer = _transformer(source, target)

        def move(coords: NDArray[np.float64]) -> NDArray[np.float64]:
            x, y = transformer.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])

        return shapely.transform(geometry, move)

    def to_metres(self, geometry: BaseGeometry) -> BaseGeometry:
        """``geometry`` in WGS 84 lon/lat [deg] reprojected into the projected CRS [m]."""
        return self._apply(geometry, WGS84, self.crs)

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        """``geometry`` in the projected CRS [m] back in WGS 84 lon/lat [deg]."""
        return self._apply(geometry, self.crs, WGS84)
