"""Read-only queries of sub-areas: the registry, each area's own inventory and buildings, and the sum check.

The district's rows in activity data have the area :data:`~carbonpeak.core.inventory.model.DISTRICT_AREA`;
a sub-area's rows have its registry ``code``. Each area reads the latest inventory run that holds its rows
(:func:`carbonpeak.web.inventory.selectors.area_run_get`), so a district file and a sub-area file loaded
one after the other each keep their own numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from carbonpeak.core.areas import SumExcess, descendants, ordered_codes, sub_area_excesses
from carbonpeak.core.inventory.model import DISTRICT_AREA
from carbonpeak.web.areas.models import SubArea
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.inventory.models import ActivityRow, InventoryRun
from carbonpeak.web.inventory.selectors import area_run_get

INVENTORY_FIELDS = (
    "energy_tce",
    "co2_t",
    "gdp_10k_yuan",
    "energy_intensity_tce_per_10k_yuan",
    "co2_intensity_t_per_10k_yuan",
)
"""What a sub-area page and the API show of each inventory year (the run document's own keys)."""


def district_area() -> str:
    """The ``area`` code of the whole district in activity data."""
    return DISTRICT_AREA


def sub_areas_list() -> list[SubArea]:
    """Every sub-area, each parent before its children."""
    areas = {a.code: a for a in SubArea.objects.select_related("parent")}
    parents = {code: (a.parent.code if a.parent else None) for code, a in areas.items()}
    return [areas[code] for code in ordered_codes(list(areas), parents)]


def sub_area_get(*, code: str) -> SubArea | None:
    """A sub-area by code, or ``None``."""
    return SubArea.objects.select_related("parent").filter(code=code).first()


def _parents() -> dict[str, str | None]:
    return {code: parent for code, parent in SubArea.objects.values_list("code", "parent__code")}


@dataclass
class AreaInventory:
    """An area's own inventory years from the latest run holding its rows."""

    area: str
    run: InventoryRun | None
    years: list[dict[str, Any]] = field(default_factory=list)
    """``year`` plus :data:`INVENTORY_FIELDS` (``None`` where unknown), oldest first."""

    @property
    def synthetic(self) -> bool:
        """Whether the run's data set is synthetic."""
        return bool(self.run is not None and self.run.dataset.synthetic)

    def series(self, quantity: str) -> dict[int | None, float | None]:
        """``year -> value`` of one quantity."""
        return {int(y["year"]): y.get(quantity) for y in self.years}

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary (API)."""
        return {
            "area": self.area,
            "run": self.run.pk if self.run else None,
            "dataset": self.run.dataset.name if self.run else None,
            "synthetic": self.synthetic,
            "years": self.years,
        }


def area_inventory(*, area: str) -> AreaInventory:
    """The inventory years of one area (``district`` or a sub-area code), from its latest run."""
    run = area_run_get(area=area)
    if run is None:
        return AreaInventory(area, None)
    years = [
        {"year": y["year"], **{key: y.get(key) for key in INVENTORY_FIELDS}}
        for y in run.document["years"]
        if y["area"] == area
    ]
    return AreaInventory(area, run, sorted(years, key=lambda y: y["year"]))


def area_buildings(*, code: str) -> list[Building]:
    """The buildings of a sub-area and of the sub-areas below it."""
    codes = [code, *descendants(code, _parents())]
    return list(Building.objects.filter(sub_area__code__in=codes).select_related("sub_area").order_by("code"))


def floor_area_m2(*, code: str | None) -> float | None:
    """Gross floor area [m2] of the registry's buildings: all (``None``) or a sub-area's (and below it).

    ``None`` when no building is counted.
    """
    qs = Building.objects.all()
    if code is not None:
        qs = qs.filter(sub_area__code__in=[code, *descendants(code, _parents())])
    total = qs.aggregate(total=Sum("floor_area_m2"))["total"]
    return None if total is None else float(total)


def sum_check() -> list[SumExcess]:
    """Warnings where sub-areas add up to more than the area they lie in.

    The district against its top-level sub-areas, and each sub-area against its children, for energy
    [tce] and CO2 [tCO2] per inventory year and for the registry's building floor area [m2].
    """
    parents = _parents()
    wholes: list[tuple[str, list[str]]] = [
        (DISTRICT_AREA, sorted(c for c, p in parents.items() if p is None))
    ]
    wholes += [(code, sorted(c for c, p in parents.items() if p == code)) for code in sorted(parents)]
    inventories: dict[str, AreaInventory] = {}

    def inventory(area: str) -> AreaInventory:
        if area not in inventories:
            inventories[area] = area_inventory(area=area)
        return inventories[area]

    out: list[SumExcess] = []
    for whole, children in wholes:
        if not children:
            continue
        for quantity in ("energy_tce", "co2_t"):
            out += sub_area_excesses(
                area=whole,
                quantity=quantity,
                whole=inventory(whole).series(quantity),
                parts={child: inventory(child).series(quantity) for child in children},
            )
        out += sub_area_excesses(
            area=whole,
            quantity="floor_area_m2",
            whole={None: floor_area_m2(code=None if whole == DISTRICT_AREA else whole)},
            parts={child: {None: floor_area_m2(code=child)} for child in children},
        )
    return out


def unregistered_areas() -> list[str]:
    """Area codes of activity rows that are neither the district nor a registered sub-area (a data problem:
    their rows count for no area's indicators)."""
    known = {DISTRICT_AREA, *SubArea.objects.values_list("code", flat=True)}
    found = set(ActivityRow.objects.values_list("area", flat=True).distinct())
    return sorted(found - known)


def areas_overview() -> list[dict[str, Any]]:
    """The district and every sub-area with its latest inventory year and building count (the list page)."""
    rows = []
    for area in [None, *sub_areas_list()]:
        code = DISTRICT_AREA if area is None else area.code
        inv = area_inventory(area=code)
        latest = inv.years[-1] if inv.years else None
        buildings = (
            Building.objects.count()
            if area is None
            else Building.objects.filter(sub_area__code__in=[code, *descendants(code, _parents())]).count()
        )
        rows.append(
            {
                "code": code,
                "area": area,
                "depth": 0 if area is None else _depth(code),
                "latest": latest,
                "synthetic": inv.synthetic or bool(area is not None and area.synthetic),
                "buildings": buildings,
                "floor_area_m2": floor_area_m2(code=None if area is None else code),
            }
        )
    return rows


def _depth(code: str) -> int:
    parents = _parents()
    depth, node = 1, parents.get(code)
    while node is not None:
        depth, node = depth + 1, parents.get(node)
    return depth
