"""Write services of the retrofit registry: imports (all rows or none), evidence, events, computation.

Every service is keyword-only and named ``<entity>_<action>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from carbonpeak.core.mv import (
    Exclusion,
    InsufficientDataError,
    MvInputError,
    Period,
    measure_savings,
)
from carbonpeak.io.mv import MvFileError, read_retrofit_projects, read_temperature
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.models import Building, Meter
from carbonpeak.web.portal.uploads import tabular_upload_check
from carbonpeak.web.retrofits import selectors
from carbonpeak.web.retrofits.models import (
    HourlyTemperature,
    NonRoutineEvent,
    OccupantCount,
    ProjectEvidence,
    ProjectResult,
    RetrofitProject,
)
from carbonpeak.web.tracking.services import Evidence, _evidence_store, evidence_check

PROJECT_FIELDS = (
    "name",
    "measures",
    "retrofitted_area_m2",
    "baseline_start",
    "baseline_end",
    "reporting_start",
    "reporting_end",
    "contractor",
    "contract_type",
    "method",
    "green_mall_certificate",
    "green_mall_certified_on",
)


@dataclass
class ImportOutcome:
    """Rows created, updated and unchanged, or the errors that rejected the file (then nothing changed)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def projects_import(
    *, rows: Sequence[dict[str, Any]], label: str = "projects", synthetic: bool = False
) -> ImportOutcome:
    """Create or update retrofit projects from validated rows, in one transaction, or change nothing.

    Each row's building must exist, and each of its meters must exist and belong to that building.
    """
    from carbonpeak.core.mv import METHODS

    outcome = ImportOutcome()
    buildings = {b.code: b for b in Building.objects.filter(code__in={r["building"] for r in rows})}
    meters = {m.code: m for m in Meter.objects.filter(code__in={c for r in rows for c in r["meters"]})}
    for row in rows:
        problems: list[tuple[str, str]] = []
        building = buildings.get(row["building"])
        if building is None:
            problems.append(("building", f"no building '{row['building']}' in the registry"))
        for code in row["meters"]:
            meter = meters.get(code)
            if meter is None:
                problems.append(("meters", f"no meter '{code}'"))
            elif building is not None and meter.building_id != building.pk:
                problems.append(("meters", f"meter '{code}' belongs to another building"))
            elif meter.virtual:
                problems.append(("meters", f"meter '{code}' is virtual: give its physical meters"))
        if row["method"] not in METHODS:
            problems.append(("method", f"'{row['method']}' is not one of {', '.join(METHODS)}"))
        if problems:
            outcome.errors.append(RowError(label, row.get("row"), tuple(problems)))
    if outcome.errors:
        return outcome
    with transaction.atomic():
        for row in rows:
            values = {f: row[f] for f in PROJECT_FIELDS}
            values["building"] = buildings[row["building"]]
            values["synthetic"] = synthetic
            chosen = [meters[c] for c in row["meters"]]
            project = RetrofitProject.objects.filter(code=row["id"]).first()
            if project is None:
                project = RetrofitProject.objects.create(code=row["id"], **values)
                project.meters.set(chosen)
                outcome.created += 1
                continue
            same = all(getattr(project, k) == v for k, v in values.items()) and {
                m.pk for m in project.meters.all()
            } == {m.pk for m in chosen}
            if same:
                outcome.unchanged += 1
                continue
            for name, value in values.items():
                setattr(project, name, value)
            project.save()
            project.meters.set(chosen)
            outcome.updated += 1
    return outcome


def projects_file_import(*, filename: str, content: bytes) -> ImportOutcome:
    """Check and import an uploaded project registry file (.csv or .xlsx), all rows or none."""
    tabular_upload_check(filename=filename, content=content)
    parsed = read_retrofit_projects(Path(filename), content)
    if parsed.errors:
        return ImportOutcome(errors=parsed.errors)
    return projects_import(rows=parsed.rows, label=Path(filename).name)


def temperatures_import(*, station: str, series: pd.Series, synthetic: bool = False) -> int:
    """Store hourly temperatures [°C] of a station; hours already stored keep their value. Returns the
    number of hours added."""
    station = station.strip()
    if not station:
        raise MvInputError("a weather station needs a name")
    index = pd.DatetimeIndex(series.index)
    start, end = index.min().to_pydatetime(), index.max().to_pydatetime()
    stored = set(
        HourlyTemperature.objects.filter(station=station, ts__gte=start, ts__lte=end).values_list(
            "ts", flat=True
        )
    )
    fresh = [
        HourlyTemperature(station=station, ts=ts.to_pydatetime(), temperature_c=float(v), synthetic=synthetic)
        for ts, v in zip(index, series.to_numpy(), strict=True)
        if ts.to_pydatetime() not in stored
    ]
    with transaction.atomic():
        HourlyTemperature.objects.bulk_create(fresh, batch_size=2000)
    return len(fresh)


def temperatures_file_import(*, station: str, filename: str, content: bytes) -> tuple[int, list[str]]:
    """Import a ``timestamp,temperature_c`` CSV upload; returns (hours added, errors)."""
    if Path(filename).suffix.lower() != ".csv":
        return 0, [f"{filename}: temperatures are a .csv file timestamp,temperature_c"]
    tabular_upload_check(filename=filename, content=content)
    try:
        series = read_temperature(Path(filename), content)
    except MvFileError as exc:
        return 0, [str(e) for e in exc.errors]
    return temperatures_import(station=station, series=series), []


def project_evidence_add(
    *, project: RetrofitProject, kind: str, evidence: Evidence, user: Any = None
) -> ProjectEvidence:
    """Check and store an evidence file of a project (the tracking app's checks and store)."""
    if kind not in dict(ProjectEvidence.KINDS):
        raise MvInputError(f"'{kind}' is not an evidence kind ({', '.join(dict(ProjectEvidence.KINDS))})")
    file_kind = evidence_check(evidence=evidence)
    path, sha = _evidence_store(evidence)
    return ProjectEvidence.objects.create(
        project=project,
        kind=kind,
        name=evidence.name,
        path=path,
        sha256=sha,
        size=len(evidence.content),
        file_kind=file_kind,
        uploaded_at=timezone.now(),
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )


def project_event_add(
    *, project: RetrofitProject, start: datetime, end: datetime, reason: str
) -> NonRoutineEvent:
    """Record a non-routine event to exclude from the project's reporting period."""
    Exclusion(start, end, reason)  # validates the window and the reason
    return NonRoutineEvent.objects.create(project=project, start=start, end=end, reason=reason.strip())


def occupants_import(*, rows: Sequence[dict[str, Any]], synthetic: bool = False) -> int:
    """Store per-building-year occupant counts ``{"building", "year", "occupants", "source"}``."""
    buildings = {b.code: b for b in Building.objects.filter(code__in={r["building"] for r in rows})}
    missing = sorted({r["building"] for r in rows} - set(buildings))
    if missing:
        raise MvInputError(f"no building {', '.join(missing)} in the registry")
    with transaction.atomic():
        for row in rows:
            if not row["occupants"] > 0:
                raise MvInputError(f"{row['building']} {row['year']}: occupants must be above 0")
            OccupantCount.objects.update_or_create(
                building=buildings[row["building"]],
                year=row["year"],
                defaults={
                    "occupants": row["occupants"],
                    "source": row.get("source", ""),
                    "synthetic": synthetic,
                },
            )
    return len(rows)


@dataclass
class ComputeOutcome:
    """What :func:`project_compute` stored."""

    status: str
    reason: str
    savings_fraction: float | None
    fsu: float | None
    result: ProjectResult


def project_compute(*, project: RetrofitProject, today: date | None = None) -> ComputeOutcome:
    """Compute a project's savings from its meters' rollups and its station's temperatures; store it.

    The reporting period is cut at ``today`` while it runs (status ``incomplete``). Insufficient data is
    stored as ``refused`` with the failed rules, unusable input as ``failed``; nothing raises.
    """
    today = today or timezone.localdate()
    status, reason = "computed", ""
    document = None
    fraction = fsu = None
    gates = False
    failed_rules: list[str] = []
    end_day = min(project.reporting_end, today)
    if not selectors.reporting_complete(project, today):
        status = "incomplete"
    station = project.weather_station or selectors.default_station()
    meters = selectors.project_meters(project)
    try:
        if end_day <= project.reporting_start:
            raise MvInputError("the reporting period has not started")
        if station is None:
            raise MvInputError("no hourly temperatures are stored: import a station's temperatures first")
        if not meters:
            raise MvInputError("the project has no meter and its building no main electricity meter")
        start = selectors.local_midnight(project.baseline_start)
        end = selectors.local_midnight(end_day)
        usage = selectors.meter_series(meters, start, end, hourly=project.method == "caltrack_hourly")
        temps = selectors.temperature_series(station, start, end)
        if usage.empty:
            raise MvInputError("the project's meters have no readings in its periods")
        if temps.empty:
            raise MvInputError(f"weather station {station} has no temperatures in the project's periods")
        exclusions = [Exclusion(e.start, e.end, e.reason) for e in project.events.all()]
        result = measure_savings(
            project.method,
            usage,
            temps,
            baseline=Period(start, selectors.local_midnight(project.baseline_end)),
            reporting=Period(selectors.local_midnight(project.reporting_start), end),
            exclusions=exclusions,
        )
    except InsufficientDataError as exc:
        status, reason = "refused", str(exc)
        failed_rules = list(exc.rules)
    except MvInputError as exc:
        status, reason = "failed", str(exc)
    else:
        document = result.to_dict()
        fraction = result.savings_fraction if result.savings_fraction == result.savings_fraction else None
        fsu = result.fsu if result.fsu == result.fsu and abs(result.fsu) != float("inf") else None
        gates = result.fit.gates_passed
        if status == "incomplete":
            reason = f"reporting period runs to {project.reporting_end.isoformat()}: savings to date"
    stored = ProjectResult.objects.create(
        project=project,
        computed_at=timezone.now(),
        status=status,
        reason=reason[:500],
        failed_rules=failed_rules,
        document=document,
        savings_fraction=fraction,
        fsu=fsu,
        gates_passed=gates,
    )
    return ComputeOutcome(status, reason, fraction, fsu, stored)


DEMO_PUBLIC_USES = (
    "government_office",
    "school_university",
    "hospital",
    "commercial_office",
    "hotel",
    "shopping_mall",
)
"""Uses of the demo buildings that get a synthetic retrofit project."""


def demo_retrofits_load(*, seed: int) -> str:
    """SYNTHETIC retrofit projects on the demo buildings: a station's hourly temperatures, an hourly HVAC
    plant meter per project with two years of readings (through the readings ingest), the projects, a
    green-mall certificate with its evidence, per-year occupant counts of public institutions, and each
    project's savings computed. Returns a one-line summary (labelled synthetic)."""
    from carbonpeak.demo.retrofits import STATION, plant_readings, project_specs, synthetic_temperatures
    from carbonpeak.io.readings import ReadingColumns
    from carbonpeak.web.buildings.services import meters_import, readings_ingest

    buildings = list(
        Building.objects.filter(synthetic=True, primary_use__in=DEMO_PUBLIC_USES)
        .order_by("code")
        .values_list("code", "primary_use", "floor_area_m2")
    )
    specs = project_specs([tuple(b) for b in buildings], seed=seed)  # type: ignore[misc]
    if not specs:
        return "no synthetic demo buildings: run the demo with --buildings first"
    temperatures = synthetic_temperatures(seed=seed)
    temperatures_import(station=STATION, series=temperatures, synthetic=True)
    meter_rows, columns = [], []
    for k, spec in enumerate(specs):
        code = spec.row["meter"]
        meter_rows.append(
            {
                "row": k + 2,
                "id": code,
                "building_id": spec.row["building"],
                "energy_class": "electricity",
                "unit": "kWh",
                "category": "hvac.plant",
                "kind": "interval",
                "multiplier": 1.0,
                "interval_minutes": 60,
                "register_max": None,
                "it_load": False,
                "virtual": [],
            }
        )
        series = plant_readings(spec, temperatures, seed=seed + 100 + k)
        stamps = pd.DatetimeIndex(series.index).tz_convert("UTC").as_unit("ns").asi8
        columns.append(ReadingColumns.from_meter_ids([code] * len(series), stamps, series.to_numpy()))
    outcome = meters_import(rows=meter_rows, label="demo retrofit meters")
    if outcome.errors:
        raise MvInputError("; ".join(str(e) for e in outcome.errors))
    readings_ingest(readings=ReadingColumns.concat(columns), source="demo")
    rows = [
        {
            **{k: v for k, v in s.row.items() if k not in ("meter", "area_m2")},
            "row": i + 2,
            "meters": [s.row["meter"]],
        }
        for i, s in enumerate(specs)
    ]
    imported = projects_import(rows=rows, label="demo retrofit projects", synthetic=True)
    if imported.errors:
        raise MvInputError("; ".join(str(e) for e in imported.errors))
    RetrofitProject.objects.filter(code__in=[r["id"] for r in rows]).update(weather_station=STATION)
    for project in RetrofitProject.objects.filter(synthetic=True).exclude(green_mall_certificate=""):
        if not project.evidence.filter(kind="green_mall_certificate").exists():
            content = (
                b"%PDF-1.4\n% carbonpeak demo: SYNTHETIC green-mall certificate, not a real document\n%%EOF\n"
            )
            project_evidence_add(
                project=project,
                kind="green_mall_certificate",
                evidence=Evidence(f"{project.code}-green-mall-SYNTHETIC.pdf", content),
            )
    institutions = _demo_public_institutions(seed=seed)
    statuses: dict[str, int] = {}
    for project in RetrofitProject.objects.filter(code__in=[r["id"] for r in rows]):
        status = project_compute(project=project).status
        statuses[status] = statuses.get(status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    return (
        f"{len(rows)} SYNTHETIC retrofit projects ({summary}), hourly temperatures of {STATION}; "
        f"{institutions} public institutions with SYNTHETIC baseline-year readings, water and occupants"
    )


def _demo_public_institutions(*, seed: int) -> int:
    """SYNTHETIC data the public-institution indicators need and the buildings demo lacks: daily readings
    of the baseline year on each main meter (the 2025 total, a few percent higher, reshaped), a daily water
    meter with both years, and per-year occupant counts."""
    from carbonpeak.demo.retrofits import PI_BASELINE_YEAR, daily_values
    from carbonpeak.io.readings import ReadingColumns
    from carbonpeak.web.buildings.selectors import main_meters, meter_year_totals
    from carbonpeak.web.buildings.services import meters_import, readings_ingest

    buildings = list(Building.objects.filter(synthetic=True, public_institution=True, occupants__gt=0))
    columns: list[ReadingColumns] = []
    water_rows: list[dict[str, Any]] = []
    occupants: list[dict[str, Any]] = []
    for k, b in enumerate(buildings):
        current = max((y for y in (2025, 2024) if any(meter_year_totals(b, y).values())), default=None)
        if current is None:
            continue
        totals = meter_year_totals(b, current)
        for j, meter in enumerate(m for m in main_meters(b) if m.energy_class == "electricity"):
            if not totals.get(meter.code):
                continue
            days, values = daily_values(PI_BASELINE_YEAR, totals[meter.code] * 1.08, seed=seed + 1000 * k + j)
            stamps = days.tz_convert("UTC").as_unit("ns").asi8
            columns.append(ReadingColumns.from_meter_ids([meter.code] * len(days), stamps, values))
        code = f"{b.code}-WATER"
        water_rows.append(
            {
                "row": len(water_rows) + 2,
                "id": code,
                "building_id": b.code,
                "energy_class": "water",
                "unit": "m3",
                "category": "total",
                "kind": "interval",
                "multiplier": 1.0,
                "interval_minutes": 1440,
                "register_max": None,
                "it_load": False,
                "virtual": [],
            }
        )
        assert b.occupants is not None
        for year, per_person in ((PI_BASELINE_YEAR, 30.0), (current, 27.5)):
            days, values = daily_values(year, b.occupants * per_person, seed=seed + 7 * k + year)
            stamps = days.tz_convert("UTC").as_unit("ns").asi8
            columns.append(ReadingColumns.from_meter_ids([code] * len(days), stamps, values))
            occupants.append(
                {"building": b.code, "year": year, "occupants": b.occupants, "source": "SYNTHETIC demo"}
            )
    if not columns:
        return 0
    outcome = meters_import(rows=water_rows, label="demo water meters")
    if outcome.errors:
        raise MvInputError("; ".join(str(e) for e in outcome.errors))
    readings_ingest(readings=ReadingColumns.concat(columns), source="demo")
    occupants_import(rows=occupants, synthetic=True)
    return len(water_rows)
