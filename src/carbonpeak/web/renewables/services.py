"""Writes: import the PV installation and charging site registries (all rows or none, idempotent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from carbonpeak.io.renewables import read_charging_file, read_pv_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.portal.uploads import UploadRejectedError, tabular_upload_check
from carbonpeak.web.renewables.models import ChargingSite, PvInstallation

FILE_KINDS = ("pv", "chargers")


@dataclass
class ImportOutcome:
    """Rows created, updated and left unchanged, or the errors that rejected the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _buildings(rows: Sequence[dict[str, Any]], label: str, outcome: ImportOutcome) -> dict[str, Building]:
    codes = {r["building_id"] for r in rows if r["building_id"]}
    found = {b.code: b for b in Building.objects.filter(code__in=codes)}
    for row in rows:
        if row["building_id"] and row["building_id"] not in found:
            outcome.errors.append(
                RowError(label, row["row"], (("building_id", f"unknown building '{row['building_id']}'"),))
            )
    return found


def _store(
    model: Any, code: str, values: dict[str, Any], outcome: ImportOutcome, absent: Sequence[str] = ()
) -> None:
    """Create or update one row by code; on update, the fields in ``absent`` (their column is not in the
    file) keep their stored values."""
    current = model.objects.filter(code=code).first()
    if current is None:
        model.objects.create(code=code, **values)
        outcome.created += 1
        return
    values = {k: v for k, v in values.items() if k not in absent}
    if all(getattr(current, k) == v for k, v in values.items()):
        outcome.unchanged += 1
        return
    for key, value in values.items():
        setattr(current, key, value)
    current.save()
    outcome.updated += 1


PV_FIELDS = {"building_id": "building", "storage_kwh": "storage_kwh", "owner": "owner"}
"""Optional PV columns → the model field each sets (``quality`` is not kept: a file's rows are not
synthetic unless it says so)."""
SITE_FIELDS = {
    "building_id": "building",
    "parking_lot": "parking_lot",
    "parking_spaces": "parking_spaces",
    "fast_count": "fast_count",
    "slow_count": "slow_count",
    "fast_kw": "fast_kw",
    "slow_kw": "slow_kw",
    "ready_spaces": "ready_spaces",
}
"""Optional charging-site columns → the model field each sets."""


def _absent(optional: dict[str, str], columns: Sequence[str] | None) -> list[str]:
    """Fields whose optional column the file lacks (none when the columns are not given)."""
    return [] if columns is None else [f for c, f in optional.items() if c not in columns]


def pv_installations_import(
    *,
    rows: Sequence[dict[str, Any]],
    label: str = "pv",
    synthetic: bool = False,
    columns: Sequence[str] | None = None,
) -> ImportOutcome:
    """Create or update PV installations by id from validated rows (:func:`carbonpeak.io.renewables.
    read_pv_file`), in one transaction; an unknown building rejects the file. With the file's ``columns``,
    an update leaves the fields of optional columns the file lacks as they are."""
    outcome = ImportOutcome()
    absent = _absent(PV_FIELDS, columns)
    buildings = _buildings(rows, label, outcome)
    if outcome.errors:
        return outcome
    with transaction.atomic():
        for row in rows:
            values = {
                "building": buildings.get(row["building_id"]),
                "capacity_kwp": row["capacity_kwp"],
                "kind": row["kind"],
                "commissioned": row["commissioned"],
                "storage_kwh": row["storage_kwh"],
                "owner": row["owner"],
                "synthetic": synthetic or row["synthetic"],
            }
            _store(PvInstallation, row["id"], values, outcome, absent)
    return outcome


def charging_sites_import(
    *,
    rows: Sequence[dict[str, Any]],
    label: str = "chargers",
    synthetic: bool = False,
    columns: Sequence[str] | None = None,
) -> ImportOutcome:
    """Create or update charging sites by id from validated rows (:func:`carbonpeak.io.renewables.
    read_charging_file`), in one transaction; an unknown building rejects the file. With the file's
    ``columns``, an update leaves the fields of optional columns the file lacks (e.g. ``ready_spaces``) as
    they are."""
    outcome = ImportOutcome()
    absent = _absent(SITE_FIELDS, columns)
    buildings = _buildings(rows, label, outcome)
    if outcome.errors:
        return outcome
    fields = (
        "name",
        "parking_lot",
        "site_kind",
        "access",
        "parking_spaces",
        "fast_count",
        "slow_count",
        "ready_spaces",
    )
    with transaction.atomic():
        for row in rows:
            values = {f: row[f] for f in fields}
            values.update(
                building=buildings.get(row["building_id"]),
                fast_kw=row["fast_kw"],
                slow_kw=row["slow_kw"],
                commissioned=row["commissioned"],
                synthetic=synthetic or row["synthetic"],
            )
            _store(ChargingSite, row["id"], values, outcome, absent)
    return outcome


def renewables_file_import(*, kind: str, filename: str, content: bytes) -> ImportOutcome:
    """Check and import an uploaded PV (``kind="pv"``) or charging site (``"chargers"``) file.

    Raises
    ------
    UploadRejectedError
        If the kind is unknown or the file is not a .csv/.xlsx within ``CARBONPEAK_MAX_UPLOAD_MB``.
    """
    if kind not in FILE_KINDS:
        raise UploadRejectedError(f"unknown file kind '{kind}'; choose one of: {', '.join(FILE_KINDS)}")
    tabular_upload_check(filename=filename, content=content)
    path = Path(filename)
    parsed = (read_pv_file if kind == "pv" else read_charging_file)(path, content)
    if parsed.errors:
        return ImportOutcome(errors=parsed.errors)
    store = pv_installations_import if kind == "pv" else charging_sites_import
    return store(rows=parsed.rows, label=path.name, columns=parsed.columns)


def renewables_demo_load(*, seed: int) -> str:
    """Load the SYNTHETIC demo PV installations and charging sites for the synthetic demo buildings, and a
    metered PV generation meter on every other new building with rooftop or BIPV PV.

    Deterministic for a seed and the building registry: running it again changes nothing.
    """
    from carbonpeak.demo.renewables import DemoBuilding, reference_renewables

    buildings = [
        DemoBuilding(*row)
        for row in Building.objects.filter(synthetic=True).values_list(
            "code", "primary_use", "public_institution", "floor_area_m2", "year_built"
        )
    ]
    pv_rows, site_rows = reference_renewables(buildings, seed=seed)
    pv = pv_installations_import(rows=pv_rows, label="demo PV", synthetic=True)
    sites = charging_sites_import(rows=site_rows, label="demo charging sites", synthetic=True)
    errors = pv.errors + sites.errors
    if errors:  # the generator only names buildings it was given: a failure here is a bug
        raise RuntimeError("; ".join(str(e) for e in errors))
    metered = _demo_generation_meters(seed=seed)
    return (
        f"{len(pv_rows)} PV installations ({pv.created} new), {len(site_rows)} charging sites "
        f"({sites.created} new), {metered} PV generation meters, SYNTHETIC"
    )


def _demo_generation_meters(*, seed: int) -> int:
    """A generation meter (``generation.pv``) with a SYNTHETIC year of 15-minute output on every other new
    synthetic building with rooftop or BIPV PV, fed through the readings ingest like any meter's data."""
    from carbonpeak.core.pv.yield_ import hourly_yield_per_kwp
    from carbonpeak.core.renewables.substitution import ESTIMATE_ORIENTATION
    from carbonpeak.demo.renewables import generation_readings
    from carbonpeak.io.readings import ReadingColumns
    from carbonpeak.web.buildings.services import meters_import, readings_ingest
    from carbonpeak.web.renewables.plan_rules import substitution_new_from
    from carbonpeak.web.renewables.selectors import default_weather_year

    new_from = substitution_new_from()
    if new_from is None:
        return 0
    installations = list(
        PvInstallation.objects.filter(
            synthetic=True, kind__in=("rooftop", "bipv"), building__year_built__gte=new_from
        )
        .select_related("building")
        .order_by("code")
    )[::2]
    if not installations:
        return 0
    weather = default_weather_year()
    rows, columns = [], []
    for k, p in enumerate(installations):
        assert p.building is not None
        tilt, azimuth = ESTIMATE_ORIENTATION[p.kind]
        hourly = hourly_yield_per_kwp(
            weather.data, weather.latitude_deg, weather.longitude_deg, weather.altitude_m, [tilt], [azimuth]
        )[0]
        code = f"{p.building.code}-PV"
        rows.append(
            {
                "row": k + 2,
                "id": code,
                "building_id": p.building.code,
                "energy_class": "electricity",
                "unit": "kWh",
                "category": "generation.pv",
                "kind": "interval",
                "multiplier": 1.0,
                "interval_minutes": 15,
                "register_max": None,
                "it_load": False,
                "virtual": [],
            }
        )
        stamps, values = generation_readings(hourly, p.capacity_kwp, p.commissioned, seed=seed + k)
        columns.append(ReadingColumns.from_meter_ids([code] * len(stamps), stamps, values))
    outcome = meters_import(rows=rows, label="demo generation meters")
    if outcome.errors:
        raise RuntimeError("; ".join(str(e) for e in outcome.errors))
    readings_ingest(readings=ReadingColumns.concat(columns), source="demo")
    return len(rows)
