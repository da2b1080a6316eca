"""Bus coverage of rail stations (新建轨道站点50米半径范围内地面公交服务覆盖率).

A station is served when a bus stop lies within ``radius_m`` of one of its entrances, or of the station
point when no entrances are given (a station's MultiPoint geometry is its entrances). Distances are
straight-line, in metres.

References
----------
.. [1] 杨府发〔2022〕13号, 三(四)1: 实现新建轨道站点50米半径范围内地面公交服务全覆盖.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import shapely

from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.features import BusStop, Period, Station, unique_ids


@dataclass(frozen=True)
class NearbyStop:
    """A bus stop and its distance [m] from the station's nearest entrance."""

    id: str
    name: str
    distance_m: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "distance_m": self.distance_m}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NearbyStop:
        return cls(data["id"], data.get("name", ""), data["distance_m"])


@dataclass(frozen=True)
class StationService:
    """Whether one station is served, with its nearest stops (closest first)."""

    id: str
    name: str
    opened: date | None
    served: bool
    nearest: tuple[NearbyStop, ...]

    @property
    def nearest_stop(self) -> str | None:
        """Id of the nearest stop, if any."""
        return self.nearest[0].id if self.nearest else None

    @property
    def distance_m(self) -> float | None:
        """Distance to the nearest stop [m]."""
        return self.nearest[0].distance_m if self.nearest else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "opened": self.opened.isoformat() if self.opened else None,
            "served": self.served,
            "nearest": [s.to_dict() for s in self.nearest],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StationService:
        opened = data.get("opened")
        return cls(
            data["id"],
            data.get("name", ""),
            date.fromisoformat(opened) if opened else None,
            bool(data["served"]),
            tuple(NearbyStop.from_dict(s) for s in data.get("nearest", ())),
        )


@dataclass(frozen=True)
class TransitCoverage:
    """Bus coverage of the stations in scope; ``coverage`` is a fraction, ``None`` with no station."""

    radius_m: float
    coverage: float | None
    stations: tuple[StationService, ...]
    flags: tuple[str, ...] = ()

    @property
    def served(self) -> int:
        """Number of served stations."""
        return sum(s.served for s in self.stations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "radius_m": self.radius_m,
            "coverage": self.coverage,
            "stations": [s.to_dict() for s in self.stations],
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TransitCoverage:
        return cls(
            data["radius_m"],
            data["coverage"],
            tuple(StationService.from_dict(s) for s in data["stations"]),
            tuple(data.get("flags", ())),
        )


def station_bus_coverage(
    stations: Sequence[Station],
    stops: Sequence[BusStop],
    *,
    radius_m: float,
    period: Period | None = None,
    nearest: int = 3,
) -> TransitCoverage:
    """Share of rail stations with a bus stop within ``radius_m`` of an entrance (or the station point).

    Parameters
    ----------
    stations : sequence of Station
        Stations in a projected CRS [m]; a MultiPoint geometry is the station's entrances.
    stops : sequence of BusStop
        Bus stops [m].
    radius_m : float [m]
        Walking radius of the rule (the plan's target gives it).
    period : Period, optional
        Only stations opened in the period count (new stations); a station without an opening date is
        then left out and flagged.
    nearest : int
        How many nearest stops to report per station.

    Returns
    -------
    TransitCoverage

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(四)1.
    """
    if not (math.isfinite(radius_m) and radius_m > 0):
        raise SpatialInputError(f"radius_m: {radius_m} is not a positive distance in metres")
    unique_ids([s.id for s in stations], "rail_stations")
    unique_ids([s.id for s in stops], "bus_stops")
    flags: list[str] = []
    scope = list(stations)
    if period is not None:
        undated = [s.id for s in stations if s.opened is None]
        if undated:
            flags.append(f"{len(undated)} station(s) without an opening date left out (first: {undated[0]})")
        scope = [s for s in stations if period.contains(s.opened)]
    stop_geoms = np.array([s.geometry for s in stops], dtype=object)
    out = []
    for station in scope:
        near: tuple[NearbyStop, ...] = ()
        if len(stop_geoms):
            distances = shapely.distance(station.geometry, stop_geoms)
            order = np.argsort(distances, kind="stable")[:nearest]
            near = tuple(NearbyStop(stops[i].id, stops[i].name, float(distances[i])) for i in order)
        served = bool(near) and near[0].distance_m <= radius_m
        out.append(StationService(station.id, station.name, station.opened, served, near))
    coverage = sum(s.served for s in out) / len(out) if out else None
    if not stops:
        flags.append("no bus stops given")
    return TransitCoverage(radius_m, coverage, tuple(out), tuple(flags))
