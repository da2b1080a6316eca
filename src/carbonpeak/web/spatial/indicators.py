"""The plan's spatial and fleet indicators, computed from the stored layers and registries.

Every threshold, radius, sub-area, category and first year comes from the current plan's targets
(``rule``) and horizon; the CRS from ``plan.crs``. Per-year values:

* ``park_service_radius_coverage``: coverage at the end of each year [%], parks counted once open;
* ``park_green_space_per_capita``: park green area / the population series of the spatial app [m2/人];
* ``green_space_added``, ``greenway_length_added``, ``vertical_greening_added``: the amount completed
  inside each target's sub-area in each year (one value per target);
* ``bus_coverage_new_rail_stations``: coverage of the stations opened from the rule's first year to the
  end of each year [%];
* ``nev_share_new_vehicles``: NEV share of the vehicles entering service each year, one series per target
  (its ``rule.categories``).
"""

from __future__ import annotations

from datetime import date

from carbonpeak.core.fleets import nev_share_new_vehicles as nev_shares
from carbonpeak.core.plan.model import Target
from carbonpeak.core.spatial.additions import Additions, additions_in_subarea
from carbonpeak.core.spatial.features import LayerKind, Period, SubAreaBoundary
from carbonpeak.core.spatial.green import park_green_area_per_capita
from carbonpeak.web.plan.selectors import current_targets
from carbonpeak.web.spatial import selectors
from carbonpeak.web.spatial.models import Vehicle
from carbonpeak.web.tracking.registry import ComputedValue, register

INDICATORS = (
    "park_service_radius_coverage",
    "park_green_space_per_capita",
    "green_space_added",
    "greenway_length_added",
    "vertical_greening_added",
    "bus_coverage_new_rail_stations",
    "nev_share_new_vehicles",
)
"""The plan indicators this module computes (each registered below)."""


def _years(first: int | None, last: int | None) -> range:
    if first is None or last is None:
        return range(0)
    return range(first, min(last, date.today().year) + 1)


def _start(target: Target) -> int | None:
    if target.rule is not None and target.rule.applies_from is not None:
        return target.rule.applies_from
    return selectors.plan_start_year()


@register("park_service_radius_coverage")
def park_service_radius_coverage() -> list[ComputedValue]:
    """Residential land within the service radius of an open park, at the end of each year [%]."""
    targets = current_targets("park_service_radius_coverage")
    cap = next((t.rule.radius_m for t in targets if t.rule and t.rule.radius_m), None)
    synthetic = selectors.layer_synthetic(LayerKind.PARKS, LayerKind.RESIDENTIAL)
    out: list[ComputedValue] = []
    proj = selectors.projector()
    if proj is None:
        return out
    layers = (
        selectors.core_features(LayerKind.PARKS, proj),
        selectors.core_features(LayerKind.RESIDENTIAL, proj),
    )
    start = selectors.plan_start_year()
    last = selectors.latest_opening_year(LayerKind.PARKS) or start
    for year in _years(start, last):
        result = selectors.park_coverage(as_of=date(year, 12, 31), cap_m=cap, layers=layers)
        if result is None or result.coverage is None:
            continue
        source = (
            "park and residential layers, euclidean_boundary by area, "
            f"radius table {result.radius_table_version}"
        )
        out.append(ComputedValue(year, round(100 * result.coverage, 2), "%", source, synthetic))
    return out


@register("park_green_space_per_capita")
def park_green_space_per_capita() -> list[ComputedValue]:
    """Park green area of the parks open at the end of each year per resident [m2/人]; the population is
    the spatial app's population series (that year's, else the latest before it, said in the source)."""
    proj = selectors.projector()
    if proj is None:
        return []
    parks = selectors.core_features(LayerKind.PARKS, proj)
    if not parks:
        return []
    synthetic = selectors.layer_synthetic(LayerKind.PARKS)
    start = selectors.plan_start_year()
    out = []
    for year in _years(start, selectors.latest_opening_year(LayerKind.PARKS) or start):
        stat = selectors.population_for(year)
        if stat is None:
            continue
        result = park_green_area_per_capita(parks, stat.population, as_of=date(year, 12, 31))
        source = f"park layer; population {stat.year}: {stat.source}"
        out.append(
            ComputedValue(year, round(result.per_capita_m2, 2), "m2/人", source, synthetic or stat.synthetic)
        )
    return out


def _additions(target: Target) -> Additions | None:
    proj = selectors.projector()
    start = _start(target)
    if proj is None or start is None or target.rule is None or not target.rule.sub_areas:
        return None
    boundaries: list[SubAreaBoundary] = [
        b
        for b in selectors.core_features(LayerKind.SUBAREA_BOUNDARY, proj)
        if b.code in target.rule.sub_areas
    ]
    if not boundaries:
        return None
    import shapely

    area = SubAreaBoundary(
        "+".join(b.code for b in boundaries), shapely.union_all([b.geometry for b in boundaries])
    )
    return additions_in_subarea(
        area,
        Period(date(start, 1, 1), date(date.today().year, 12, 31)),
        parks=selectors.core_features(LayerKind.PARKS, proj),
        greenways=selectors.core_features(LayerKind.GREENWAYS, proj),
        vertical=selectors.core_features(LayerKind.VERTICAL_GREENING, proj),
    )


def _addition_values(indicator: str, field: str, unit: str, layer: LayerKind) -> list[ComputedValue]:
    out = []
    synthetic = selectors.layer_synthetic(layer, LayerKind.SUBAREA_BOUNDARY)
    for target in current_targets(indicator):
        result = _additions(target)
        if result is None:
            continue
        start = _start(target)
        last = max([y.year for y in result.by_year], default=start)
        by_year = {y.year: getattr(y, field) for y in result.by_year}
        source = f"{layer.value} layer inside sub-area {result.sub_area}"
        if result.undated:
            source += f"; {len(result.undated)} undated feature(s) left out"
        for year in _years(start, last):
            value = round(by_year.get(year, 0.0), 3)
            out.append(ComputedValue(year, value, unit, source, synthetic, target=target.code))
    return out


@register("green_space_added")
def green_space_added() -> list[ComputedValue]:
    """Green space completed inside each target's sub-area per year [ha]."""
    return _addition_values("green_space_added", "green_space_ha", "ha", LayerKind.PARKS)


@register("greenway_length_added")
def greenway_length_added() -> list[ComputedValue]:
    """Greenways completed inside each target's sub-area per year [km]."""
    return _addition_values("greenway_length_added", "greenway_km", "km", LayerKind.GREENWAYS)


@register("vertical_greening_added")
def vertical_greening_added() -> list[ComputedValue]:
    """Vertical greening completed inside each target's sub-area per year [ha]."""
    return _addition_values(
        "vertical_greening_added", "vertical_greening_ha", "ha", LayerKind.VERTICAL_GREENING
    )


@register("bus_coverage_new_rail_stations")
def bus_coverage_new_rail_stations() -> list[ComputedValue]:
    """Stations opened from the rule's first year to each year's end with a bus stop within the rule's
    radius [%], one series per target."""
    out = []
    synthetic = selectors.layer_synthetic(LayerKind.RAIL_STATIONS, LayerKind.BUS_STOPS)
    for target in current_targets("bus_coverage_new_rail_stations"):
        start = _start(target)
        if target.rule is None or target.rule.radius_m is None or start is None:
            continue
        for year in _years(start, selectors.latest_opening_year(LayerKind.RAIL_STATIONS)):
            period = Period(date(start, 1, 1), date(year, 12, 31))
            result = selectors.transit_coverage(radius_m=target.rule.radius_m, period=period)
            if result is None or result.coverage is None:
                continue
            source = (
                f"rail station and bus stop layers: {result.served} of {len(result.stations)} new stations"
            )
            out.append(
                ComputedValue(
                    year, round(100 * result.coverage, 2), "%", source, synthetic, target=target.code
                )
            )
    return out


@register("nev_share_new_vehicles")
def nev_share_new_vehicles() -> list[ComputedValue]:
    """NEV share of the vehicles entering service each year [%], per target over its rule's categories."""
    fleet = selectors.vehicles()
    if not fleet:
        return []
    synthetic = Vehicle.objects.filter(synthetic=True).exists()
    out = []
    for target in current_targets("nev_share_new_vehicles"):
        if target.rule is None or not target.rule.categories:
            continue
        for share in nev_shares(fleet, categories=target.rule.categories, from_year=_start(target)):
            if share.share_pct is None:
                continue
            cats = ", ".join(share.categories)
            source = f"vehicle registry: {share.nev} NEV of {share.total} vehicles entering service ({cats})"
            out.append(
                ComputedValue(
                    share.year, round(share.share_pct, 2), "%", source, synthetic, target=target.code
                )
            )
    return out
