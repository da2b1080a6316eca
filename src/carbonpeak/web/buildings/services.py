"""Write services: registry and meter imports (all or nothing), degree-days, uploads, gateways.

Reading ingest lives in :mod:`carbonpeak.web.buildings.ingest` (its services are re-exported here).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from carbonpeak.io.buildings import read_buildings_file, read_meters_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.ingest import (
    IngestResult,
    meter_recompute,
    readings_file_import,
    readings_ingest,
)
from carbonpeak.web.buildings.models import Building, DegreeDays, Gateway, Meter
from carbonpeak.web.portal.uploads import UploadRejectedError, tabular_upload_check

__all__ = [
    "FileImport",
    "ImportOutcome",
    "IngestResult",
    "buildings_file_import",
    "buildings_import",
    "degree_days_import",
    "gateway_create",
    "meter_recompute",
    "meters_import",
    "readings_file_import",
    "readings_ingest",
    "token_hash",
]


@dataclass
class ImportOutcome:
    """Rows created and updated, or the errors that rejected the file (then nothing changed)."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    recomputed: list[str] = field(default_factory=list)
    """Meters whose stored consumption and rollups were recomputed because their kind or scaling changed."""


COLUMN_OF_FIELD = {"footprint": "footprint_geojson", "lat": "lat", "lon": "lon"}
"""Registry fields whose file column has another name."""


def buildings_import(
    *,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None = None,
    synthetic: bool = False,
    label: str = "buildings",
) -> ImportOutcome:
    """Create or update buildings from validated rows, in one transaction.

    With ``columns`` (the file's header), an existing building is updated only in the fields the file
    carries, so a file without ``publishable`` leaves the office's choice in the admin alone. A row naming a
    ``sub_area`` that is not in the sub-area registry rejects the file (the error names the code).
    """
    from carbonpeak.web.areas.models import SubArea

    outcome = ImportOutcome()
    wanted = {r["sub_area"] for r in rows if r.get("sub_area")}
    sub_areas = {a.code: a for a in SubArea.objects.filter(code__in=wanted)}
    for row in rows:
        code = row.get("sub_area")
        if code and code not in sub_areas:
            problem = f"unknown sub-area '{code}': import it first with 'carbonpeak areas import FILE'"
            outcome.errors.append(RowError(label, row.get("row"), (("sub_area", problem),)))
    if outcome.errors:
        return outcome
    fields = [
        "name",
        "address",
        "street",
        "lat",
        "lon",
        "footprint",
        "primary_use",
        "secondary_uses",
        "floor_area_m2",
        "conditioned_area_m2",
        "roof_area_m2",
        "year_built",
        "owner",
        "operator",
        "public_institution",
        "occupants",
        "operating_hours",
        "last_audit_date",
        "audit_interval_years",
        "publishable",
    ]
    present = set(columns) if columns is not None else None
    with transaction.atomic():
        for row in rows:
            values = {f: row.get(f) for f in fields}
            for text in ("address", "street", "owner", "operator"):
                values[text] = values[text] or ""
            values["secondary_uses"] = values["secondary_uses"] or []
            values["public_institution"] = bool(values["public_institution"])
            values["publishable"] = bool(values["publishable"])
            values["synthetic"] = synthetic or row.get("quality") == "synthetic"
            values["sub_area"] = sub_areas.get(row.get("sub_area") or "")
            building = Building.objects.filter(code=row["id"]).first()
            if building is None:
                Building.objects.create(code=row["id"], **values)
                outcome.created += 1
                continue
            for name, value in values.items():
                if present is None or COLUMN_OF_FIELD.get(name, name) in present or name == "synthetic":
                    setattr(building, name, value)
            building.save()
            outcome.updated += 1
    return outcome


def meters_import(*, rows: Sequence[dict[str, Any]], label: str = "meters") -> ImportOutcome:
    """Create or update meters; one of an unknown building (or virtual over unknown meters) rejects all."""
    codes = {r["building_id"] for r in rows}
    buildings = {b.code: b for b in Building.objects.filter(code__in=codes)}
    known_meters = set(Meter.objects.values_list("code", flat=True)) | {r["id"] for r in rows}
    outcome = ImportOutcome()
    for row in rows:
        problems = []
        if row["building_id"] not in buildings:
            problems.append(("building_id", f"unknown building '{row['building_id']}'"))
        for term in row.get("virtual", []):
            if term["meter"] not in known_meters:
                problems.append(("virtual", f"unknown meter '{term['meter']}'"))
        if problems:
            outcome.errors.append(RowError(label, row["row"], tuple(problems)))
    if outcome.errors:
        return outcome
    fields = [
        "energy_class",
        "category",
        "kind",
        "unit",
        "multiplier",
        "interval_minutes",
        "register_max",
        "it_load",
        "virtual",
    ]
    with transaction.atomic():
        before = {
            m.code: (m.kind, m.multiplier, m.register_max)
            for m in Meter.objects.filter(code__in=[r["id"] for r in rows])
        }
        for row in rows:
            values = {f: row[f] for f in fields}
            meter, created = Meter.objects.update_or_create(
                code=row["id"], defaults={**values, "building": buildings[row["building_id"]]}
            )
            outcome.created += created
            outcome.updated += not created
            changed = not created and before[meter.code] != (meter.kind, meter.multiplier, meter.register_max)
            if changed and meter_recompute(meter=meter):
                outcome.recomputed.append(meter.code)
    return outcome


def degree_days_import(
    *, rows: Sequence[dict[str, Any]], label: str, synthetic: bool = False
) -> ImportOutcome:
    """Store monthly degree-days, all rows or none. Re-sending a stored month with the same figures changes
    nothing; different figures for a stored month reject the file (history is never overwritten silently)."""
    outcome = ImportOutcome()
    stored = {
        (d.station, d.period): d for d in DegreeDays.objects.filter(station__in={r["station"] for r in rows})
    }
    fresh = []
    for row in rows:
        old = stored.get((row["station"], row["period"]))
        if old is None:
            fresh.append(row)
        elif (old.heating_kd, old.cooling_kd) != (row["heating_kd"], row["cooling_kd"]):
            outcome.errors.append(
                RowError(
                    label,
                    row["row"],
                    (
                        (
                            "period",
                            f"{row['period']} at {row['station']} is stored as {old.heating_kd:g}/"
                            f"{old.cooling_kd:g} K·d; stored months are corrected by the office",
                        ),
                    ),
                )
            )
    if outcome.errors:
        return outcome
    with transaction.atomic():
        DegreeDays.objects.bulk_create(
            [
                DegreeDays(
                    station=r["station"],
                    period=r["period"],
                    heating_kd=r["heating_kd"],
                    cooling_kd=r["cooling_kd"],
                    source=r["source"],
                    synthetic=synthetic or r["quality"] == "synthetic",
                )
                for r in fresh
            ]
        )
    outcome.created = len(fresh)
    return outcome


FILE_KINDS = ("buildings", "meters", "readings")


@dataclass
class FileImport:
    """What an uploaded registry, meter or readings file did: counts, or every error that rejected it."""

    kind: str
    filename: str
    outcome: ImportOutcome | None = None
    ingest: IngestResult | None = None
    errors: list[str] = field(default_factory=list)


def buildings_file_import(*, kind: str, filename: str, content: bytes) -> FileImport:
    """Import an uploaded file of buildings or meters (all rows or none), or of readings (idempotent).

    Raises
    ------
    UploadRejectedError
        If the kind is unknown, the file is not .csv/.xlsx, is over ``CARBONPEAK_MAX_UPLOAD_MB``, or an
        .xlsx file is not a zip container (the first bytes are checked, not only the name).
    """
    if kind not in FILE_KINDS:
        raise UploadRejectedError(f"unknown file kind '{kind}'; choose one of: {', '.join(FILE_KINDS)}")
    tabular_upload_check(filename=filename, content=content)
    result = FileImport(kind, filename)
    path = Path(filename)
    if kind == "readings":
        ingest, errors = readings_file_import(path=path, content=content)
        result.errors = errors
        result.ingest = None if errors else ingest
        return result
    parsed = (read_buildings_file if kind == "buildings" else read_meters_file)(path, content)
    if parsed.errors:
        result.errors = [str(e) for e in parsed.errors]
        return result
    outcome = (
        buildings_import(rows=parsed.rows, columns=parsed.columns, label=filename)
        if kind == "buildings"
        else meters_import(rows=parsed.rows, label=filename)
    )
    result.outcome = outcome
    result.errors = [str(e) for e in outcome.errors]
    return result


def token_hash(token: str) -> str:
    """The stored form of a gateway token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def gateway_create(*, name: str, building_codes: Sequence[str]) -> tuple[Gateway, str]:
    """Create a gateway for some buildings; return it with its token (shown once, stored only hashed)."""
    buildings = list(Building.objects.filter(code__in=building_codes))
    missing = set(building_codes) - {b.code for b in buildings}
    if missing:
        raise ValueError(f"unknown buildings: {', '.join(sorted(missing))}")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        gateway = Gateway.objects.create(name=name, token_sha256=token_hash(token), created_at=timezone.now())
        gateway.buildings.set(buildings)
    return gateway, token
