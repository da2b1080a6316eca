"""The ``carbonpeak`` command.

Every sub-command exits 0 on success. On bad input it prints one line, ``carbonpeak: error: ...``, to
standard error and exits non-zero (2 for a usage error, 1 for anything else).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

from carbonpeak import __version__
from carbonpeak.cli import setup
from carbonpeak.cli.base import _django, _fail, _Parser, _require_migrated
from carbonpeak.core.errors import CarbonpeakError

GROUP_MODULES: tuple[str, ...] = ("areas", "waste", "credits", "spatial", "flex", "lca", "mv")
"""Command groups that live in modules of their own (``carbonpeak.cli.<name>``), each with ``register``."""


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply database migrations."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    print("database is up to date")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``carbonpeak setup`` with the reference district's plan, plus the SYNTHETIC demo data."""
    _django()
    from django.conf import settings

    from carbonpeak.data import DATA_DIR, REFERENCE_PLAN
    from carbonpeak.web.portal.services import demo_user_ensure

    print("demo: the production set-up (carbonpeak setup) with the reference plan, plus SYNTHETIC data")
    for line in setup.setup_district(plan_file=REFERENCE_PLAN, data_dir=DATA_DIR, admin=None):
        print(line)
    from carbonpeak.web.portal.demo import demo_district_load

    for label, summary in demo_district_load(buildings=args.buildings, seed=args.seed):
        print(f"{label}: {summary}", flush=True)
    login = demo_user_ensure(credentials_file=Path(settings.DATA_DIR) / "demo-login.txt")
    print(
        f"demo login: user {login.username}  password {login.password}"
        f"  (kept in {Path(settings.DATA_DIR) / 'demo-login.txt'})"
    )
    from carbonpeak.web.tracking.services import demo_unit_users_ensure

    units_file = Path(settings.DATA_DIR) / "demo-units.json"
    unit_users = demo_unit_users_ensure(credentials_file=units_file)
    print(f"demo unit accounts (synthetic): {', '.join(unit_users)}  (passwords in {units_file})")
    print(f"next: carbonpeak serve, then open http://{args.host}:{args.port}/")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the platform with waitress (a production WSGI server; static files by WhiteNoise)."""
    _django()
    from django.conf import settings

    _require_migrated()
    from waitress import serve

    from carbonpeak.web.config.wsgi import application

    url = f"http://{args.host}:{args.port}/"
    print(f"carbonpeak {__version__} serving {url}", flush=True)
    credentials = Path(settings.DATA_DIR) / "demo-login.txt"
    if credentials.is_file():  # the password stays in the file, out of service logs
        print(f"demo login: user demo, password in {credentials}", flush=True)
    try:
        serve(application, host=args.host, port=args.port, threads=args.threads, ident="carbonpeak")
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    return 0


def cmd_data_validate(args: argparse.Namespace) -> int:
    """Validate every reference table: schema, units, keys, sources, cross-table checks."""
    from carbonpeak.core.flags import Severity
    from carbonpeak.data import DATA_DIR
    from carbonpeak.io.reference import read_reference_data

    data_dir = Path(args.data_dir) if args.data_dir else DATA_DIR
    if not data_dir.is_dir():
        return _fail(f"{data_dir}: no such directory")
    report = read_reference_data(data_dir)
    errors = [i for i in report.issues if i.severity is Severity.ERROR]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "data_dir": str(data_dir),
                    "ok": report.ok,
                    "tables": [
                        {
                            "name": t.entry.name,
                            "file": t.entry.file,
                            "version": t.entry.version,
                            "rows": len(t.rows),
                            "sha256": t.sha256,
                        }
                        for t in report.tables
                    ],
                    "issues": [
                        {
                            "file": i.file,
                            "row": i.row,
                            "field": i.field,
                            "message": i.message,
                            "severity": i.severity.value,
                        }
                        for i in report.issues
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for table in report.tables:
            print(f"{table.entry.file}: {len(table.rows)} rows, version {table.entry.version}")
        for issue in report.issues:
            print(f"{issue.severity.value}: {issue}", file=sys.stderr)
        print(f"{'OK' if report.ok else 'FAILED'}: {len(report.tables)} tables, {len(errors)} errors")
    return 0 if report.ok else 1


def _read_plan(path: Path) -> object:
    from carbonpeak.io.plan import read_plan_file

    result = read_plan_file(path)
    if not result.ok:
        for line in result.errors():
            print(f"carbonpeak: error: {line}", file=sys.stderr)
        raise SystemExit(1)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return result.plan


def _plan_store(path: Path) -> str:
    from carbonpeak.web.plan.selectors import current_plan_version
    from carbonpeak.web.plan.services import plan_load

    plan = _read_plan(path)
    result = plan_load(plan=plan, source_file=path.name)  # type: ignore[arg-type]
    state = "loaded as new version" if result.created else "already loaded, unchanged:"
    line = f"{result.version.plan_code} {state} {result.version.version} ({path.name})"
    if result.current:
        return f"{line}; current plan"
    current = current_plan_version()
    stays = f"{current.plan_code} v{current.version}" if current else "none"
    switch = f"carbonpeak plan use {result.version.plan_code}"
    return f"{line}; the current plan stays {stays} (switch with '{switch}')"


def _method_warnings(plan: object) -> list[str]:
    """Indicators whose ``method`` disagrees with the platform's registered calculations.

    ``computed`` with no registered calculation would wait for a value forever; ``reported`` while the
    platform computes it would ask a unit for a figure the records already give. Needs no database.
    """
    from carbonpeak.core.plan import IndicatorMethod, Plan

    assert isinstance(plan, Plan)
    _django()
    from carbonpeak.web.tracking.registry import PROVIDERS

    out = []
    for i, indicator in enumerate(plan.indicators):
        quantitative = any(t.indicator == indicator.code and t.quantitative for _, t in plan.all_targets())
        if not quantitative:
            continue
        if indicator.method is IndicatorMethod.COMPUTED and indicator.code not in PROVIDERS:
            out.append(
                f"indicators[{i}] {indicator.code} says method: computed, but no registered calculation "
                "provides it (its lead unit will have to report it)"
            )
        elif indicator.method is IndicatorMethod.REPORTED and indicator.code in PROVIDERS:
            out.append(
                f"indicators[{i}] {indicator.code} says method: reported, but the platform computes it"
            )
    return out


def cmd_plan_validate(args: argparse.Namespace) -> int:
    """Validate a plan file without loading it."""
    from carbonpeak.core.plan import Plan

    plan = _read_plan(Path(args.file))
    assert isinstance(plan, Plan)
    for warning in _method_warnings(plan):
        print(f"warning: {warning}", file=sys.stderr)
    targets = len(plan.all_targets())
    print(
        f"OK: {plan.plan.id}: {len(plan.actions)} actions, {len(plan.all_tasks())} tasks, {targets} targets, "
        f"{len(plan.units)} units"
    )
    return 0


def cmd_plan_load(args: argparse.Namespace) -> int:
    """Validate a plan file and store it as a new version (idempotent)."""
    _django()
    _require_migrated()
    print(_plan_store(Path(args.file)))
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    """Print (or write) a stored plan version in the export format."""
    _django()
    _require_migrated()
    from carbonpeak.io.plan import dump_plan
    from carbonpeak.web.plan.selectors import plan_model, plan_version_get

    version = plan_version_get(plan_code=args.plan, version=args.version)
    if version is None:
        wanted = f"{args.plan or 'any plan'}" + (f" version {args.version}" if args.version else "")
        return _fail(f"no stored plan matches {wanted}; load one with 'carbonpeak plan load FILE'")
    text = dump_plan(plan_model(plan_version=version), args.format)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {version.plan_code} version {version.version} to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_inventory_template(args: argparse.Namespace) -> int:
    """Write the Excel import template."""
    from carbonpeak.io.inventory import write_template

    write_template(Path(args.out))
    print(f"wrote {args.out}")
    return 0


def cmd_inventory_compute(args: argparse.Namespace) -> int:
    """Compute an inventory from an activity file with the packaged factors (no database needed)."""
    from carbonpeak.core.inventory import compute_inventory
    from carbonpeak.core.inventory.intensity import (
        coal_rates,
        compute_intensities,
        first_deflator_year,
        plan_intensity_target,
    )
    from carbonpeak.core.inventory.report import gpc_table, inventory_document
    from carbonpeak.core.plan import Plan
    from carbonpeak.data import packaged_library
    from carbonpeak.io.inventory import read_activity_file, write_inventory_workbook

    files = [Path(args.activity)] + ([Path(args.statistics)] if args.statistics else [])
    records, statistics = [], []
    for path in files:
        if not path.is_file():
            return _fail(f"{path}: no such file")
        read = read_activity_file(path)
        if not read.ok:
            for error in read.errors:
                print(f"carbonpeak: error: {error}", file=sys.stderr)
            return 1
        records += read.records
        statistics += read.statistics
    records = [
        r
        for r in records
        if (args.year is None or r.year == args.year) and (not args.area or r.area == args.area)
    ]
    if not records:
        return _fail("no activity rows match --year/--area")
    library = packaged_library()
    plan = _read_plan(Path(args.plan)) if args.plan else None
    plan_region = plan.plan.region if isinstance(plan, Plan) else None
    region = args.region or plan_region or library.defaults.get("region")
    if not region:
        return _fail("give --region (or --plan FILE): the reference data names no default region")
    if args.electricity_series and args.electricity_series not in library.series_for(
        "emission", "electricity"
    ):
        options = ", ".join(library.series_for("emission", "electricity"))
        return _fail(f"unknown electricity series '{args.electricity_series}'; choose one of: {options}")
    result = compute_inventory(
        records,
        library,
        region=region,
        electricity_series=args.electricity_series,
        coal_rates=coal_rates(statistics),
    )
    target = plan_intensity_target(plan) if isinstance(plan, Plan) else None
    base_year = target.baseline_year if target else first_deflator_year(statistics)
    intensities = (
        compute_intensities(result.years, statistics, price_base_year=base_year, target=target)
        if statistics and base_year is not None
        else []
    )
    document = inventory_document(result, intensities)
    if args.xlsx:
        gpc = {(y.area, y.year): gpc_table(y) for y in result.years}
        write_inventory_workbook(
            document, gpc, [], Path(args.xlsx), synthetic=any(r.quality == "synthetic" for r in records)
        )
        print(f"wrote {args.xlsx}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    print(f"electricity series: {result.electricity_series}   region: {result.region}")
    print(f"{'area':<12}{'year':>6}{'energy_tce':>16}{'equal_value_tce':>18}{'co2_t':>16}{'tce/万元':>12}")
    for year in document["years"]:
        intensity = year.get("energy_intensity_tce_per_10k_yuan")
        cells = [year["energy_tce"], year["energy_tce_equal_value"], year["co2_t"]]
        text = [f"{v:>16,.1f}" if v is not None else f"{'n/a':>16}" for v in cells]
        print(
            f"{year['area']:<12}{year['year']:>6}{text[0]}{text[1]:>18}{text[2]}"
            f"{(f'{intensity:.4f}' if intensity is not None else '-'):>12}"
        )
    if document["flags"]:
        print(f"{len(document['flags'])} quality flags; see --format json")
    return 0


def _import_file(path: Path, read: Any, store: Any, summary: Any) -> int:
    """Read a file (all rows or none), store its rows, then print the summary or every error (exit 1).

    ``read(path)`` returns parsed rows with ``errors``; ``store(parsed)`` returns an outcome with ``errors``;
    ``summary(parsed, outcome)`` returns the lines to print.
    """
    if not path.is_file():
        return _fail(f"{path}: no such file")
    parsed = read(path)
    errors = parsed.errors
    if not errors:
        outcome = store(parsed)
        errors = outcome.errors
    if errors:
        for error in errors:
            print(f"carbonpeak: error: {error}", file=sys.stderr)
        return 1
    for line in summary(parsed, outcome):
        print(line)
    return 0


def _registry_import(path: Path, kind: str) -> int:
    from carbonpeak.io.buildings import read_buildings_file, read_meters_file
    from carbonpeak.web.buildings.services import buildings_import, meters_import

    def store(parsed: Any) -> Any:
        if kind == "buildings":
            return buildings_import(rows=parsed.rows, columns=parsed.columns, label=path.name)
        return meters_import(rows=parsed.rows, label=path.name)

    def summary(parsed: Any, outcome: Any) -> list[str]:
        lines = [f"{kind}: {outcome.created} created, {outcome.updated} updated ({path.name})"]
        if outcome.recomputed:
            changed = ", ".join(outcome.recomputed)
            lines.append(f"recomputed consumption and rollups of {changed} (kind or scaling changed)")
        return lines

    read = read_buildings_file if kind == "buildings" else read_meters_file
    return _import_file(path, read, store, summary)


def cmd_buildings_import(args: argparse.Namespace) -> int:
    """Import a building registry file (all rows or none)."""
    _django()
    _require_migrated()
    return _registry_import(Path(args.file), "buildings")


def cmd_meters_import(args: argparse.Namespace) -> int:
    """Import a meter file (all rows or none)."""
    _django()
    _require_migrated()
    return _registry_import(Path(args.file), "meters")


def _renewables_import(path: Path, kind: str) -> int:
    from carbonpeak.io.renewables import read_charging_file, read_pv_file
    from carbonpeak.web.renewables.services import charging_sites_import, pv_installations_import

    store = pv_installations_import if kind == "pv" else charging_sites_import
    what = "PV installations" if kind == "pv" else "charging sites"
    return _import_file(
        path,
        read_pv_file if kind == "pv" else read_charging_file,
        lambda parsed: store(rows=parsed.rows, label=path.name, columns=parsed.columns),
        lambda parsed, o: [
            f"{what}: {o.created} created, {o.updated} updated, {o.unchanged} unchanged ({path.name})"
        ],
    )


def cmd_pv_import(args: argparse.Namespace) -> int:
    """Import a PV installation registry file (all rows or none; re-importing changes nothing)."""
    _django()
    _require_migrated()
    return _renewables_import(Path(args.file), "pv")


def cmd_chargers_import(args: argparse.Namespace) -> int:
    """Import an EV charging site file (all rows or none; re-importing changes nothing)."""
    _django()
    _require_migrated()
    return _renewables_import(Path(args.file), "chargers")


def cmd_weather_import(args: argparse.Namespace) -> int:
    """Import monthly degree-days of a weather station (all rows or none)."""
    _django()
    _require_migrated()
    from carbonpeak.io.buildings import read_degree_days_file
    from carbonpeak.web.buildings.services import degree_days_import

    path = Path(args.file)
    return _import_file(
        path,
        read_degree_days_file,
        lambda parsed: degree_days_import(rows=parsed.rows, label=path.name),
        lambda parsed, _: [f"degree-days: {len(parsed.rows)} months read ({path.name})"],
    )


def cmd_readings_import(args: argparse.Namespace) -> int:
    """Import readings (idempotent); unusable readings are quarantined with their reason."""
    _django()
    _require_migrated()
    from carbonpeak.web.buildings.services import readings_file_import

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file")
    result, errors = readings_file_import(path=path)
    if errors:
        return _fail(errors[0])
    print(
        f"{path.name}: {result.received} received, {result.accepted} accepted, "
        f"{result.duplicates} duplicates, "
        f"{result.conflicts} conflicts, {result.quarantined} quarantined, {result.corrected} corrected"
    )
    return 0


def cmd_buildings_metrics(args: argparse.Namespace) -> int:
    """Print each building's metrics for a year."""
    _django()
    _require_migrated()
    from carbonpeak.web.buildings.selectors import metrics_for_year

    rows = [m.values for m in metrics_for_year(year=args.year)]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'id':<12}{'use':<20}{'m2':>10}{'kWh/m2':>10}{'kgce/m2':>10}{'tCO2':>12}  quota")
    for r in rows:
        eui = r["eui_kwh_per_m2"]
        kgce = r["eui_kgce_per_m2"]
        print(
            f"{r['id']:<12}{r['primary_use']:<20}{r['floor_area_m2']:>10,.0f}"
            f"{(f'{eui:.1f}' if eui is not None else '-'):>10}"
            f"{(f'{kgce:.2f}' if kgce is not None else '-'):>10}"
            f"{(r['co2_t'] or 0):>12,.1f}  {r['quota_status']}"
        )
    return 0


def cmd_gateway_create(args: argparse.Namespace) -> int:
    """Create a meter gateway for some buildings and print its token once."""
    _django()
    _require_migrated()
    from carbonpeak.web.buildings.services import gateway_create

    try:
        gateway, token = gateway_create(name=args.name, building_codes=args.buildings.split(","))
    except ValueError as exc:
        return _fail(str(exc))
    print(f"gateway {gateway.name}: token {token}  (shown once; only its hash is stored)")
    return 0


def cmd_mqtt_subscribe(args: argparse.Namespace) -> int:
    """Subscribe to gateway topics and ingest readings until stopped (or for --seconds)."""
    _django()
    _require_migrated()
    import time

    from carbonpeak.web.buildings.mqtt import MqttIngestor, connect

    ingestor = MqttIngestor()
    try:
        client = connect(ingestor, host=args.host, port=args.port, topic=args.topic)
    except OSError as exc:
        return _fail(f"cannot reach the MQTT broker at {args.host}:{args.port}: {exc.strerror or exc}")
    print(f"subscribed to {args.topic} on {args.host}:{args.port}", flush=True)
    stop = time.monotonic() + args.seconds if args.seconds else None
    try:
        while stop is None or time.monotonic() < stop:
            ingestor.drain(wait=1.0)
    finally:
        client.loop_stop()
        client.disconnect()
    totals = ingestor.totals
    print(f"mqtt: {totals.received} received, {totals.accepted} accepted, {totals.quarantined} quarantined")
    return 0


def cmd_projection_drivers_import(args: argparse.Namespace) -> int:
    """Import a driver file (driver, year, value, unit, source, evidence): all rows or none."""
    _django()
    _require_migrated()
    from carbonpeak.web.projection.services import driver_set_import, scenario_defaults_ensure

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file")
    result = driver_set_import(name=args.name or path.name, filename=path.name, content=path.read_bytes())
    if result.driver_set is None:
        for error in result.errors:
            print(f"carbonpeak: error: {error}", file=sys.stderr)
        return 1
    scenario_defaults_ensure(driver_set=result.driver_set)
    count = result.driver_set.values.count()
    state = "imported" if result.created else "already imported, unchanged:"
    synthetic = " (synthetic)" if result.driver_set.synthetic else ""
    print(f"drivers {state} set {result.driver_set.pk}{synthetic}: {count} values ({path.name})")
    return 0


def cmd_projection_scenario_import(args: argparse.Namespace) -> int:
    """Store a scenario document (JSON) as a new version: growth, grid pathway, levers, uncertainty."""
    _django()
    _require_migrated()
    from carbonpeak.core.projection import ProjectionError
    from carbonpeak.io.projection import read_scenario_file
    from carbonpeak.web.projection.services import scenario_save

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file")
    document, problem = read_scenario_file(path)
    if document is None:
        return _fail(problem or f"{path.name}: unreadable")
    name = args.name or str(document.get("name") or "")
    if not name:
        return _fail(f"{path.name}: field name: the scenario needs a name (or give --name)")
    try:
        record = scenario_save(name=name, document=document, note=args.note or f"imported from {path.name}")
    except ProjectionError as exc:
        return _fail(f"{path.name}: {exc}")
    print(f"scenario {record.name} stored as version {record.version} ({path.name})")
    return 0


def cmd_projection_scenario_export(args: argparse.Namespace) -> int:
    """Print a stored scenario document (JSON), ready to edit and import as a new version."""
    _django()
    _require_migrated()
    from carbonpeak.web.projection.selectors import scenario_model

    document = scenario_model(name=args.name, version=args.version).to_dict()
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    """Project the district's CO2 under a scenario (Monte Carlo) and print the projection document."""
    _django()
    _require_migrated()
    from carbonpeak.web.projection.selectors import inputs_get, plan_projection_document, scenario_model

    if not 1 <= args.draws <= 100_000:
        return _fail(f"--draws must be 1-100,000, got {args.draws}")
    inputs = inputs_get()
    scenario = scenario_model(name=args.scenario, version=args.version)
    document = plan_projection_document(
        inputs.calibration, scenario, draws=args.draws, seed=args.seed, peak_test=args.peak_test
    )
    document["synthetic"] = inputs.synthetic
    document["inventory_run"] = inputs.run.pk
    document["driver_set"] = inputs.driver_set.pk
    if args.format == "json":
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    label = " (SYNTHETIC data)" if inputs.synthetic else ""
    print(f"scenario {document['scenario']}{label}: {args.draws} draws, seed {args.seed}")
    peak = document["peak_test"]
    if peak["peak_by_year"] is None:
        print(f"P(peak): not computed: {peak['problem']}")
    else:
        print(
            f"P(peak <= {peak['peak_by_year']}) = {peak['p_peak_by']:.3f} "
            f"(peak test {peak['test']}; plan target {peak['target']})"
        )
    print(f"{'year':>6}{'P10 tCO2':>16}{'P50 tCO2':>16}{'P90 tCO2':>16}")
    for i, year in enumerate(document["years"]):
        print(
            f"{year:>6}{document['co2_t_p10'][i]:>16,.0f}{document['co2_t_p50'][i]:>16,.0f}"
            f"{document['co2_t_p90'][i]:>16,.0f}"
        )
    return 0


def _as_of(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise SystemExit(_fail(f"--as-of {raw!r} is not a date (YYYY-MM-DD)", 2)) from None


NO_PLAN = (
    "no plan is loaded; run 'carbonpeak setup --plan FILE' (or 'carbonpeak demo' for the synthetic demo)"
)

STATUS_COLUMNS = [
    "code",
    "status",
    "latest_value",
    "period",
    "target_value",
    "deadline",
    "forecast",
    "lead_unit",
    "value_source",
    "provider",
    "quantitative",
]
"""Fields of ``carbonpeak indicators status --format json``, in order (see docs/cli.md)."""


def cmd_report_annual(args: argparse.Namespace) -> int:
    """Write the annual assessment report (every target's status, unit scores, late and off-track items)."""
    _django()
    _require_migrated()
    from carbonpeak.core.errors import CarbonpeakError
    from carbonpeak.web.tracking.selectors import assessment_as_of, assessment_document

    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        return _fail(f"--out {out}: the report is written as .pdf or .xlsx", 2)
    as_of = _as_of(args.as_of) or assessment_as_of(args.year)
    document = assessment_document(year=args.year, as_of=as_of, rubric=args.rubric)
    if document is None:
        return _fail(NO_PLAN)
    from carbonpeak.io.report import write_annual_report

    try:
        write_annual_report(document, out)
    except (CarbonpeakError, OSError) as exc:
        return _fail(str(exc))
    units = [u for u in document["units"] if u["score"] is not None]
    print(
        f"{out}: {document['year']} assessment as of {as_of.isoformat()}: "
        f"{len(document['targets'])} targets, {len(units)} units scored, "
        f"{len(document['late'])} late, {len(document['off_track'])} off track"
        + (" (SYNTHETIC data)" if document["synthetic"] else "")
    )
    return 0


def cmd_indicators_status(args: argparse.Namespace) -> int:
    """Print every target's status (published values only) on a date (default today)."""
    _django()
    _require_migrated()
    from carbonpeak.web.tracking.selectors import current_plan, target_rows

    if current_plan() is None:
        return _fail(NO_PLAN)
    rows = [r.as_dict() for r in target_rows(as_of=_as_of(args.as_of))]
    columns = STATUS_COLUMNS
    if args.format == "json":
        out = [{c: r[c] for c in columns} for r in rows]
        print(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False))
        return 0

    def cell(value: object) -> str:
        if value is None:
            return "-"
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    print(
        f"{'code':<48}{'status':<13}{'latest':>12} {'period':<11}{'target':>10}{'deadline':>9}"
        f"{'forecast':>10}  lead_unit"
    )
    for r in rows:
        print(
            f"{r['code']:<48}{r['status']:<13}{cell(r['latest_value']):>12} {cell(r['period']):<11}"
            f"{cell(r['target_value']):>10}{r['deadline']:>9}{cell(r['forecast']):>10}"
            f"  {cell(r['lead_unit'])}"
        )
    quantitative = [r for r in rows if r["quantitative"]]
    computed = [r for r in quantitative if r["value_source"] == "computed"]
    print(f"{len(computed)} of {len(quantitative)} quantitative targets computed from records")
    return 0


def cmd_indicators_notify(args: argparse.Namespace) -> int:
    """E-mail each unit's reporters their overdue reports (Django's e-mail backend)."""
    _django()
    _require_migrated()
    from carbonpeak.web.tracking.services import reminders_send

    sent = reminders_send(as_of=_as_of(args.as_of))
    total = sum(sent.values())
    print(f"reminders: {len(sent)} units e-mailed about {total} overdue reports")
    return 0


def cmd_indicators_token(args: argparse.Namespace) -> int:
    """Create an API token for one responsible unit and print it once."""
    _django()
    _require_migrated()
    from carbonpeak.web.tracking.services import Actor, unit_token_create

    token_row, token = unit_token_create(actor=Actor.cli(), name=args.name, unit_code=args.unit)
    print(f"unit token {token_row.name} ({token_row.unit_code}): {token} (shown once, stored hashed)")
    return 0


def cmd_pv_potential(args: argparse.Namespace) -> int:
    """Print each building's rooftop PV potential and annual yield (no database needed)."""
    import numpy as np

    from carbonpeak.core.pv.potential import default_orientation, rooftop_potential
    from carbonpeak.core.pv.yield_ import building_yield
    from carbonpeak.io.pv import read_pv_buildings
    from carbonpeak.io.weather import WeatherFileError, default_weather, read_weather

    parsed = read_pv_buildings(Path(args.buildings))
    if parsed.errors:
        for error in parsed.errors[1:]:
            print(f"carbonpeak: error: {error}", file=sys.stderr)
        return _fail(str(parsed.errors[0]))
    try:
        weather = read_weather(Path(args.weather)) if args.weather else default_weather()
    except WeatherFileError as exc:
        return _fail(str(exc))
    rows = parsed.rows
    for b in rows:
        if abs(b.lat - weather.latitude_deg) > 1 or abs(b.lon - weather.longitude_deg) > 1:
            return _fail(
                f"{parsed.path.name}, row {b.row}: field lat/lon: {b.lat}, {b.lon} is more than 1 degree "
                f"from the weather site ({weather.latitude_deg}, {weather.longitude_deg}); "
                "give --weather for its location"
            )
    roofs = [b.roof_type for b in rows]
    potential = rooftop_potential([b.roof_area_m2 for b in rows], [b.primary_use for b in rows], roofs)
    tilt, azimuth = default_orientation(roofs)
    tilt = np.array([t if b.tilt_deg is None else b.tilt_deg for b, t in zip(rows, tilt, strict=True)])
    azimuth = np.array(
        [a if b.azimuth_deg is None else b.azimuth_deg for b, a in zip(rows, azimuth, strict=True)]
    )
    energy = building_yield(
        weather.data, weather.latitude_deg, weather.longitude_deg, weather.altitude_m,
        potential.capacity_kwp, tilt, azimuth,
    )  # fmt: skip
    out = [
        {
            "id": b.id,
            "roof_area_m2": round(b.roof_area_m2, 1),
            "usable_area_m2": round(float(potential.usable_area_m2[i]), 1),
            "capacity_kwp": round(float(potential.capacity_kwp[i]), 2),
            "annual_kwh": round(float(energy.annual_kwh[i]), 0),
            "specific_yield_kwh_per_kwp": round(float(energy.specific_yield_kwh_per_kwp[i]), 1),
        }
        for i, b in enumerate(rows)
    ]
    if args.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(
        f"weather: {weather.source}"
        + (" (synthetic Shanghai typical year)" if weather.source == "synthetic" else "")
    )
    print(f"{'id':<14}{'roof m2':>10}{'usable m2':>11}{'kWp':>10}{'kWh/a':>12}{'kWh/kWp':>9}")
    for r in out:
        print(
            f"{r['id']:<14}{r['roof_area_m2']:>10,.0f}{r['usable_area_m2']:>11,.0f}{r['capacity_kwp']:>10,.1f}"
            f"{r['annual_kwh']:>12,.0f}{r['specific_yield_kwh_per_kwp']:>9,.0f}"
        )
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    """Run a Django management command (e.g. createsuperuser, changepassword)."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["carbonpeak manage", *args.args])
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (also used by the docs)."""
    parser = _Parser(prog="carbonpeak", description="Run a district's carbon-peak plan as software.")
    parser.add_argument("--version", action="version", version=f"carbonpeak {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    serve = commands.add_parser("serve", help="serve the platform over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(func=cmd_serve)

    demo = commands.add_parser("demo", help="migrate the database and load the reference district")
    demo.add_argument(
        "--buildings",
        type=int,
        default=300,
        help="synthetic buildings with a year of 15-minute data (0 for none; default 300)",
    )
    demo.add_argument("--seed", type=int, default=20221231, help="seed of the synthetic data")
    demo.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    demo.add_argument("--port", type=int, default=8000, help=argparse.SUPPRESS)
    demo.set_defaults(func=cmd_demo)
    setup.register_setup(commands)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("-v", "--verbose", action="store_true")
    migrate.set_defaults(func=cmd_migrate)

    data = commands.add_parser("data", help="reference data library")
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION", parser_class=_Parser)
    validate = data_commands.add_parser("validate", help="validate every reference table")
    validate.add_argument("--data-dir", help="directory with manifest.yaml (default: the packaged data)")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.set_defaults(func=cmd_data_validate)
    setup.register_data_load(data_commands)

    plan = commands.add_parser("plan", help="the carbon-peak plan: validate, load, export")
    plan_commands = plan.add_subparsers(dest="plan_command", metavar="ACTION", parser_class=_Parser)
    plan_validate = plan_commands.add_parser("validate", help="validate a plan file (YAML or JSON)")
    plan_validate.add_argument("file")
    plan_validate.set_defaults(func=cmd_plan_validate)
    plan_load = plan_commands.add_parser("load", help="validate a plan file and store it as a new version")
    plan_load.add_argument("file")
    plan_load.set_defaults(func=cmd_plan_load)
    plan_export = plan_commands.add_parser("export", help="print a stored plan in the export format")
    plan_export.add_argument("--format", choices=["json", "yaml"], required=True)
    plan_export.add_argument("--plan", help="plan id (default: the most recently loaded plan)")
    plan_export.add_argument("--version", type=int, help="version number (default: the latest)")
    plan_export.add_argument("--out", help="write to this file instead of standard output")
    plan_export.set_defaults(func=cmd_plan_export)
    setup.register_plan_choice(plan_commands)

    inventory = commands.add_parser("inventory", help="district energy and GHG inventory")
    inventory_commands = inventory.add_subparsers(
        dest="inventory_command", metavar="ACTION", parser_class=_Parser
    )
    compute = inventory_commands.add_parser("compute", help="compute an inventory from an activity file")
    compute.add_argument("--activity", required=True, help="activity data, .csv or .xlsx")
    compute.add_argument("--statistics", help="statistics (GDP, deflator, coal rate), .csv or .xlsx")
    compute.add_argument("--format", choices=["json", "table"], default="table")
    compute.add_argument("--electricity-series", help="electricity factor series (default: shanghai)")
    compute.add_argument(
        "--region", help="region code of the factors (default: the reference data's default region)"
    )
    compute.add_argument("--plan", help="a plan file whose region and energy-intensity goal to use")
    compute.add_argument("--year", type=int)
    compute.add_argument("--area")
    compute.add_argument("--xlsx", help="also write the results, with the GPC table, to this Excel file")
    compute.set_defaults(func=cmd_inventory_compute)
    template = inventory_commands.add_parser("template", help="write the Excel import template")
    template.add_argument("--out", required=True)
    template.set_defaults(func=cmd_inventory_template)

    buildings = commands.add_parser("buildings", help="building registry and metrics")
    buildings_commands = buildings.add_subparsers(
        dest="buildings_command", metavar="ACTION", parser_class=_Parser
    )
    b_import = buildings_commands.add_parser("import", help="import a building registry file (.csv/.xlsx)")
    b_import.add_argument("file")
    b_import.set_defaults(func=cmd_buildings_import)
    b_metrics = buildings_commands.add_parser("metrics", help="print each building's metrics for a year")
    b_metrics.add_argument("--year", type=int, required=True)
    b_metrics.add_argument("--format", choices=["json", "table"], default="table")
    b_metrics.set_defaults(func=cmd_buildings_metrics)
    meters = commands.add_parser("meters", help="meters")
    meters_commands = meters.add_subparsers(dest="meters_command", metavar="ACTION", parser_class=_Parser)
    m_import = meters_commands.add_parser("import", help="import a meter file (.csv/.xlsx)")
    m_import.add_argument("file")
    m_import.set_defaults(func=cmd_meters_import)
    weather = commands.add_parser("weather", help="weather data for normalisation")
    weather_commands = weather.add_subparsers(dest="weather_command", metavar="ACTION", parser_class=_Parser)
    w_import = weather_commands.add_parser(
        "import", help="import monthly degree-days (station, period, heating_kd, cooling_kd)"
    )
    w_import.add_argument("file")
    w_import.set_defaults(func=cmd_weather_import)
    readings = commands.add_parser("readings", help="meter readings")
    readings_commands = readings.add_subparsers(
        dest="readings_command", metavar="ACTION", parser_class=_Parser
    )
    r_import = readings_commands.add_parser(
        "import", help="import readings, long or wide format (idempotent)"
    )
    r_import.add_argument("file")
    r_import.set_defaults(func=cmd_readings_import)
    gateway = commands.add_parser("gateway", help="meter gateways")
    gateway_commands = gateway.add_subparsers(dest="gateway_command", metavar="ACTION", parser_class=_Parser)
    g_create = gateway_commands.add_parser("create", help="create a gateway and print its token")
    g_create.add_argument("name")
    g_create.add_argument("--buildings", required=True, help="comma-separated building ids")
    g_create.set_defaults(func=cmd_gateway_create)
    mqtt = commands.add_parser("mqtt", help="MQTT ingest")
    mqtt_commands = mqtt.add_subparsers(dest="mqtt_command", metavar="ACTION", parser_class=_Parser)
    subscribe = mqtt_commands.add_parser("subscribe", help="subscribe to gateway topics and ingest readings")
    subscribe.add_argument("--host", default="127.0.0.1")
    subscribe.add_argument("--port", type=int, default=1883)
    subscribe.add_argument("--topic", default="carbonpeak/#")
    subscribe.add_argument("--seconds", type=float, help="stop after this long (default: run until stopped)")
    subscribe.set_defaults(func=cmd_mqtt_subscribe)

    indicators = commands.add_parser("indicators", help="target tracking: statuses, reminders, unit tokens")
    indicators_commands = indicators.add_subparsers(
        dest="indicators_command", metavar="ACTION", parser_class=_Parser
    )
    i_status = indicators_commands.add_parser("status", help="print every target's status")
    i_status.add_argument("--format", choices=["json", "table"], default="table")
    i_status.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today)")
    i_status.set_defaults(func=cmd_indicators_status)
    i_notify = indicators_commands.add_parser("notify", help="e-mail units their overdue reports")
    i_notify.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today)")
    i_notify.set_defaults(func=cmd_indicators_notify)
    i_token = indicators_commands.add_parser("token", help="create an API token for one unit")
    i_token.add_argument("name")
    i_token.add_argument("--unit", required=True, help="the unit's code in the plan")
    i_token.set_defaults(func=cmd_indicators_token)

    report = commands.add_parser("report", help="assessment reports")
    report_commands = report.add_subparsers(dest="report_command", metavar="ACTION", parser_class=_Parser)
    r_annual = report_commands.add_parser("annual", help="the annual assessment as PDF or Excel")
    r_annual.add_argument("--year", type=int, required=True, help="the assessed year")
    r_annual.add_argument("--out", required=True, help="FILE.pdf or FILE.xlsx")
    r_annual.add_argument(
        "--as-of", help="evaluation date YYYY-MM-DD (default: 31 March of the next year, or today)"
    )
    r_annual.add_argument("--rubric", default="default", choices=["default", "lead_only"])
    r_annual.set_defaults(func=cmd_report_annual)

    project = commands.add_parser("project", help="project CO2 under a scenario (Monte Carlo, peak test)")
    project.add_argument("--scenario", default="plan", help="bau, plan or a saved scenario (default: plan)")
    project.add_argument("--version", type=int, help="saved scenario version (default: the latest)")
    project.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (default 10,000)")
    project.add_argument("--seed", type=int, default=0, help="random seed (the same seed, the same output)")
    project.add_argument("--format", choices=["json", "table"], default="table")
    project.add_argument(
        "--peak-test",
        choices=["argmax", "sustained_decline", "c40"],
        default="argmax",
        help="the test P(peak <= the plan's peak year) is computed under (default: argmax)",
    )
    project.set_defaults(func=cmd_project)
    projection = commands.add_parser("projection", help="projection inputs: driver series")
    projection_commands = projection.add_subparsers(
        dest="projection_command", metavar="ACTION", parser_class=_Parser
    )
    drivers = projection_commands.add_parser("drivers", help="driver series (GDP, floor area, vehicle-km)")
    drivers_commands = drivers.add_subparsers(dest="drivers_command", metavar="ACTION", parser_class=_Parser)
    d_import = drivers_commands.add_parser(
        "import", help="import a driver file: driver, year, value, unit, source, evidence (.csv/.xlsx)"
    )
    d_import.add_argument("file")
    d_import.add_argument("--name", help="name of the driver set (default: the file name)")
    d_import.set_defaults(func=cmd_projection_drivers_import)
    scenario = projection_commands.add_parser("scenario", help="scenario documents (JSON)")
    scenario_commands = scenario.add_subparsers(
        dest="scenario_command", metavar="ACTION", parser_class=_Parser
    )
    s_import = scenario_commands.add_parser("import", help="store a scenario document as a new version")
    s_import.add_argument("file")
    s_import.add_argument("--name", help="scenario name (default: the document's name)")
    s_import.add_argument("--note", help="why this version (default: the file name)")
    s_import.set_defaults(func=cmd_projection_scenario_import)
    s_export = scenario_commands.add_parser("export", help="print a scenario document")
    s_export.add_argument("name")
    s_export.add_argument("--version", type=int, help="version (default: the latest)")
    s_export.set_defaults(func=cmd_projection_scenario_export)

    pv = commands.add_parser("pv", help="rooftop photovoltaics: potential and yield")
    pv_commands = pv.add_subparsers(dest="pv_command", metavar="ACTION", parser_class=_Parser)
    pv_potential = pv_commands.add_parser("potential", help="each building's PV potential and annual yield")
    pv_potential.add_argument("--buildings", required=True, help="building file (.csv/.xlsx)")
    pv_potential.add_argument(
        "--weather", help="weather file (.epw or TMY3 .csv); default: synthetic Shanghai year"
    )
    pv_potential.add_argument("--format", choices=["json", "table"], default="table")
    pv_potential.set_defaults(func=cmd_pv_potential)
    pv_import = pv_commands.add_parser("import", help="import a PV installation registry file (.csv/.xlsx)")
    pv_import.add_argument("file")
    pv_import.set_defaults(func=cmd_pv_import)
    chargers = commands.add_parser("chargers", help="EV charging site registry")
    chargers_commands = chargers.add_subparsers(
        dest="chargers_command", metavar="ACTION", parser_class=_Parser
    )
    chargers_import = chargers_commands.add_parser("import", help="import a charging site file (.csv/.xlsx)")
    chargers_import.add_argument("file")
    chargers_import.set_defaults(func=cmd_chargers_import)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    for name in GROUP_MODULES:
        import_module(f"carbonpeak.cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``carbonpeak`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        if args.command == "data":
            parser.error("choose an action: carbonpeak data validate|load")
        if args.command in (
            "buildings",
            "meters",
            "readings",
            "gateway",
            "mqtt",
            "weather",
            "pv",
            "chargers",
        ):
            parser.error(f"choose an action: carbonpeak {args.command} --help")
        if args.command == "inventory":
            parser.error("choose an action: carbonpeak inventory compute|template")
        if args.command == "report":
            parser.error("choose an action: carbonpeak report annual --year Y --out FILE.pdf|FILE.xlsx")
        if args.command == "indicators":
            parser.error("choose an action: carbonpeak indicators status|notify|token")
        if args.command == "plan":
            parser.error("choose an action: carbonpeak plan validate|load|export|use|list")
        if args.command == "projection":
            parser.error(
                "choose an action: carbonpeak projection drivers import FILE | scenario import|export"
            )
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        return int(args.func(args))
    except CarbonpeakError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head or less that closed early
        sys.stderr.close()
        return 0
    except Exception as exc:
        from django.core.exceptions import ImproperlyConfigured
        from django.db import DatabaseError

        if isinstance(exc, ImproperlyConfigured | DatabaseError):
            return _fail(f"{type(exc).__name__}: {exc}")
        raise


if __name__ == "__main__":
    sys.exit(main())
