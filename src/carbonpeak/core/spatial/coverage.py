"""Park green-space service coverage (公园绿地服务半径覆盖率).

``coverage = residential land within the service radius of a park / all residential land`` (GB/T 50563
weighting by area), or the same with each residential polygon's population spread evenly over its area
(weighting by population). The radius is given, or taken per park from a versioned radius table by park
size. Three published methods, each a function named after it, behind :func:`park_service_coverage`:

``euclidean_boundary``
    Straight-line distance from the park's boundary (GB/T 50563).
``euclidean_centroid``
    Straight-line distance from the park's centroid (a coarser reading, for comparison).
``network``
    Walking distance over a user-supplied path network, with an off-network leg of at most ``access_m``
    at each end (see :func:`network_service_area`).

Circles are drawn as polygons with ``quad_segs`` segments per quarter (64 by default: a circle's area is
under-estimated by about 0.01 %).

References
----------
.. [1] GB/T 50563-2010 城市园林绿化评价标准: park green-space service-radius coverage; radius 500 m for parks
   of at least 5,000 m2 and 300 m for 2,000-5,000 m2 (FACTS.md section 11, evidence R).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import STRtree
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.features import Park, Residential, unique_ids

QUAD_SEGS = 64
"""Segments per quarter circle of a buffer (area error of a circle about 0.01 %)."""

WEIGHTS = ("area", "population")
"""Weightings of coverage: ``area`` (GB/T 50563) or ``population`` (spread evenly over each polygon)."""


@dataclass(frozen=True)
class RadiusBand:
    """One row of the radius table: parks of ``min_area_m2 <= area < max_area_m2`` serve ``radius_m``."""

    min_area_m2: float
    max_area_m2: float | None
    radius_m: float
    source: str = ""
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_area_m2": self.min_area_m2,
            "max_area_m2": self.max_area_m2,
            "radius_m": self.radius_m,
            "source": self.source,
            "evidence": self.evidence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RadiusBand:
        return cls(
            float(data["min_area_m2"]),
            None if data.get("max_area_m2") is None else float(data["max_area_m2"]),
            float(data["radius_m"]),
            data.get("source", ""),
            data.get("evidence", ""),
        )


@dataclass(frozen=True)
class RadiusTable:
    """Service radius by park size, with the version of the reference table it came from."""

    version: str
    bands: tuple[RadiusBand, ...]

    def radius_for(self, area_m2: float) -> float | None:
        """Service radius [m] of a park of ``area_m2`` [m2]; ``None`` if no band covers it (too small)."""
        for band in self.bands:
            if area_m2 >= band.min_area_m2 and (band.max_area_m2 is None or area_m2 < band.max_area_m2):
                return band.radius_m
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "bands": [b.to_dict() for b in self.bands]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RadiusTable:
        return cls(str(data["version"]), tuple(RadiusBand.from_dict(b) for b in data["bands"]))


@dataclass(frozen=True)
class PolygonCoverage:
    """Coverage of one residential polygon."""

    id: str
    area_m2: float
    covered_area_m2: float
    population: float | None

    @property
    def uncovered_area_m2(self) -> float:
        """Residential area outside every service area [m2]."""
        return max(self.area_m2 - self.covered_area_m2, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "area_m2": self.area_m2,
            "covered_area_m2": self.covered_area_m2,
            "population": self.population,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolygonCoverage:
        return cls(data["id"], data["area_m2"], data["covered_area_m2"], data.get("population"))


@dataclass(frozen=True)
class CoverageResult:
    """Service coverage of residential land.

    ``coverage`` is a fraction in [0, 1] by the chosen weight; ``None`` when there is nothing to weigh.
    ``holes`` is the residential land outside every service area (the map's coverage holes), in metres.
    """

    method: str
    weight: str
    coverage: float | None
    covered_area_m2: float
    residential_area_m2: float
    covered_population: float | None
    population: float | None
    polygons: tuple[PolygonCoverage, ...]
    parks_without_radius: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    holes: BaseGeometry = field(default_factory=lambda: shapely.GeometryCollection())
    radius_m: float | None = None
    radius_table_version: str = ""

    @property
    def uncovered(self) -> tuple[PolygonCoverage, ...]:
        """The residential polygons not fully covered (more than 0.01 m2 outside), largest hole first."""
        out = [p for p in self.polygons if p.uncovered_area_m2 > 0.01]
        return tuple(sorted(out, key=lambda p: -p.uncovered_area_m2))

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "weight": self.weight,
            "coverage": self.coverage,
            "covered_area_m2": self.covered_area_m2,
            "residential_area_m2": self.residential_area_m2,
            "covered_population": self.covered_population,
            "population": self.population,
            "polygons": [p.to_dict() for p in self.polygons],
            "parks_without_radius": list(self.parks_without_radius),
            "flags": list(self.flags),
            "holes": mapping(self.holes),
            "radius_m": self.radius_m,
            "radius_table_version": self.radius_table_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageResult:
        return cls(
            method=data["method"],
            weight=data["weight"],
            coverage=data["coverage"],
            covered_area_m2=data["covered_area_m2"],
            residential_area_m2=data["residential_area_m2"],
            covered_population=data.get("covered_population"),
            population=data.get("population"),
            polygons=tuple(PolygonCoverage.from_dict(p) for p in data["polygons"]),
            parks_without_radius=tuple(data.get("parks_without_radius", ())),
            flags=tuple(data.get("flags", ())),
            holes=shape(data["holes"]),
            radius_m=data.get("radius_m"),
            radius_table_version=data.get("radius_table_version", ""),
        )


def _radii(
    parks: Sequence[Park], radius_m: float | None, radii: RadiusTable | None
) -> tuple[list[Park], list[float], list[str]]:
    if radius_m is None and radii is None:
        raise SpatialInputError("give a service radius (radius_m) or a radius table (radii)")
    if radius_m is not None and not (math.isfinite(radius_m) and radius_m > 0):
        raise SpatialInputError(f"radius_m: {radius_m} is not a positive distance in metres")
    served: list[Park] = []
    values: list[float] = []
    without: list[str] = []
    for park in parks:
        r = radius_m if radius_m is not None else radii.radius_for(park.area_m2) if radii else None
        if r is None:
            without.append(park.id)
            continue
        served.append(park)
        values.append(r)
    return served, values, without


def _check_weight(weight: str) -> None:
    if weight not in WEIGHTS:
        raise SpatialInputError(f"unknown weight '{weight}'; known: {', '.join(WEIGHTS)}")


def _summarise(
    method: str,
    weight: str,
    residential: Sequence[Residential],
    service: BaseGeometry,
    *,
    exclude: BaseGeometry | None,
    without: list[str],
    allow_missing_population: bool,
    radius_m: float | None,
    radii: RadiusTable | None,
    flags: list[str],
    pieces: Sequence[BaseGeometry] | None = None,
) -> CoverageResult:
    _check_weight(weight)
    unique_ids([r.id for r in residential], "residential")
    geoms = np.array([r.geometry for r in residential], dtype=object)
    if exclude is not None and not exclude.is_empty and len(geoms):
        shapely.prepare(exclude)
        hit = shapely.intersects(exclude, geoms)
        if hit.any():
            geoms[hit] = shapely.difference(geoms[hit], exclude)
    areas = shapely.area(geoms) if len(geoms) else np.zeros(0)
    covered = np.zeros(len(geoms))
    hole_parts: list[BaseGeometry] = []
    if len(geoms) and not service.is_empty:
        shapely.prepare(service)
        inside = shapely.contains_properly(service, geoms)
        touching = shapely.intersects(service, geoms)
        covered[inside] = areas[inside]
        hole_parts += [g for g in geoms[~touching] if not g.is_empty]
        partial = np.flatnonzero(touching & ~inside)
        # clip each partial polygon against the few service pieces it meets, not the whole union
        local_pieces = list(pieces) if pieces else list(shapely.get_parts(service))
        tree = STRtree(local_pieces)
        src, hits = tree.query(geoms[partial], predicate="intersects") if len(partial) else ([], [])
        by_polygon: dict[int, list[int]] = {}
        for k, j in zip(src, hits, strict=True):
            by_polygon.setdefault(int(k), []).append(int(j))
        for k, i in enumerate(partial):
            local = shapely.union_all([local_pieces[j] for j in by_polygon.get(k, [])])
            covered[i] = shapely.intersection(geoms[i], local).area
            hole_parts.append(shapely.difference(geoms[i], local))
    elif len(geoms):
        hole_parts += [g for g in geoms if not g.is_empty]
    covered = np.minimum(covered, areas)
    missing = [r.id for r in residential if r.population is None]
    if weight == "population" and missing and not allow_missing_population:
        raise SpatialInputError(
            f"population weighting: {len(missing)} residential polygon(s) have no population "
            f"(first: {missing[0]}); give their population or allow them to be left out"
        )
    if weight == "population" and missing:
        flags.append(f"{len(missing)} residential polygon(s) without population left out of the weighting")
    for r in residential:
        if r.population is not None and not (math.isfinite(r.population) and r.population >= 0):
            raise SpatialInputError(f"feature {r.id}: population {r.population} is not a count")
    polygons = tuple(
        PolygonCoverage(r.id, float(a), float(c), r.population)
        for r, a, c in zip(residential, areas, covered, strict=True)
    )
    total_area = float(areas.sum())
    covered_area = float(covered.sum())
    known = [p for p in polygons if p.population is not None and p.area_m2 > 0]
    population = sum(p.population for p in known if p.population is not None) if known else None
    covered_population = (
        sum((p.population or 0.0) * p.covered_area_m2 / p.area_m2 for p in known) if known else None
    )
    if weight == "area":
        coverage = covered_area / total_area if total_area > 0 else None
    else:
        coverage = (covered_population or 0.0) / population if population else None
    if coverage is None:
        flags.append(
            "nothing to weigh: no residential land" + (" population" if weight == "population" else "")
        )
    if without:
        flags.append(f"{len(without)} park(s) below the smallest band of the radius table serve no radius")
    polygons_only = [
        part
        for g in hole_parts
        for part in shapely.get_parts(g)
        if part.geom_type == "Polygon" and part.area > 0
    ]
    holes = shapely.GeometryCollection(polygons_only)
    return CoverageResult(
        method=method,
        weight=weight,
        coverage=None if coverage is None else min(coverage, 1.0),
        covered_area_m2=covered_area,
        residential_area_m2=total_area,
        covered_population=covered_population,
        population=population,
        polygons=polygons,
        parks_without_radius=tuple(without),
        flags=tuple(flags),
        holes=holes,
        radius_m=radius_m,
        radius_table_version=radii.version if radii and radius_m is None else "",
    )


def _footprint(parks: Sequence[Park], exclude_park_footprint: bool) -> BaseGeometry | None:
    if not exclude_park_footprint or not parks:
        return None
    return shapely.union_all([p.geometry for p in parks])


def euclidean_boundary(
    parks: Sequence[Park],
    residential: Sequence[Residential],
    *,
    radius_m: float | None = None,
    radii: RadiusTable | None = None,
    weight: str = "area",
    exclude_park_footprint: bool = False,
    allow_missing_population: bool = False,
    quad_segs: int = QUAD_SEGS,
) -> CoverageResult:
    """Coverage with straight-line distance from each park's boundary.

    Parameters
    ----------
    parks : sequence of Park
        Parks in a projected CRS [m].
    residential : sequence of Residential
        Residential land polygons [m], with population for ``weight="population"``.
    radius_m : float, optional [m]
        One service radius for every park; otherwise ``radii`` gives it by park size.
    radii : RadiusTable, optional
        Service radius by park area [m2 -> m].
    weight : {"area", "population"}
        ``area``: share of residential land (GB/T 50563); ``population``: share of residents, each
        polygon's population spread evenly over its area.
    exclude_park_footprint : bool
        Take the parks' own footprint out of the residential land first.
    allow_missing_population : bool
        With population weighting, leave out polygons without population (flagged) instead of refusing.
    quad_segs : int
        Segments per quarter circle of the buffers.

    Returns
    -------
    CoverageResult

    References
    ----------
    .. [1] GB/T 50563-2010 城市园林绿化评价标准, park green-space service-radius coverage.
    """
    served, values, without = _radii(parks, radius_m, radii)
    geoms = np.array([p.geometry for p in served], dtype=object)
    buffers = list(shapely.buffer(geoms, np.array(values), quad_segs=quad_segs)) if len(geoms) else []
    service = shapely.union_all(buffers) if buffers else shapely.GeometryCollection()
    return _summarise(
        "euclidean_boundary",
        weight,
        residential,
        service,
        exclude=_footprint(parks, exclude_park_footprint),
        without=without,
        allow_missing_population=allow_missing_population,
        radius_m=radius_m,
        radii=radii,
        flags=[],
        pieces=buffers,
    )


def euclidean_centroid(
    parks: Sequence[Park],
    residential: Sequence[Residential],
    *,
    radius_m: float | None = None,
    radii: RadiusTable | None = None,
    weight: str = "area",
    exclude_park_footprint: bool = False,
    allow_missing_population: bool = False,
    quad_segs: int = QUAD_SEGS,
) -> CoverageResult:
    """Coverage with straight-line distance from each park's centroid (parameters as
    :func:`euclidean_boundary`).

    References
    ----------
    .. [1] GB/T 50563-2010 城市园林绿化评价标准 (service radius; the centroid reading is a simplification).
    """
    served, values, without = _radii(parks, radius_m, radii)
    centroids = shapely.centroid(np.array([p.geometry for p in served], dtype=object))
    buffers = list(shapely.buffer(centroids, np.array(values), quad_segs=quad_segs)) if len(served) else []
    service = shapely.union_all(buffers) if buffers else shapely.GeometryCollection()
    return _summarise(
        "euclidean_centroid",
        weight,
        residential,
        service,
        exclude=_footprint(parks, exclude_park_footprint),
        without=without,
        allow_missing_population=allow_missing_population,
        radius_m=radius_m,
        radii=radii,
        flags=[],
        pieces=buffers,
    )


# --- network distance ------------------------------------------------------------------------------


Node = tuple[float, float]


@dataclass(frozen=True)
class PathNetwork:
    """A noded path network: nodes at line ends and crossings, edges with their line [m]."""

    nodes: tuple[Node, ...]
    edges: tuple[tuple[int, int, shapely.LineString], ...]

    @classmethod
    def from_lines(cls, lines: Sequence[BaseGeometry]) -> PathNetwork:
        """Node the lines (split at every crossing) and build the graph.

        Raises
        ------
        SpatialInputError
            If there are no lines.
        """
        if not lines:
            raise SpatialInputError("the path network has no lines")
        noded = shapely.get_parts(shapely.union_all(np.array(list(lines), dtype=object)))
        index: dict[Node, int] = {}
        nodes: list[Node] = []
        edges: list[tuple[int, int, shapely.LineString]] = []

        def node(xy: tuple[float, float]) -> int:
            key = (round(xy[0], 3), round(xy[1], 3))
            if key not in index:
                index[key] = len(nodes)
                nodes.append(key)
            return index[key]

        for line in noded:
            if line.geom_type != "LineString" or line.length <= 0:
                continue
            coords = list(line.coords)
            edges.append((node(coords[0]), node(coords[-1]), line))
        return cls(tuple(nodes), tuple(edges))

    def reach(self, sources: Mapping[int, float], radius_m: float) -> dict[int, float]:
        """Shortest network distance [m] from the nearest source to every node within ``radius_m``
        (Dijkstra from all sources at once; a source starts at its given distance)."""
        adjacency: dict[int, list[tuple[int, float]]] = {}
        for a, b, line in self.edges:
            adjacency.setdefault(a, []).append((b, line.length))
            adjacency.setdefault(b, []).append((a, line.length))
        best: dict[int, float] = {}
        heap = [(d, n) for n, d in sources.items() if d <= radius_m]
        heapq.heapify(heap)
        while heap:
            d, n = heapq.heappop(heap)
            if n in best:
                continue
            best[n] = d
            for m, length in adjacency.get(n, ()):
                nd = d + length
                if m not in best and nd <= radius_m:
                    heapq.heappush(heap, (nd, m))
        return best


def network_service_area(
    network: PathNetwork,
    origins: Sequence[BaseGeometry],
    *,
    radius_m: float,
    access_m: float,
    quad_segs: int = QUAD_SEGS,
) -> BaseGeometry:
    """Land within ``radius_m`` of an origin over the network.

    A point counts as reached when an origin reaches a network node within ``access_m`` of it, walks along
    the network and steps off at most ``access_m`` to the point, the whole walk (both off-network legs
    included) being at most ``radius_m``. Along an edge entered at distance ``d`` with ``rem = radius_m - d``
    left, the reached land is the ``access_m`` buffer of the edge's first ``rem - access_m`` metres (or the
    disc of radius ``rem`` round the node when ``rem < access_m``): exact, as a disc centred further along
    the path with its radius shrinking as fast as the walk grows lies inside the earlier one.

    Parameters
    ----------
    network : PathNetwork
    origins : sequence of shapely geometries [m]
        Parks (polygons) or stations (points, entrances).
    radius_m : float [m]
        Walking distance.
    access_m : float [m]
        Longest off-network leg at each end.

    References
    ----------
    .. [1] Service-area analysis over a network (network Voronoi / isochrone), e.g. Okabe & Sugihara,
       Spatial Analysis along Networks, Wiley 2012, doi:10.1002/9781119967101.
    """
    if not (math.isfinite(access_m) and access_m >= 0):
        raise SpatialInputError(f"access_m: {access_m} is not a distance in metres")
    if not (math.isfinite(radius_m) and radius_m > 0):
        raise SpatialInputError(f"radius_m: {radius_m} is not a positive distance in metres")
    points: NDArray[np.object_] = (
        np.asarray(shapely.points(np.array(network.nodes, dtype=float)), dtype=object)
        if network.nodes
        else np.array([], dtype=object)
    )
    tree = STRtree(points)
    sources: dict[int, float] = {}
    for origin in origins:
        for i in tree.query(origin, predicate="dwithin", distance=access_m):
            d = float(shapely.distance(points[i], origin))
            sources[int(i)] = min(d, sources.get(int(i), math.inf))
    reached = network.reach(sources, radius_m)
    shapes: list[BaseGeometry] = [
        shapely.buffer(points[n], min(access_m, radius_m - d), quad_segs=quad_segs)
        for n, d in reached.items()
        if radius_m - d > 0
    ]
    for a, b, line in network.edges:
        for start, forward in ((a, True), (b, False)):
            if start not in reached:
                continue
            rem = radius_m - reached[start]
            length = min(line.length, rem - access_m)
            if length <= 0:
                continue
            part = (
                substring(line, 0, length) if forward else substring(line, line.length - length, line.length)
            )
            shapes.append(shapely.buffer(part, access_m, quad_segs=quad_segs))
    return shapely.union_all(shapes) if shapes else shapely.GeometryCollection()


def network(
    parks: Sequence[Park],
    residential: Sequence[Residential],
    *,
    paths: PathNetwork | Sequence[BaseGeometry],
    access_m: float,
    radius_m: float | None = None,
    radii: RadiusTable | None = None,
    weight: str = "area",
    exclude_park_footprint: bool = False,
    allow_missing_population: bool = False,
    quad_segs: int = QUAD_SEGS,
) -> CoverageResult:
    """Coverage with walking distance over a user-supplied path network (see
    :func:`network_service_area`); other parameters as :func:`euclidean_boundary`.

    Parameters
    ----------
    paths : PathNetwork or sequence of LineString [m]
        The district's walking network.
    access_m : float [m]
        Longest off-network leg at each end (park to path, path to home).

    References
    ----------
    .. [1] GB/T 50563-2010 城市园林绿化评价标准 (service radius).
    .. [2] Okabe & Sugihara, Spatial Analysis along Networks, Wiley 2012, doi:10.1002/9781119967101.
    """
    graph = paths if isinstance(paths, PathNetwork) else PathNetwork.from_lines(paths)
    served, values, without = _radii(parks, radius_m, radii)
    areas = []
    for r in sorted(set(values)):
        group = [p.geometry for p, v in zip(served, values, strict=True) if v == r]
        areas.append(network_service_area(graph, group, radius_m=r, access_m=access_m, quad_segs=quad_segs))
    service = shapely.union_all(areas) if areas else shapely.GeometryCollection()
    return _summarise(
        "network",
        weight,
        residential,
        service,
        exclude=_footprint(parks, exclude_park_footprint),
        without=without,
        allow_missing_population=allow_missing_population,
        radius_m=radius_m,
        radii=radii,
        flags=[],
    )


METHODS: dict[str, Callable[..., CoverageResult]] = {
    "euclidean_boundary": euclidean_boundary,
    "euclidean_centroid": euclidean_centroid,
    "network": network,
}
"""Published coverage methods by name."""


def park_service_coverage(
    method: str, parks: Sequence[Park], residential: Sequence[Residential], **options: Any
) -> CoverageResult:
    """Dispatch to the coverage method named ``method`` (see :data:`METHODS`).

    Raises
    ------
    SpatialInputError
        If the method is unknown, or its inputs are unusable.
    """
    try:
        fn = METHODS[method]
    except KeyError:
        raise SpatialInputError(f"unknown coverage method '{method}'; known: {', '.join(METHODS)}") from None
    return fn(parks, residential, **options)


def share_within(
    area: BaseGeometry, residential: Sequence[Residential], *, weight: str = "area"
) -> CoverageResult:
    """Coverage of residential land by an already computed service ``area`` [m] (e.g. a walking reach)."""
    return _summarise(
        "given_area",
        weight,
        residential,
        area,
        exclude=None,
        without=[],
        allow_missing_population=False,
        radius_m=None,
        radii=None,
        flags=[],
    )
