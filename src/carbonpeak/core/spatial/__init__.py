"""Spatial indicators of the plan: park service coverage, per-capita park green area, additions inside a
sub-area, bus coverage of rail stations, walking reach over a path network and green-space sinks.

Pure: shapely 2 and pyproj only, no files and no network. Every geometry handed to a calculation is in a
projected CRS whose unit is the metre (see :mod:`carbonpeak.core.spatial.crs`); areas are in m2 and
distances in m, never degrees. Files are read by :mod:`carbonpeak.io.spatial`.
"""

from __future__ import annotations

from carbonpeak.core.errors import CarbonpeakError


class SpatialInputError(CarbonpeakError, ValueError):
    """An input to a spatial calculation is unusable (the message names the feature and the field)."""


__all__ = ["SpatialInputError"]
