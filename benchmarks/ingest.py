"""Benchmark: bulk ingest of a CSV file of 15-minute readings, against a raw insert of the same rows.

For each database (SQLite in a temporary file, and PostgreSQL when reachable), in one process:

1. writes a long-format CSV (``meter_id, timestamp, value``) of ``--meters`` meters x ``--days`` days of
   15-minute readings (not timed);
2. **file ingest**: ``readings_file_import`` on it, the path of ``carbonpeak readings import`` and the upload
   page: pyarrow block reading, validation (unknown meters, values, future times, negatives, spikes against
   the day before), duplicate and conflict checks against stored readings, storage, and the hourly, daily and
   monthly rollups, all in one transaction;
3. **service ingest** of the same readings for a second set of meters, handed over as columns
   (``readings_ingest``; no file parsing);
4. **raw baselines**, the same rows written with no checks and no rollups: PostgreSQL ``COPY ... (FORMAT
   BINARY)`` from pre-built records, SQLite ``executemany`` from pre-built tuples, (a) into a table with
   ``Reading``'s own schema and key (the floor for anything that keeps readings unique per meter and time)
   and (b) into a bare three-column table with no key.

It prints readings per second and the ratios ingest / raw. Issue 5's targets: 1,000 meters x 365 days (35
million readings) at >= 400,000/s into PostgreSQL and >= 250,000/s into SQLite, and a ratio >= 0.5.

Usage: python benchmarks/ingest.py [--meters 20] [--days 30] [--database sqlite|postgresql|both]
       python benchmarks/ingest.py --meters 1000 --days 365        # the issue's full case (~10 GB disk)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1_000_000
"""Rows per baseline write (the baseline's input is built per chunk, outside the timing)."""


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
    try:
        subprocess.run(
            [sys.executable, __file__, "--child", database, "--meters", str(meters), "--days", str(days)],
            env=env,
            check=True,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_csv(path: Path, prefix: str, meters: int, days: int, start_local: str) -> int:
    """A long-format CSV of SYNTHETIC uniform random readings; returns the number of rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    steps = days * 96
    stamps = np.datetime64(start_local, "s") + np.arange(steps) * np.timedelta64(900, "s")
    text = np.datetime_as_string(stamps, unit="s")
    text.view("<U1").reshape(steps, -1)[:, 10] = " "
    rng = np.random.default_rng(1)
    with pacsv.CSVWriter(
        str(path),
        pa.schema([("meter_id", pa.string()), ("timestamp", pa.string()), ("value", pa.float64())]),
        write_options=pacsv.WriteOptions(quoting_style="none"),
    ) as writer:
        times = pa.array(text.tolist())
        for m in range(meters):
            values = rng.uniform(1, 10, steps).round(3)
            writer.write_table(
                pa.table(
                    {"meter_id": pa.array([f"{prefix}{m:04d}"] * steps), "timestamp": times, "value": values}
                )
            )
    return meters * steps


def child(database: str, meters: int, days: int) -> None:
    """Measure ingest and the raw baselines in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.web.config.settings")
    import django

    if database == "postgresql":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS carbonpeak_bench")
            admin.execute("CREATE DATABASE carbonpeak_bench")
    django.setup()
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import numpy as np
    from django.core.management import call_command
    from django.db import connection

    from carbonpeak.io.readings import ReadingColumns, read_readings_file
    from carbonpeak.web.buildings.models import Meter, Reading
    from carbonpeak.web.buildings.services import (
        buildings_import,
        meters_import,
        readings_file_import,
        readings_ingest,
    )

    call_command("migrate", verbosity=0)
    buildings_import(rows=[{"id": "BENCH", "name": "bench", "primary_use": "other", "floor_area_m2": 1000.0}])
    meter_row = {"building_id": "BENCH", "energy_class": "electricity", "unit": "kWh", "category": "total"}
    meter_row |= {"kind": "interval", "multiplier": 1.0, "interval_minutes": 15, "register_max": None}
    meters_import(
        rows=[
            {**meter_row, "id": f"{prefix}{i:04d}", "it_load": False, "virtual": [], "row": i + 2}
            for prefix in ("M", "N")
            for i in range(meters)
        ]
    )
    scratch = Path(os.environ["CARBONPEAK_DATA_DIR"])
    now = datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai")) + timedelta(days=days + 1)
    file_path, service_path = scratch / "readings.csv", scratch / "service.csv"
    total = write_csv(file_path, "M", meters, days, "2025-01-01T00:15:00")
    write_csv(service_path, "N", meters, days, "2025-01-01T00:15:00")
    size_mb = file_path.stat().st_size / 2**20

    _checkpoint(database)
    began = time.perf_counter()
    result, errors = readings_file_import(path=file_path, now=now)
    file_s = time.perf_counter() - began
    assert not errors, errors
    assert result.accepted == total, result

    columns: ReadingColumns = read_readings_file(service_path)[0]  # parsed outside the timing
    service_path.unlink()
    _checkpoint(database)
    began = time.perf_counter()
    service = readings_ingest(readings=columns, source="bench", now=now)
    service_s = time.perf_counter() - began
    assert service.accepted == total, service
    assert Reading.objects.count() == 2 * total, "every reading must be stored"
    del columns

    ids = dict(Meter.objects.values_list("code", "pk"))
    stamps = (np.datetime64("2025-01-01T00:15:00", "ns") - np.timedelta64(8, "h")) + np.arange(
        days * 96
    ) * np.timedelta64(900, "s")
    ts_ns = stamps.astype(np.int64)
    baseline = {}
    for name, create, columns_sql in _baseline_tables(database, connection):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_raw")
            cursor.execute(create)
        _checkpoint(database)
        baseline[name] = _raw_insert(database, connection, columns_sql, ids, meters, ts_ns)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    raw_name = "COPY (binary)" if database == "postgresql" else "executemany"
    print(
        f"{database}: {meters} meters x {days} days = {total:,} readings, CSV {size_mb:,.0f} MB, "
        f"peak memory {peak_mb:,.0f} MB (SYNTHETIC data)"
    )
    print(f"  file ingest (readings_file_import) {total / file_s:>10,.0f}/s  ({file_s:7.1f} s)")
    print(f"  service ingest (readings_ingest)   {total / service_s:>10,.0f}/s  ({service_s:7.1f} s)")
    for name, raw_s in baseline.items():
        print(
            f"  raw {raw_name} into {name:<17} {total / raw_s:>10,.0f}/s  ({raw_s:7.1f} s)  "
            f"ratio file/raw {raw_s / file_s:.2f}, service/raw {raw_s / service_s:.2f}"
        )


def _checkpoint(database: str) -> None:
    """Start each timed part with no dirty pages from the previous one (PostgreSQL)."""
    if database == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")


def _baseline_tables(database: str, connection: object) -> list[tuple[str, str, str]]:
    """(name, CREATE statement, columns) of the two raw-insert targets."""
    from carbonpeak.web.buildings.models import Reading

    table = Reading._meta.db_table
    if database == "postgresql":
        return [
            (
                "Reading's schema",
                f"CREATE TABLE bench_raw (LIKE {table} INCLUDING ALL)",
                "meter_id, ts, raw, consumption",
            ),
            (
                "a bare table",
                "CREATE TABLE bench_raw (meter_id bigint, ts timestamp with time zone, raw double precision)",
                "meter_id, ts, raw",
            ),
        ]
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        create = cursor.fetchone()[0].replace(f'"{table}"', "bench_raw", 1)
    return [
        ("Reading's schema", create, "meter_id, ts, raw, consumption"),
        ("a bare table", "CREATE TABLE bench_raw (meter_id integer, ts text, raw real)", "meter_id, ts, raw"),
    ]


def _raw_insert(
    database: str, connection: object, columns: str, ids: dict[str, int], meters: int, ts_ns
) -> float:
    """Seconds spent by the database writing every row (input built per chunk outside the timing)."""
    import numpy as np
    from django.db import transaction

    from carbonpeak.web.buildings.storage import sqlite_times

    width = len(columns.split(","))
    rng = np.random.default_rng(1)
    meter_ids = np.repeat(np.array([ids[f"M{i:04d}"] for i in range(meters)], dtype=np.int64), len(ts_ns))
    stamps = np.tile(ts_ns, meters)
    values = np.concatenate([rng.uniform(1, 10, len(ts_ns)).round(3) for _ in range(meters)])
    spent = 0.0
    atomic = transaction.atomic()  # one transaction, as ingest uses; its commit is timed too
    atomic.__enter__()
    try:
        connection.ensure_connection()  # type: ignore[attr-defined]
        raw = connection.connection  # type: ignore[attr-defined]
        if database == "postgresql":
            # Every record is built before the clock starts: the server must not get free time while the
            # client builds the next block.
            layout = [("f", ">i2")] + [
                x for k in range(width) for x in ((f"n{k}", ">i4"), (f"v{k}", ">i8" if k < 2 else ">f8"))
            ]
            blocks = []
            for start in range(0, len(stamps), CHUNK):
                part = slice(start, start + CHUNK)
                records = np.empty(len(stamps[part]), dtype=layout)
                records["f"] = width
                pg_time = stamps[part] // 1000 - 946_684_800_000_000
                for k, column in enumerate([meter_ids[part], pg_time, values[part], values[part]][:width]):
                    records[f"n{k}"] = 8
                    records[f"v{k}"] = column
                blocks.append(records.tobytes())
            began = time.perf_counter()
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY bench_raw ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
            ):
                copy.write(b"PGCOPY\n\xff\r\n\x00" + bytes(8))
                for block in blocks:
                    copy.write(block)
                copy.write((-1).to_bytes(2, "big", signed=True))
            spent += time.perf_counter() - began
            del blocks
        else:
            marks = ", ".join("?" * width)
            for start in range(0, len(stamps), CHUNK):
                part = slice(start, start + CHUNK)
                cells = [
                    meter_ids[part].tolist(),
                    sqlite_times(stamps[part]),
                    values[part].tolist(),
                    values[part].tolist(),
                ]
                rows = list(zip(*cells[:width], strict=True))
                began = time.perf_counter()
                raw.executemany(f"INSERT INTO bench_raw ({columns}) VALUES ({marks})", rows)
                spent += time.perf_counter() - began
    except BaseException:
        atomic.__exit__(*sys.exc_info())
        raise
    began = time.perf_counter()
    atomic.__exit__(None, None, None)
    return spent + time.perf_counter() - began


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
