"""Benchmark: bulk ingest of 15-minute readings through the platform's ingest service, against a raw baseline.

For each database (SQLite in a temporary file, and PostgreSQL when reachable) it ingests ``--meters``
meters x ``--days`` days of 15-minute readings through ``readings_ingest`` (validation, duplicate and
conflict checks, spike screening, quarantine, hourly/daily/monthly rollups). It then writes the same rows
into a scratch table with the raw baseline: ``COPY`` on PostgreSQL, ``executemany`` on SQLite. It prints
readings per second and the ratio ingest / raw (the issue's target ratio is at least 0.5).

Issue 5's full-scale case is 1,000 meters x 365 days (35 million rows): ``--meters 1000 --days 365``.
That needs tens of GB of disk and a long run, so the default is a smaller sample.

Usage: python benchmarks/ingest.py [--meters 20] [--days 30] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_child(database: str, meters: int, days: int) -> None:
    """Run one database's measurement in a fresh process (Django settings are per process)."""
    env = dict(os.environ)
    scratch = tempfile.mkdtemp(prefix="carbonpeak-bench-")
    env["CARBONPEAK_DATA_DIR"] = scratch
    if database == "postgresql":
        env["DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/carbonpeak_bench"
        )
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, __file__, "--child", database, "--meters", str(meters), "--days", str(days)],
        env=env,
        check=True,
    )


def child(database: str, meters: int, days: int) -> None:
    """Measure ingest and the raw baseline in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.web.config.settings")
    import django

    if database == "postgresql":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS carbonpeak_bench")
            admin.execute("CREATE DATABASE carbonpeak_bench")
    django.setup()
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    import numpy as np
    from django.core.management import call_command
    from django.db import connection, transaction

    from carbonpeak.io.buildings import RawReading
    from carbonpeak.web.buildings.models import Meter, Reading
    from carbonpeak.web.buildings.services import buildings_import, meters_import, readings_ingest

    call_command("migrate", verbosity=0)
    buildings_import(rows=[{"id": "BENCH", "name": "bench", "primary_use": "other", "floor_area_m2": 1000.0}])
    meters_import(
        rows=[
            {
                "id": f"M{i:04d}",
                "building_id": "BENCH",
                "energy_class": "electricity",
                "unit": "kWh",
                "category": "total",
                "kind": "interval",
                "multiplier": 1.0,
                "interval_minutes": 15,
                "register_max": None,
                "it_load": False,
                "virtual": [],
                "row": i + 2,
            }
            for i in range(meters)
        ]
    )
    start = datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    stamps = [start + timedelta(minutes=15 * k) for k in range(days * 96)]
    rng = np.random.default_rng(1)
    batches = [
        [
            RawReading(f"M{i:04d}", ts, float(v), "", k)
            for k, (ts, v) in enumerate(
                zip(stamps, rng.uniform(1, 10, len(stamps)).round(3).tolist(), strict=True)
            )
        ]
        for i in range(meters)
    ]
    total = meters * len(stamps)

    began = time.perf_counter()
    for batch in batches:
        readings_ingest(readings=batch, source="bench", now=start + timedelta(days=days + 1))
    ingest_s = time.perf_counter() - began
    assert Reading.objects.count() == total, "every reading must be stored"

    # Raw baselines on the same rows: (1) a bare three-column table; (2) a table with Reading's own columns,
    # keys and indexes, which is the floor for any ingest that keeps readings unique per (meter, time).
    ids = list(Meter.objects.order_by("code").values_list("pk", flat=True))
    rows = [(ids[i], ts, float(k), float(k), "") for i in range(meters) for k, ts in enumerate(stamps)]
    table = Reading._meta.db_table
    results = []
    for name, create, columns in (
        (
            "bare table",
            "CREATE TABLE bench_raw (meter_id bigint, ts timestamp with time zone, raw double precision)"
            if database == "postgresql"
            else "CREATE TABLE bench_raw (meter_id integer, ts text, raw real)",
            "meter_id, ts, raw",
        ),
        (
            "Reading's schema",
            f"CREATE TABLE bench_raw (LIKE {table} INCLUDING ALL)"
            if database == "postgresql"
            else _sqlite_schema_copy(connection, table),
            "meter_id, ts, raw, consumption, flag",
        ),
    ):
        width = len(columns.split(","))
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_raw")
            cursor.execute(create)
        if database == "postgresql":
            text = "".join(
                "\t".join(map(str, (m, ts.isoformat(), *rest))) + "\n"
                for m, ts, *rest in (r[:width] for r in rows)
            )
            began = time.perf_counter()  # formatting is not the database's work
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY bench_raw ({columns}) FROM STDIN") as copy,
            ):
                copy.write(text)
        else:  # the driver's own executemany, as ingest uses it (Django's cursor wrapper is slower)
            strings = [
                (m, ts.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"), *rest)
                for m, ts, *rest in (r[:width] for r in rows)
            ]
            marks = ", ".join("?" * width)
            began = time.perf_counter()  # formatting is not the database's work
            with transaction.atomic():  # one transaction, as ingest uses
                connection.connection.executemany(
                    f"INSERT INTO bench_raw ({columns}) VALUES ({marks})", strings
                )
        results.append((name, time.perf_counter() - began))
    baseline = "COPY" if database == "postgresql" else "executemany"
    print(f"{database:<11} {total:>10,} readings  ingest {total / ingest_s:>10,.0f}/s ({ingest_s:6.1f} s)")
    for name, raw_s in results:
        print(
            f"{'':<11} raw {baseline} into {name:<17} {total / raw_s:>10,.0f}/s  "
            f"ratio ingest/raw {raw_s / ingest_s:.3f}"
        )


def _sqlite_schema_copy(connection: object, table: str) -> str:
    """SQLite's CREATE statement of ``table``, renamed to bench_raw, with its indexes made inline."""
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        create = cursor.fetchone()[0]
    return create.replace(f'"{table}"', "bench_raw", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=20)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.meters, args.days)
        return
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        run_child(database, args.meters, args.days)


if __name__ == "__main__":
    main()
