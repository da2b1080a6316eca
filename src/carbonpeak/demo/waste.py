"""SYNTHETIC household waste statistics for the demo district (deterministic for a seed).

Nothing here is an observation: every row is marked ``quality: synthetic``, and the pages, the API and the
command line say so. The streets are the plan's own street offices (their names only) plus generic
streets named 合成示例街道 (synthetic example street). The shares and yields below are round
illustrative values chosen for the demo, not statistics.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import numpy as np

from carbonpeak.core.plan.model import ResponsibleUnit

GENERIC_STREETS = ("合成示例街道一", "合成示例街道二", "合成示例街道三", "合成示例街道四")
"""Invented street names, labelled synthetic."""
YEARS = (2022, 2023, 2024, 2025)
"""2022-2023 reported by year, 2024 by quarter, 2025 by month for January-September (a partial year)."""

# Illustrative demo values (NOT statistics): share of each stream in the collected total, and the share
# of a stream's tonnes that is utilised in the first demo year (improving each year).
_SHARES = {"recyclable": 0.20, "wet": 0.30, "dry": 0.497, "hazardous": 0.003}
_UTILISED = {"recyclable": 0.86, "wet": 0.74, "dry": 0.0, "hazardous": 0.0}
_KG_PER_PERSON_DAY = 0.9
_DRY_LANDFILLED = 0.1


def demo_streets(units: Iterable[ResponsibleUnit]) -> list[str]:
    """The plan's own street offices' names (not the collective 各街道), then the generic synthetic ones."""
    own = [u.name_zh for u in units if u.kind == "street_office" and not u.collective]
    return own + list(GENERIC_STREETS)


def _periods(year: int) -> list[tuple[str, float]]:
    """Period codes of a demo year with their share of the year."""
    if year <= 2023:
        return [(str(year), 1.0)]
    if year == 2024:
        return [(f"{year}Q{q}", 0.25) for q in range(1, 5)]
    return [(f"{year}-{m:02d}", 1 / 12) for m in range(1, 10)]


def _csv(header: Sequence[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*header, "quality"])
    for row in rows:
        writer.writerow([*row, "synthetic"])
    return out.getvalue().encode("utf-8")


def demo_waste_files(units: Iterable[ResponsibleUnit], *, seed: int) -> list[tuple[str, bytes]]:
    """SYNTHETIC quantities, inspections and population files (CSV, in the import layouts)."""
    rng = np.random.default_rng(seed + 19)
    streets = demo_streets(units)
    population = {s: float(round(rng.uniform(40_000, 120_000), -2)) for s in streets}
    skill = {s: float(rng.uniform(-0.06, 0.06)) for s in streets}
    quantities: list[list[object]] = []
    inspections: list[list[object]] = []
    people: list[list[object]] = []
    for y, year in enumerate(YEARS):
        for street in streets:
            people.append([street, year, f"{population[street]:.0f}"])
            annual_t = population[street] * _KG_PER_PERSON_DAY * 365 / 1000 * float(rng.uniform(0.95, 1.05))
            for period, share in _periods(year):
                for stream, stream_share in _SHARES.items():
                    collected = annual_t * share * stream_share * float(rng.uniform(0.93, 1.07))
                    rate = _UTILISED[stream]
                    if rate:
                        rate = min(0.98, rate + 0.02 * y + skill[street] + float(rng.uniform(-0.02, 0.02)))
                    collected = round(collected, 2)
                    utilised = round(collected * rate, 2)
                    rest = collected - utilised
                    landfilled = round(rest * _DRY_LANDFILLED, 2) if stream == "dry" else 0.0
                    quantities.append(
                        [
                            street,
                            period,
                            stream,
                            *(
                                f"{v:.2f}"
                                for v in (collected, utilised, max(0.0, rest - landfilled), landfilled)
                            ),
                        ]
                    )
                for kind, low, high in (("residential", 20, 60), ("unit", 40, 160)):
                    assessed = int(rng.integers(low, high))
                    share_ok = min(1.0, float(rng.uniform(0.86, 0.97)) + 0.01 * y + skill[street] / 2)
                    inspections.append([street, period, kind, assessed, int(assessed * share_ok)])
    return [
        ("demo-waste-population.csv", _csv(("street", "year", "population"), people)),
        (
            "demo-waste-quantities.csv",
            _csv(
                ("street", "period", "stream", "collected_t", "utilised_t", "incinerated_t", "landfilled_t"),
                quantities,
            ),
        ),
        (
            "demo-waste-inspections.csv",
            _csv(("street", "period", "kind", "assessed", "compliant"), inspections),
        ),
    ]
