"""Writes of the spatial app: layer imports (a whole layer at a time), the vehicle registry, the
population series and the SYNTHETIC demo layer set. Keyword-only, atomic, idempotent."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from shapely.geometry import mapping

from carbonpeak.core.spatial.features import LayerKind
from carbonpeak.io.spatial import GEO_SUFFIXES, LayerFile, RawFeature, read_layer, read_vehicles
from carbonpeak.web.portal.uploads import UploadRejectedError, tabular_upload_check
from carbonpeak.web.spatial.models import MapFeature, PopulationStat, Vehicle


@dataclass
class LayerImportOutcome:
    """What a layer import did, or every error that rejected it (nothing stored then)."""

    layer: str
    created: int = 0
    replaced: int = 0
    errors: list[str] = field(default_factory=list)


def layer_replace(
    *, kind: LayerKind | str, features: Sequence[RawFeature], source_file: str = "", synthetic: bool = False
) -> LayerImportOutcome:
    """Replace every feature of layer ``kind`` by ``features`` (validated WGS 84 features), atomically."""
    kind = LayerKind(kind)
    with transaction.atomic():
        replaced, _ = MapFeature.objects.filter(layer=kind.value).delete()
        MapFeature.objects.bulk_create(
            [
                MapFeature(
                    layer=kind.value,
                    feature_id=f.id,
                    name=str(f.properties.get("name", ""))[:200],
                    geometry=json.dumps(mapping(f.geometry)),
                    properties=f.geojson()["properties"],
                    opened=f.properties.get("opened"),
                    source_file=source_file[:255],
                    synthetic=synthetic,
                )
                for f in features
            ]
        )
    return LayerImportOutcome(kind.value, created=len(features), replaced=replaced)


def layer_file_import(*, kind: str, filename: str, content: bytes) -> LayerImportOutcome:
    """Check and import an uploaded layer file (.geojson/.json, .csv points, .gpkg, zipped .shp).

    Raises
    ------
    UploadRejectedError
        If the layer or the file type is unknown, or the file is over ``CARBONPEAK_MAX_UPLOAD_MB``.
    """
    try:
        layer_kind = LayerKind(kind)
    except ValueError:
        raise UploadRejectedError(f"unknown layer '{kind}'") from None
    suffix = Path(filename).suffix.lower()
    if suffix not in GEO_SUFFIXES:
        raise UploadRejectedError(f"{filename}: only {', '.join(GEO_SUFFIXES)} files are accepted")
    if suffix == ".csv":
        tabular_upload_check(filename=filename, content=content)
    elif len(content) > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadRejectedError(f"{filename}: is over the {settings.MAX_UPLOAD_MB} MB limit")
    if suffix in (".gpkg", ".zip", ".shp"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(filename).name
            path.write_bytes(content)
            parsed = read_layer(path, layer_kind)
    else:
        parsed = read_layer(Path(filename), layer_kind, content)
    return layer_file_store(parsed=parsed, source_file=filename)


def layer_file_store(*, parsed: LayerFile, source_file: str, synthetic: bool = False) -> LayerImportOutcome:
    """Store a parsed layer file, or report its errors (nothing stored)."""
    if not parsed.ok:
        return LayerImportOutcome(parsed.kind.value, errors=[str(e) for e in parsed.errors])
    return layer_replace(
        kind=parsed.kind, features=parsed.features, source_file=source_file, synthetic=synthetic
    )


@dataclass
class VehicleImportOutcome:
    """What a vehicle import did, or every rejected row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def vehicles_import(*, rows: Sequence[dict[str, Any]], synthetic: bool = False) -> VehicleImportOutcome:
    """Create or update vehicles by id from validated rows, atomically."""
    outcome = VehicleImportOutcome()
    fields = ("operator", "category", "fuel", "in_service", "out_of_service")
    with transaction.atomic():
        existing = {v.vehicle_id: v for v in Vehicle.objects.filter(vehicle_id__in=[r["id"] for r in rows])}
        for row in rows:
            current = existing.get(row["id"])
            if current is None:
                Vehicle.objects.create(
                    vehicle_id=row["id"], synthetic=synthetic, **{k: row[k] for k in fields}
                )
                outcome.created += 1
            elif any(getattr(current, k) != row[k] for k in fields) or current.synthetic != synthetic:
                for k in fields:
                    setattr(current, k, row[k])
                current.synthetic = synthetic
                current.save()
                outcome.updated += 1
            else:
                outcome.unchanged += 1
    return outcome


def vehicle_file_import(*, filename: str, content: bytes) -> VehicleImportOutcome:
    """Check and import an uploaded vehicle registry (.csv/.xlsx): all rows or none."""
    tabular_upload_check(filename=filename, content=content)
    parsed = read_vehicles(Path(filename), content)
    if parsed.errors:
        return VehicleImportOutcome(errors=[str(e) for e in parsed.errors])
    return vehicles_import(rows=parsed.rows)


def population_set(*, year: int, population: float, source: str, synthetic: bool = False) -> PopulationStat:
    """Set the district's resident population of ``year`` (the per-capita denominator).

    Raises
    ------
    ValueError
        If the population is not a plausible count or the source is empty.
    """
    if not (0 < population < 1e8) or population != population:
        raise ValueError(f"population {population} is not a plausible count of residents")
    if not source.strip():
        raise ValueError("population: give its source (e.g. the census or the statistical yearbook)")
    stat, _ = PopulationStat.objects.update_or_create(
        year=year, defaults={"population": population, "source": source, "synthetic": synthetic}
    )
    return stat


def demo_spatial_load(*, seed: int) -> str:
    """Load the SYNTHETIC demo layer set, fleet and population from :mod:`carbonpeak.demo.spatial`.

    Deterministic for a seed: running it again replaces the layers with the same features. Layers the
    district has imported (not synthetic) are left alone.
    """
    from carbonpeak.demo.spatial import demo_layers, demo_population, demo_vehicles

    loaded = []
    with transaction.atomic():
        for kind, features in demo_layers(seed=seed).items():
            if MapFeature.objects.filter(layer=kind.value, synthetic=False).exists():
                continue
            layer_replace(kind=kind, features=features, source_file="demo (SYNTHETIC)", synthetic=True)
            loaded.append(f"{kind.value} {len(features)}")
        if not Vehicle.objects.filter(synthetic=False).exists():
            vehicles_import(rows=demo_vehicles(seed=seed), synthetic=True)
        year, population, source = demo_population()
        if not PopulationStat.objects.filter(year=year, synthetic=False).exists():
            population_set(year=year, population=population, source=source, synthetic=False)
    return (
        f"SYNTHETIC spatial demo (seed {seed}): {', '.join(loaded) or 'no layer (district layers kept)'}; "
        f"{Vehicle.objects.filter(synthetic=True).count()} synthetic vehicles"
    )
