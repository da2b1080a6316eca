"""The plan's new-building indicators, computed from the project registry for the tracking registry.

Each target's scope (uses, sub-areas, large public buildings only, the lowest rating, the first year) is its
``rule:`` in the plan file; its period is its deadline. A value for year ``Y`` covers the projects completed
from the period's first year through ``Y`` (shares), or in ``Y`` (renewable types). Values carry their
target's code when the indicator has several targets with different scopes.
"""

from __future__ import annotations

from carbonpeak.web.newbuildings.models import NewBuildingProject
from carbonpeak.web.newbuildings.selectors import INDICATORS, target_values
from carbonpeak.web.tracking.registry import ComputedValue, register

_SOURCE = "new-building project registry"


def _values(indicator: str) -> list[ComputedValue]:
    if not NewBuildingProject.objects.exists():
        return []
    synthetic = NewBuildingProject.objects.filter(synthetic=True).exists()
    targets = [t for t in target_values() if t.indicator == indicator]
    several = len(targets) > 1
    out = []
    for t in targets:
        unit = t.target.unit or ("种" if indicator == "renewable_types_per_new_building" else "%")
        for v in t.values:
            source = f"{_SOURCE}: {v.projects} projects, {len(v.failing)} failing"
            out.append(
                ComputedValue(
                    year=v.year,
                    value=round(v.value, 2),
                    unit=unit,
                    source=source,
                    synthetic=synthetic,
                    target=t.target.code if several else None,
                )
            )
    return out


@register(INDICATORS[0])
def green_building_compliance_rate() -> list[ComputedValue]:
    """Floor area of new civil buildings rated basic level or better over all new civil buildings [%]."""
    return _values("green_building_compliance_rate")


@register(INDICATORS[1])
def green_building_star_compliance() -> list[ComputedValue]:
    """Share of the projects in each target's scope that reach its rating [%], one value per target."""
    return _values("green_building_star_compliance")


@register(INDICATORS[2])
def ultra_low_energy_share_new_buildings() -> list[ComputedValue]:
    """Floor area built to the ultra-low-energy (or stricter) standard over all in scope [%], per target."""
    return _values("ultra_low_energy_share_new_buildings")


@register(INDICATORS[3])
def renewable_types_per_new_building() -> list[ComputedValue]:
    """The fewest renewable source types used by a new building completed in each year [种]."""
    return _values("renewable_types_per_new_building")
