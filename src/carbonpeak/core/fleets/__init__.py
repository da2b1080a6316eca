"""Vehicle fleets: the new-energy (NEV) share of vehicles entering service (新增或更新车辆).

A vehicle that enters service in a year is a new or replacement vehicle of that year; it is a new-energy
vehicle when its fuel is BEV, PHEV or FCEV.

References
----------
.. [1] 杨府发〔2022〕13号, 三(四)2: 公交车、巡游出租车及公共领域新增或更新车辆原则上全部使用新能源汽车.
.. [2] 国务院办公厅 国办发〔2020〕39号 新能源汽车产业发展规划(2021—2035年): BEV, PHEV and FCEV are new-energy
   vehicles.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from carbonpeak.core.errors import CarbonpeakError


class FleetInputError(CarbonpeakError, ValueError):
    """A vehicle record is unusable (the message names it)."""


class VehicleCategory(StrEnum):
    """Vehicle categories of the plan's fleet rules."""

    BUS = "bus"
    CRUISING_TAXI = "cruising_taxi"
    PUBLIC_SECTOR = "public_sector"
    SANITATION = "sanitation"
    LOGISTICS = "logistics"


class Fuel(StrEnum):
    """Fuel type: battery electric, plug-in hybrid, fuel cell, internal combustion."""

    BEV = "BEV"
    PHEV = "PHEV"
    FCEV = "FCEV"
    ICE = "ICE"


NEV_FUELS = frozenset({Fuel.BEV, Fuel.PHEV, Fuel.FCEV})
"""New-energy vehicles (国办发〔2020〕39号)."""


@dataclass(frozen=True)
class Vehicle:
    """One registered vehicle."""

    id: str
    operator: str
    category: VehicleCategory
    fuel: Fuel
    in_service: date
    out_of_service: date | None = None

    def __post_init__(self) -> None:
        if self.out_of_service is not None and self.out_of_service < self.in_service:
            raise FleetInputError(
                f"vehicle {self.id}: left service {self.out_of_service} before {self.in_service}"
            )

    @property
    def nev(self) -> bool:
        """Whether the vehicle is a new-energy vehicle."""
        return self.fuel in NEV_FUELS

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operator": self.operator,
            "category": self.category.value,
            "fuel": self.fuel.value,
            "in_service": self.in_service.isoformat(),
            "out_of_service": self.out_of_service.isoformat() if self.out_of_service else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vehicle:
        out = data.get("out_of_service")
        return cls(
            str(data["id"]),
            str(data["operator"]),
            VehicleCategory(data["category"]),
            Fuel(data["fuel"]),
            date.fromisoformat(data["in_service"]),
            date.fromisoformat(out) if out else None,
        )


@dataclass(frozen=True)
class NevShare:
    """NEV share of the vehicles of some categories entering service in one year."""

    year: int
    categories: tuple[str, ...]
    nev: int
    total: int

    @property
    def share_pct(self) -> float | None:
        """NEV share [%]; ``None`` when no vehicle entered service."""
        return 100.0 * self.nev / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "categories": list(self.categories), "nev": self.nev, "total": self.total}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NevShare:
        return cls(data["year"], tuple(data["categories"]), data["nev"], data["total"])


def nev_share_new_vehicles(
    vehicles: Sequence[Vehicle], *, categories: Collection[str], from_year: int | None = None
) -> list[NevShare]:
    """NEV share of the vehicles entering service per calendar year, for the given categories.

    Parameters
    ----------
    vehicles : sequence of Vehicle
    categories : collection of str
        Vehicle categories in scope (a target's ``rule.categories``); empty: refused.
    from_year : int, optional
        First year counted.

    Returns
    -------
    list of NevShare
        One per year with at least one vehicle entering service, oldest first.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 三(四)2.
    """
    if not categories:
        raise FleetInputError("no vehicle categories given: the target's rule must name them")
    known = {c.value for c in VehicleCategory}
    unknown = sorted(set(categories) - known)
    if unknown:
        raise FleetInputError(f"unknown vehicle categories {unknown}; known: {', '.join(sorted(known))}")
    by_year: dict[int, list[int]] = {}
    for v in vehicles:
        if v.category.value not in categories:
            continue
        year = v.in_service.year
        if from_year is not None and year < from_year:
            continue
        counts = by_year.setdefault(year, [0, 0])
        counts[0] += v.nev
        counts[1] += 1
    cats = tuple(sorted(categories))
    return [NevShare(y, cats, by_year[y][0], by_year[y][1]) for y in sorted(by_year)]
