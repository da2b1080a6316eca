"""Green additions inside a sub-area over a period: new green space [ha], greenways [km] and vertical
greening [ha] (e.g. a sub-area's additions by a target year).

A park or greenway crossing the boundary counts for its part inside (a park's registered green area is
scaled by the share of its footprint inside). Vertical greening counts its registered area when its
location lies inside. A feature without a completion date cannot be placed in a period: it is left out and
flagged.

References
----------
.. [1] 杨府发〔2022〕13号, 三(六)1 (the reference plan's sub-area additions; values in the plan file).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import shapely

from carbonpeak.core.spatial.features import Greenway, Park, Period, SubAreaBoundary, VerticalGreening


@dataclass(frozen=True)
class YearAdditions:
    """Additions completed in one calendar year."""

    year: int
    green_space_ha: float
    greenway_km: float
    vertical_greening_ha: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "green_space_ha": self.green_space_ha,
            "greenway_km": self.greenway_km,
            "vertical_greening_ha": self.vertical_greening_ha,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> YearAdditions:
        return cls(data["year"], data["green_space_ha"], data["greenway_km"], data["vertical_greening_ha"])


@dataclass(frozen=True)
class Additions:
    """Additions inside ``sub_area`` over the period, with the yearly breakdown (oldest first)."""

    sub_area: str
    green_space_ha: float
    greenway_km: float
    vertical_greening_ha: float
    by_year: tuple[YearAdditions, ...]
    undated: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "sub_area": self.sub_area,
            "green_space_ha": self.green_space_ha,
            "greenway_km": self.greenway_km,
            "vertical_greening_ha": self.vertical_greening_ha,
            "by_year": [y.to_dict() for y in self.by_year],
            "undated": list(self.undated),
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Additions:
        return cls(
            data["sub_area"],
            data["green_space_ha"],
            data["greenway_km"],
            data["vertical_greening_ha"],
            tuple(YearAdditions.from_dict(y) for y in data["by_year"]),
            tuple(data.get("undated", ())),
            tuple(data.get("flags", ())),
        )


def additions_in_subarea(
    boundary: SubAreaBoundary,
    period: Period,
    *,
    parks: Sequence[Park] = (),
    greenways: Sequence[Greenway] = (),
    vertical: Sequence[VerticalGreening] = (),
) -> Additions:
    """New green space, greenways and vertical greening completed inside ``boundary`` during ``period``.

    Parameters
    ----------
    boundary : SubAreaBoundary
        The sub-area [m].
    period : Period
        Completion dates counted (inclusive).
    parks, greenways, vertical : sequences of features [m]

    Returns
    -------
    Additions
        Totals in ha and km and per completion year.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(六)1.
    """
    area = boundary.geometry
    shapely.prepare(area)
    years: dict[int, list[float]] = {}
    undated: list[str] = []

    def add(year: int, slot: int, value: float) -> None:
        years.setdefault(year, [0.0, 0.0, 0.0])[slot] += value

    for park in parks:
        if park.opened is None:
            undated.append(park.id)
            continue
        if not period.contains(park.opened) or not area.intersects(park.geometry):
            continue
        footprint = float(park.geometry.area)
        inside = float(shapely.intersection(park.geometry, area).area)
        share = inside / footprint if footprint > 0 else 0.0
        add(park.opened.year, 0, park.area_m2 * share / 10_000)
    for way in greenways:
        if way.opened is None:
            undated.append(way.id)
            continue
        if period.contains(way.opened) and area.intersects(way.geometry):
            add(way.opened.year, 1, float(shapely.intersection(way.geometry, area).length) / 1_000)
    for item in vertical:
        if item.opened is None:
            undated.append(item.id)
            continue
        if period.contains(item.opened) and area.contains(shapely.point_on_surface(item.geometry)):
            add(item.opened.year, 2, item.area_m2 / 10_000)
    by_year = tuple(YearAdditions(y, *years[y]) for y in sorted(years))
    flags = (
        (f"{len(undated)} feature(s) without a completion date left out (first: {undated[0]})",)
        if undated
        else ()
    )
    return Additions(
        boundary.code,
        sum(y.green_space_ha for y in by_year),
        sum(y.greenway_km for y in by_year),
        sum(y.vertical_greening_ha for y in by_year),
        by_year,
        tuple(undated),
        flags,
    )
