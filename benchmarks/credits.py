"""Benchmark: import 1 million carbon-credit activities on SQLite, then import them again (idempotent).

In a fresh process with SQLite in a temporary directory:

1. writes an activity CSV of ``--activities`` SYNTHETIC activities (``activity_id, account, methodology,
   quantity, unit, occurred_at``; metro and bus trips of 100,000 pseudonymous citizens) (not timed);
2. approves the metro and bus methodologies (not timed);
3. **first import**: ``activity_file_import``, the path of ``carbonpeak credits import``: parsing and
   validating every row, duplicate detection against stored activities, the credit decision of each,
   storing the activities and one balanced issue transaction with an entry per activity (bulk inserts),
   in one database transaction;
4. **re-import** of the same file: every activity is recognised, nothing is credited, no entry is added.

It prints activities per second (wall clock, and per second of the process's CPU time, which is what a
shared machine's load does not distort) for both and checks the idempotence (same balances, same entry count).
Issue 19's target: >= 20,000 activities/s on SQLite.

Usage: python benchmarks/credits.py [--activities 1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_file(path: Path, n: int) -> None:
    rng = random.Random(19)  # synthetic data
    kinds = (("metro_trip_pkm", 2.0, 25.0), ("bus_trip_pkm", 1.0, 12.0))
    with path.open("w", encoding="utf-8") as f:
        f.write("activity_id,account,methodology,quantity,unit,occurred_at\n")
        for i in range(n):
            code, low, high = kinds[i % 2]
            day = 1 + i % 30
            f.write(
                f"bench-{i:08d},c{rng.randrange(100_000):06d},{code},{rng.uniform(low, high):.1f},pkm,"
                f"2026-11-{day:02d} {i % 24:02d}:{i % 60:02d}\n"
            )


def child(n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.web.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Sum

    from carbonpeak.web.credits import services
    from carbonpeak.web.credits.models import LedgerEntry

    call_command("migrate", interactive=False, verbosity=0)
    services.reference_ensure()
    partner, _token = services.partner_create(
        code="bench", name="bench (synthetic)", methodologies=["metro_trip_pkm", "bus_trip_pkm"]
    )
    services.methodology_approve(code="metro_trip_pkm", label="benchmark")
    services.methodology_approve(code="bus_trip_pkm", label="benchmark")
    path = Path(os.environ["CARBONPEAK_DATA_DIR"]) / "activities.csv"
    write_file(path, n)
    print(f"SQLite, {n:,} SYNTHETIC activities ({path.stat().st_size / 1e6:,.0f} MB CSV)")

    start, cpu = time.perf_counter(), time.process_time()
    first = services.activity_file_import(partner=partner, path=path)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert first.ok, first.errors[:3]
    entries = LedgerEntry.objects.count()
    held = LedgerEntry.objects.filter(account__startswith="citizen:").aggregate(s=Sum("amount_gco2e"))["s"]
    print(
        f"first import: {first.credited:,} credited ({first.credited_gco2e / 1e6:,.3f} tCO2e)"
        f" in {elapsed:.1f} s"
        f" = {n / elapsed:,.0f} activities/s (target >= 20,000/s); process CPU {cpu:.1f} s"
        f" = {n / cpu:,.0f} activities per CPU-second (load average {os.getloadavg()[0]:.1f})"
    )

    start, cpu = time.perf_counter(), time.process_time()
    again = services.activity_file_import(partner=partner, path=path)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    held_again = LedgerEntry.objects.filter(account__startswith="citizen:").aggregate(s=Sum("amount_gco2e"))[
        "s"
    ]
    idempotent = (
        again.credited == 0
        and again.duplicates == n
        and LedgerEntry.objects.count() == entries
        and held_again == held
    )
    print(
        f"re-import: {again.credited:,} credited, {again.duplicates:,} recognised in {elapsed:.1f} s"
        f" = {n / elapsed:,.0f} activities/s (CPU {cpu:.1f} s); idempotent: {'yes' if idempotent else 'NO'}"
    )
    if not idempotent:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.activities)
        return
    scratch = tempfile.mkdtemp(prefix="carbonpeak-bench-credits-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CARBONPEAK_DATA_DIR"] = scratch
    try:
        subprocess.run(
            [sys.executable, __file__, "--child", "--activities", str(args.activities)], env=env, check=True
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
