"""``carbonpeak spatial``, ``carbonpeak green`` and ``carbonpeak transit``: map layers and their indicators.

``green coverage`` and ``transit coverage`` work on files alone (no database) when ``--crs`` is given; without
it they read the current plan's ``plan.crs`` from the database.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from carbonpeak.cli.base import _django, _fail, group_help, requires_database
from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.coverage import METHODS, WEIGHTS, park_service_coverage
from carbonpeak.core.spatial.crs import Projector
from carbonpeak.core.spatial.features import LayerKind
from carbonpeak.core.spatial.transit import station_bus_coverage
from carbonpeak.io.spatial import LayerFile, layer_features, read_layer

SYNTHETIC_NOTE = "SYNTHETIC: the layers are labelled synthetic"


def _crs(args: argparse.Namespace) -> str:
    if args.crs:
        return str(args.crs)
    _django()
    from carbonpeak.web.spatial.selectors import district_crs

    crs = district_crs()
    if not crs:
        raise SpatialInputError("give --crs EPSG:NNNN (the current plan names no plan.crs)")
    return crs


def _read(path: str, kind: LayerKind) -> LayerFile:
    layer = read_layer(Path(path), kind)
    if not layer.ok:
        raise SpatialInputError("; ".join(str(e) for e in layer.errors[:5]))
    return layer


def _synthetic(*layers: LayerFile) -> bool:
    return any(f.properties.get("synthetic") is True for layer in layers for f in layer.features)


def _dump(doc: dict[str, Any]) -> None:
    print(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False))


def cmd_green_coverage(args: argparse.Namespace) -> int:
    """Park service coverage of residential land from two layer files."""
    try:
        projector = Projector(_crs(args))
        parks_file = _read(args.parks, LayerKind.PARKS)
        homes_file = _read(args.residential, LayerKind.RESIDENTIAL)
        parks = layer_features(LayerKind.PARKS, parks_file.features, projector)
        homes = layer_features(LayerKind.RESIDENTIAL, homes_file.features, projector)
        options: dict[str, Any] = {"radius_m": args.radius_m, "weight": args.weight}
        if args.method == "network":
            if not args.paths or args.access_m is None:
                raise SpatialInputError("--method network needs --paths FILE and --access-m M")
            paths_file = _read(args.paths, LayerKind.PATHS)
            options.update(
                paths=layer_features(LayerKind.PATHS, paths_file.features, projector), access_m=args.access_m
            )
        result = park_service_coverage(args.method, parks, homes, **options)
    except SpatialInputError as exc:
        return _fail(str(exc))
    synthetic = _synthetic(parks_file, homes_file)
    doc = {
        "coverage": result.coverage,
        "covered_area_m2": round(result.covered_area_m2, 2),
        "residential_area_m2": round(result.residential_area_m2, 2),
        "uncovered": [
            {"id": p.id, "uncovered_area_m2": round(p.uncovered_area_m2, 2)} for p in result.uncovered
        ],
        "method": result.method,
        "weight": result.weight,
        "radius_m": args.radius_m,
        "crs": projector.crs,
        "flags": list(result.flags),
        "synthetic": synthetic,
    }
    if args.format == "json":
        _dump(doc)
        return 0
    if synthetic:
        print(SYNTHETIC_NOTE)
    share = "-" if result.coverage is None else f"{100 * result.coverage:.2f} %"
    print(f"coverage {share} ({result.method}, by {result.weight}, {args.radius_m:g} m, {projector.crs})")
    print(
        f"covered {result.covered_area_m2:,.0f} m2 of {result.residential_area_m2:,.0f} m2 residential land"
    )
    for p in result.uncovered:
        print(f"  uncovered {p.id}: {p.uncovered_area_m2:,.0f} m2")
    for flag in result.flags:
        print(f"  note: {flag}")
    return 0


def cmd_transit_coverage(args: argparse.Namespace) -> int:
    """Bus coverage of rail stations from two layer files."""
    try:
        projector = Projector(_crs(args))
        stations_file = _read(args.stations, LayerKind.RAIL_STATIONS)
        stops_file = _read(args.stops, LayerKind.BUS_STOPS)
        result = station_bus_coverage(
            layer_features(LayerKind.RAIL_STATIONS, stations_file.features, projector),
            layer_features(LayerKind.BUS_STOPS, stops_file.features, projector),
            radius_m=args.radius_m,
        )
    except SpatialInputError as exc:
        return _fail(str(exc))
    synthetic = _synthetic(stations_file, stops_file)
    doc = {
        "coverage": result.coverage,
        "stations": [
            {
                "id": s.id,
                "served": s.served,
                "nearest_stop": s.nearest_stop,
                "distance_m": None if s.distance_m is None else round(s.distance_m, 2),
            }
            for s in result.stations
        ],
        "radius_m": args.radius_m,
        "crs": projector.crs,
        "flags": list(result.flags),
        "synthetic": synthetic,
    }
    if args.format == "json":
        _dump(doc)
        return 0
    if synthetic:
        print(SYNTHETIC_NOTE)
    share = "-" if result.coverage is None else f"{100 * result.coverage:.2f} %"
    print(f"coverage {share}: {result.served} of {len(result.stations)} stations within {args.radius_m:g} m")
    for s in result.stations:
        distance = "-" if s.distance_m is None else f"{s.distance_m:,.1f} m"
        print(f"  {s.id:<20} {'served' if s.served else 'NOT served':<11} {s.nearest_stop or '-'} {distance}")
    return 0


def cmd_green_life_circle(args: argparse.Namespace) -> int:
    """Share of residential land within a walk of metro stations over a path network, from files."""
    from carbonpeak.core.spatial.life_circle import life_circle_coverage

    try:
        projector = Projector(_crs(args))
        files = (
            _read(args.stations, LayerKind.RAIL_STATIONS),
            _read(args.residential, LayerKind.RESIDENTIAL),
            _read(args.paths, LayerKind.PATHS),
        )
        result = life_circle_coverage(
            layer_features(LayerKind.RAIL_STATIONS, files[0].features, projector),
            layer_features(LayerKind.RESIDENTIAL, files[1].features, projector),
            paths=layer_features(LayerKind.PATHS, files[2].features, projector),
            minutes=args.minutes,
            walk_speed_m_per_min=args.walk_speed_m_per_min,
            access_m=args.access_m,
            weight=args.weight,
        )
    except SpatialInputError as exc:
        return _fail(str(exc))
    doc = {
        "coverage": result.coverage,
        "covered_area_m2": round(result.covered_area_m2, 2),
        "residential_area_m2": round(result.residential_area_m2, 2),
        "walk_m": result.radius_m,
        "uncovered": [
            {"id": p.id, "uncovered_area_m2": round(p.uncovered_area_m2, 2)} for p in result.uncovered
        ],
        "crs": projector.crs,
        "synthetic": _synthetic(*files),
    }
    if args.format == "json":
        _dump(doc)
        return 0
    if doc["synthetic"]:
        print(SYNTHETIC_NOTE)
    share = "-" if result.coverage is None else f"{100 * result.coverage:.2f} %"
    print(f"life circle {share} of residential land within {result.radius_m:,.0f} m on foot of a station")
    return 0


@requires_database
def cmd_spatial_import(args: argparse.Namespace) -> int:
    """Import a layer file into the database (replaces the layer)."""
    from carbonpeak.web.spatial.services import layer_file_store

    layer = read_layer(Path(args.file), args.layer)
    outcome = layer_file_store(parsed=layer, source_file=Path(args.file).name)
    if outcome.errors:
        for error in outcome.errors[1:]:
            print(error)
        return _fail(outcome.errors[0])
    print(f"{args.layer}: {outcome.created} features imported, {outcome.replaced} replaced")
    return 0


@requires_database
def cmd_spatial_vehicles(args: argparse.Namespace) -> int:
    """Import a vehicle registry (.csv/.xlsx)."""
    from carbonpeak.io.spatial import read_vehicles
    from carbonpeak.web.spatial.services import vehicles_import

    parsed = read_vehicles(Path(args.file))
    if parsed.errors:
        for error in parsed.errors[1:]:
            print(error)
        return _fail(str(parsed.errors[0]))
    outcome = vehicles_import(rows=parsed.rows)
    print(f"vehicles: {outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged")
    return 0


@requires_database
def cmd_spatial_population(args: argparse.Namespace) -> int:
    """Set the district's resident population of a year (per-capita park green area)."""
    from carbonpeak.web.spatial.services import population_set

    try:
        stat = population_set(year=args.year, population=args.population, source=args.source)
    except ValueError as exc:
        return _fail(str(exc))
    print(f"population {stat.year}: {stat.population:,.0f} ({stat.source})")
    return 0


@requires_database
def cmd_green_sink(args: argparse.Namespace) -> int:
    """Annual sequestration of the stored parks by vegetation type, as the inventory's land-use sink row
    (``--activity-csv``) and as the projection's sink lever parameters."""
    import csv
    from dataclasses import asdict
    from datetime import date

    from carbonpeak.core.projection.levers import GreenSpaceSink
    from carbonpeak.core.spatial.green import sink_activity_record, sink_lever
    from carbonpeak.io.inventory import ACTIVITY_OPTIONAL, ACTIVITY_REQUIRED
    from carbonpeak.web.spatial.indicators import green_space_added
    from carbonpeak.web.spatial.selectors import layer_synthetic, sink_estimate

    year = args.year or date.today().year
    result = sink_estimate(as_of=date(year, 12, 31))
    if result is None:
        return _fail(
            "no park layer, or the plan names no CRS: import parks first ('carbonpeak spatial import')"
        )
    synthetic = layer_synthetic(LayerKind.PARKS)
    source = "park layer x sink-rate table" + (" (SYNTHETIC)" if synthetic else "")
    record = sink_activity_record(result, year=year, area=args.area, source=source)
    if synthetic:
        record = type(record)(**{**asdict(record), "quality": "synthetic"})
    lever: dict[str, Any] | None = None
    added = {v.year: v.value for v in green_space_added()}
    try:
        lever_model = sink_lever(GreenSpaceSink(), result, added_ha=added)
        lever = {"sink_t_per_ha": lever_model.sink_t_per_ha, "added_ha": lever_model.added_ha}
    except SpatialInputError:
        lever = None
    if args.activity_csv:
        with open(args.activity_csv, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=[*ACTIVITY_REQUIRED, *ACTIVITY_OPTIONAL])
            writer.writeheader()
            writer.writerow({k: getattr(record, k) for k in (*ACTIVITY_REQUIRED, *ACTIVITY_OPTIONAL)})
    doc = {**result.to_dict(), "year": year, "synthetic": synthetic, "projection_lever": lever}
    if args.format == "json":
        _dump(doc)
        return 0
    if synthetic:
        print(SYNTHETIC_NOTE)
    print(f"sink {result.removal_tco2_a:,.1f} tCO2/a on {result.rated_area_ha:,.2f} ha rated ({year})")
    for line in result.lines:
        rate = "-" if line.rate_tco2_per_ha_a is None else f"{line.rate_tco2_per_ha_a:g}"
        print(f"  {line.vegetation or '(unknown)':<14} {line.area_ha:>10,.2f} ha  rate {rate}")
    for flag in result.flags:
        print(f"  note: {flag}")
    if args.activity_csv:
        print(f"inventory activity row written to {args.activity_csv}")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``spatial``, ``green`` and ``transit`` groups."""
    layers = [k.value for k in LayerKind]
    spatial = subparsers.add_parser(
        "spatial", help="map layers, vehicles and population for the spatial indicators"
    )
    spatial.set_defaults(func=group_help(spatial))
    actions = spatial.add_subparsers(dest="action", metavar="ACTION")
    imp = actions.add_parser(
        "import", help="import a map layer (GeoJSON, CSV lon/lat, GPKG, SHP); replaces it"
    )
    imp.add_argument("layer", choices=layers, metavar="LAYER", help=f"one of: {', '.join(layers)}")
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(func=cmd_spatial_import)
    veh = actions.add_parser("vehicles", help="import a vehicle registry (.csv or .xlsx)")
    veh.add_argument("file", metavar="FILE")
    veh.set_defaults(func=cmd_spatial_vehicles)
    pop = actions.add_parser("population", help="set the resident population of a year")
    pop.add_argument("--year", type=int, required=True)
    pop.add_argument("--population", type=float, required=True)
    pop.add_argument("--source", required=True, help="where the figure comes from")
    pop.set_defaults(func=cmd_spatial_population)

    green = subparsers.add_parser("green", help="park green-space service coverage from layer files")
    green.set_defaults(func=group_help(green))
    green_actions = green.add_subparsers(dest="action", metavar="ACTION")
    cov = green_actions.add_parser(
        "coverage", help="share of residential land within a park's service radius"
    )
    cov.add_argument("--parks", required=True, metavar="FILE")
    cov.add_argument("--residential", required=True, metavar="FILE")
    cov.add_argument("--radius-m", type=float, default=500.0, help="service radius [m] (default 500)")
    cov.add_argument("--method", choices=sorted(METHODS), default="euclidean_boundary")
    cov.add_argument("--weight", choices=WEIGHTS, default="area")
    cov.add_argument("--paths", metavar="FILE", help="walking path network (--method network)")
    cov.add_argument("--access-m", type=float, help="longest off-network walk [m] (--method network)")
    cov.add_argument("--crs", help="projected CRS in metres, e.g. EPSG:4549 (default: the plan's)")
    cov.add_argument("--format", choices=("json", "table"), default="table")
    cov.set_defaults(func=cmd_green_coverage)
    life = green_actions.add_parser("life-circle", help="residential land within a walk of metro stations")
    life.add_argument("--stations", required=True, metavar="FILE")
    life.add_argument("--residential", required=True, metavar="FILE")
    life.add_argument("--paths", required=True, metavar="FILE", help="walking path network")
    life.add_argument("--minutes", type=float, required=True, help="walk [min], e.g. the plan's 15")
    life.add_argument("--walk-speed-m-per-min", type=float, required=True, help="walking speed [m/min]")
    life.add_argument("--access-m", type=float, required=True, help="longest off-network walk [m]")
    life.add_argument("--weight", choices=WEIGHTS, default="area")
    life.add_argument("--crs", help="projected CRS in metres (default: the plan's)")
    life.add_argument("--format", choices=("json", "table"), default="table")
    life.set_defaults(func=cmd_green_life_circle)
    sink = green_actions.add_parser(
        "sink", help="green-space sink of the stored parks (inventory row, lever)"
    )
    sink.add_argument("--year", type=int, help="parks open at the end of this year (default: this year)")
    sink.add_argument("--area", default="district", help="area code of the inventory row (default: district)")
    sink.add_argument(
        "--activity-csv", metavar="FILE", help="write the land-use sink row as an activity file"
    )
    sink.add_argument("--format", choices=("json", "table"), default="table")
    sink.set_defaults(func=cmd_green_sink)

    transit = subparsers.add_parser("transit", help="bus coverage of rail stations from layer files")
    transit.set_defaults(func=group_help(transit))
    transit_actions = transit.add_subparsers(dest="action", metavar="ACTION")
    tcov = transit_actions.add_parser("coverage", help="stations with a bus stop within the radius")
    tcov.add_argument("--stations", required=True, metavar="FILE")
    tcov.add_argument("--stops", required=True, metavar="FILE")
    tcov.add_argument("--radius-m", type=float, default=50.0, help="walking radius [m] (default 50)")
    tcov.add_argument("--crs", help="projected CRS in metres, e.g. EPSG:4549 (default: the plan's)")
    tcov.add_argument("--format", choices=("json", "table"), default="table")
    tcov.set_defaults(func=cmd_transit_coverage)
