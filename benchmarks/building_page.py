"""Benchmark: building-page latency (p50, p95) on an existing data directory.

Renders ``/buildings/<id>/`` for random buildings through Django's test client, in-process, on the database
of ``CARBONPEAK_DATA_DIR`` (run ``carbonpeak demo --buildings N`` there first). It prints the number of
readings in the database, so a figure is never read without its scale. The issue's target is p95 under
100 ms with 35 million readings loaded; this script measures whatever scale the directory holds.

Usage: CARBONPEAK_DATA_DIR=var python benchmarks/building_page.py [--requests 100]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.web.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from carbonpeak.web.buildings.models import Building, Reading

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    codes = list(Building.objects.values_list("code", flat=True))
    if not codes:
        raise SystemExit("no buildings: run `carbonpeak demo --buildings N` in this data directory first")
    client = Client()
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    rng = random.Random(1)
    client.get(f"/buildings/{codes[0]}/")  # warm up
    times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        response = client.get(f"/buildings/{rng.choice(codes)}/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{Reading.objects.count():,} readings, {len(codes)} buildings: building page p50 "
        f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({args.requests} requests)"
    )


if __name__ == "__main__":
    main()
