"""The 15-minute community life circle (15分钟社区生活圈): share of residential land within a walk of
metro stations over the district's path network.

The walking distance is ``minutes x walk_speed_m_per_min``; both come from the plan (the minutes from its
text, the speed from the district's rule parameters), never from code.

References
----------
.. [1] 杨府发〔2022〕13号, 三(四)1: 依托地铁站点形成以慢行为主的15分钟社区生活圈示范区域.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from shapely.geometry.base import BaseGeometry

from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.coverage import CoverageResult, PathNetwork, network_service_area, share_within
from carbonpeak.core.spatial.features import Residential, Station


def life_circle_coverage(
    stations: Sequence[Station],
    residential: Sequence[Residential],
    *,
    paths: PathNetwork | Sequence[BaseGeometry],
    minutes: float,
    walk_speed_m_per_min: float,
    access_m: float,
    weight: str = "area",
) -> CoverageResult:
    """Share of residential land within ``minutes`` of walking from a station's entrances over ``paths``.

    Parameters
    ----------
    stations : sequence of Station [m]
    residential : sequence of Residential [m]
    paths : PathNetwork or sequence of LineString [m]
    minutes : float [min]
    walk_speed_m_per_min : float [m/min]
    access_m : float [m]
        Longest off-network leg at each end.
    weight : {"area", "population"}

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(四)1.
    """
    if not (math.isfinite(minutes) and minutes > 0):
        raise SpatialInputError(f"minutes: {minutes} is not a positive duration")
    if not (math.isfinite(walk_speed_m_per_min) and walk_speed_m_per_min > 0):
        raise SpatialInputError(f"walk_speed_m_per_min: {walk_speed_m_per_min} is not a positive speed")
    if not stations:
        raise SpatialInputError("no metro stations given")
    graph = paths if isinstance(paths, PathNetwork) else PathNetwork.from_lines(paths)
    reach = network_service_area(
        graph, [s.geometry for s in stations], radius_m=minutes * walk_speed_m_per_min, access_m=access_m
    )
    result = share_within(reach, residential, weight=weight)
    return CoverageResult(
        method="network",
        weight=result.weight,
        coverage=result.coverage,
        covered_area_m2=result.covered_area_m2,
        residential_area_m2=result.residential_area_m2,
        covered_population=result.covered_population,
        population=result.population,
        polygons=result.polygons,
        flags=result.flags,
        holes=result.holes,
        radius_m=minutes * walk_speed_m_per_min,
    )
