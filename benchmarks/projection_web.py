"""Benchmark: server-side recompute of the projection page (10,000 draws) through the JSON endpoint.

Works on the database of ``CARBONPEAK_DATA_DIR`` (run ``carbonpeak demo --buildings 0`` there first: the
synthetic inventory and synthetic drivers). Times, in-process:

* ``outlook``: ``carbonpeak.web.projection.selectors.outlook`` (Monte Carlo + central run + wedge runs +
  LMDI) with the calibration cached, which is what a slider move costs on the server;
* the calibration itself (reading the inventory run and the drivers, then ``calibrate``), paid once per
  (inventory run, driver set) per process;
* the whole request ``GET /api/projection/compute`` with slider settings, through Django's test client.

Target (issue 7): under 300 ms server-side for 10,000 draws. Prints milliseconds; asserts nothing.

Usage: CARBONPEAK_DATA_DIR=var python benchmarks/projection_web.py [--draws 10000] [--requests 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbonpeak.web.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from carbonpeak.core.projection import LEVER_ORDER
    from carbonpeak.web.projection import selectors

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    try:
        inputs = selectors.inputs_get()  # cold: calibrates and fills the cache
    except selectors.ProjectionUnavailableError as exc:
        raise SystemExit(f"{exc}\nrun `carbonpeak demo --buildings 0` in this data directory first") from None
    selectors.calibration_cache_clear()
    started = time.perf_counter()
    inputs = selectors.inputs_get()
    calibration_ms = (time.perf_counter() - started) * 1000

    rng = random.Random(1)
    plan = selectors.scenario_model(name="plan")

    def settings_draw() -> dict[str, float]:
        return {code: float(rng.randrange(0, 201, 10)) for code in LEVER_ORDER}

    selectors.outlook(inputs, plan, draws=args.draws, seed=0)  # warm up numpy
    outlook_ms = []
    for _ in range(args.requests):
        scenario = selectors.slider_scenario(name="plan", lever_settings=settings_draw())
        started = time.perf_counter()
        selectors.outlook(inputs, scenario, draws=args.draws, seed=0)
        outlook_ms.append((time.perf_counter() - started) * 1000)

    client = Client()
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    client.get("/api/projection/compute", {"draws": 10, "seed": 0})  # warm up: URL resolver, API schema
    request_ms = []
    for _ in range(args.requests):
        query = {"draws": args.draws, "seed": 0, **{f"lever.{k}": v for k, v in settings_draw().items()}}
        started = time.perf_counter()
        response = client.get("/api/projection/compute", query)
        request_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]

    def stats(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return f"p50 {statistics.median(ordered):6.1f} ms, p95 {p95:6.1f} ms, max {ordered[-1]:6.1f} ms"

    synthetic = " (synthetic data)" if inputs.synthetic else ""
    print(
        f"inventory run {inputs.run.pk}, driver set {inputs.driver_set.pk}{synthetic}: "
        f"{len(inputs.calibration.cells)} cells, history {inputs.calibration.history_years[0]}-"
        f"{inputs.calibration.last_history_year}; {args.draws:,} draws, {args.requests} slider settings"
    )
    print(f"calibration (once per run x driver set, then cached): {calibration_ms:6.1f} ms")
    print(f"outlook (MC + central + wedges + LMDI), cached calibration: {stats(outlook_ms)}")
    print(f"GET /api/projection/compute (whole request, JSON):          {stats(request_ms)}")
    p95 = sorted(request_ms)[int(0.95 * (len(request_ms) - 1))]
    print(f"target < 300 ms server-side (p95 of the requests): {'met' if p95 < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
