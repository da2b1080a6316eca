"""Read-only queries for the projection: drivers, scenarios, the calibrated model and computed outlooks.

The calibration (inventory history x driver series) is cached in-process per (inventory run, driver set):
both are immutable once stored, so the cache never goes stale; a new run or a new driver set is a new key.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.inventory.compute import RecordResult
from carbonpeak.core.inventory.model import DISTRICT_AREA
from carbonpeak.core.projection import (
    DEFAULT_PEAK_TEST,
    PEAK_TESTS_BY_DRAW,
    SCENARIOS,
    Calibration,
    History,
    ProjectionError,
    decompose,
    history_from_records,
    named_scenario,
    peak_test_check,
    project,
    projection_document,
    simulate,
    wedges,
)
from carbonpeak.core.projection import Scenario as CoreScenario
from carbonpeak.core.projection.plan_levers import PlannedLever, levers_from_plan
from carbonpeak.web.inventory.models import InventoryRun
from carbonpeak.web.inventory.selectors import area_run_get, dataset_records
from carbonpeak.web.projection.levers import lever_summary
from carbonpeak.web.projection.models import DriverSet, DriverValue, Scenario

OUTLOOK_DRAWS = 2_000
"""Draws of the dashboard's outlook (a quick read; the projection page uses 10,000)."""
OUTLOOK_SEED = 0
MAX_DRAWS = 10_000
"""Most draws one web request may ask for."""


PEAK_INDICATOR = "district_co2_emissions"
"""The indicator whose ``peak_by`` target gives the plan's peak year."""
NO_PLAN_PEAK = (
    "no plan with a peak year is loaded (a peak_by target of district_co2_emissions): "
    "load one with 'carbonpeak plan load FILE.yaml'"
)
"""What the outlook says instead of a probability when the current plan gives no peak year."""


class ProjectionUnavailableError(CarbonpeakError):
    """No inventory run or no driver set is stored: the message says what to load."""


@dataclass(frozen=True)
class PlanPeak:
    """The current plan's peak year: the deadline of its ``peak_by`` target of district CO2."""

    year: int
    """The last year of the target's deadline [a]."""
    target: str
    """The target's code."""
    quote: str
    """The plan's own words."""


_PLAN_PEAKS: dict[str, PlanPeak | None] = {}
"""The peak year of each stored plan content, by its sha256 (a stored version never changes)."""


def plan_peak() -> PlanPeak | None:
    """The current plan's peak year, from ``current_targets('district_co2_emissions')`` with comparator
    ``peak_by``; ``None`` when no plan is loaded or the plan has no such target (the first one counts)."""
    from carbonpeak.core.plan.model import Comparator
    from carbonpeak.web.plan.selectors import current_plan_version, current_targets, target_years

    version = current_plan_version()
    if version is None:
        return None
    with _LOCK:
        if version.sha256 in _PLAN_PEAKS:
            return _PLAN_PEAKS[version.sha256]
    targets = [t for t in current_targets(PEAK_INDICATOR) if t.comparator is Comparator.PEAK_BY]
    found: PlanPeak | None = None
    if targets:
        found = PlanPeak(target_years(targets[0])[1], targets[0].code, targets[0].quote)
    with _LOCK:
        _PLAN_PEAKS[version.sha256] = found
    return found


def peak_tests() -> list[str]:
    """The named peak tests the outlook can use, the default first."""
    return [DEFAULT_PEAK_TEST, *(name for name in PEAK_TESTS_BY_DRAW if name != DEFAULT_PEAK_TEST)]


@dataclass(frozen=True)
class Inputs:
    """What a projection is computed from."""

    run: InventoryRun
    driver_set: DriverSet
    calibration: Calibration

    @property
    def synthetic(self) -> bool:
        """Whether the inventory or the drivers are synthetic."""
        return bool(self.run.dataset.synthetic or self.driver_set.synthetic)


def driver_set_get(*, driver_set_id: int | None = None) -> DriverSet | None:
    """A driver set by id, else the latest imported."""
    qs = DriverSet.objects.all()
    if driver_set_id is not None:
        return qs.filter(pk=driver_set_id).first()
    return qs.order_by("-imported_at", "-id").first()


def driver_series(*, driver_set: DriverSet) -> dict[str, dict[int, float]]:
    """``driver -> {year: value}`` [driver unit] of a set."""
    out: dict[str, dict[int, float]] = {}
    for driver, year, value in DriverValue.objects.filter(driver_set=driver_set).values_list(
        "driver", "year", "value"
    ):
        out.setdefault(driver, {})[int(year)] = float(value)
    return out


def driver_sources(*, driver_set: DriverSet) -> list[dict[str, Any]]:
    """Each driver of a set with its unit, years, sources and evidence tags (for the assumptions panel)."""
    rows: dict[str, dict[str, Any]] = {}
    for v in DriverValue.objects.filter(driver_set=driver_set).order_by("driver", "year"):
        entry = rows.setdefault(
            v.driver, {"driver": v.driver, "unit": v.unit, "years": [], "sources": set(), "evidence": set()}
        )
        entry["years"].append(v.year)
        entry["sources"].add(v.source)
        entry["evidence"].add(v.evidence)
    return [
        {
            "driver": e["driver"],
            "unit": e["unit"],
            "years": f"{min(e['years'])}-{max(e['years'])}",
            "source": "; ".join(sorted(e["sources"])),
            "evidence": ", ".join(sorted(e["evidence"])),
        }
        for e in rows.values()
    ]


def run_history(*, run: InventoryRun) -> History:
    """The run's frozen per-row results as the history the model is calibrated on (one area)."""
    records, _ = dataset_records(dataset=run.dataset)
    by_row = {r.row: r for r in records}
    results = [
        RecordResult(
            by_row[r["row"]],
            r["energy_tce"],
            r.get("energy_tce_equal_value"),
            r["co2_t"],
            r.get("scope"),
            (),
            tuple(r.get("flags", ())),
        )
        for r in run.row_results
        if r["row"] in by_row
    ]
    areas = sorted({r.record.area for r in results})
    if DISTRICT_AREA in areas:
        return history_from_records(results, area=DISTRICT_AREA)  # the district's rows, never its sub-areas
    if len(areas) > 1:
        raise ProjectionError(
            f"the inventory run covers several areas ({', '.join(areas)}) and none is '{DISTRICT_AREA}': "
            "the projection needs the district's own rows"
        )
    return history_from_records(results)


_CACHE: OrderedDict[tuple[int, int], Calibration] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = threading.Lock()
_OUTLOOKS: OrderedDict[tuple[int, int, int, str, int | None], dict[str, Any]] = OrderedDict()
"""Peak outlooks by (inventory run, driver set, Plan version, peak test, plan peak year): the first three are
immutable once stored, and a change of plan changes the peak year."""


def calibration_get(*, run: InventoryRun, driver_set: DriverSet) -> Calibration:
    """The calibrated model of a run and a driver set, cached in-process (both are immutable)."""
    from carbonpeak.core.projection import calibrate

    key = (int(run.pk), int(driver_set.pk))
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    calibration = calibrate(run_history(run=run), driver_series(driver_set=driver_set))
    with _LOCK:
        _CACHE[key] = calibration
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return calibration


def calibration_cache_clear() -> None:
    """Empty the in-process calibration and outlook caches (tests and benchmarks)."""
    with _LOCK:
        _CACHE.clear()
        _OUTLOOKS.clear()
        _PLAN_PEAKS.clear()


def inputs_get() -> Inputs:
    """The latest inventory run and driver set, calibrated.

    Raises
    ------
    ProjectionUnavailableError
        When either is missing; the message names what to load and how.
    """
    run = area_run_get(area=DISTRICT_AREA)
    driver_set = driver_set_get()
    missing = []
    if run is None:
        missing.append(
            f"no inventory is loaded: import activity data with area '{DISTRICT_AREA}' (the district's own "
            "rows) on the inventory page (or run 'carbonpeak demo')"
        )
    if driver_set is None:
        missing.append(
            "no projection drivers are loaded: run 'carbonpeak projection drivers import FILE.csv' "
            "(columns driver, year, value, unit, source, evidence) or 'carbonpeak demo'"
        )
    if missing or run is None or driver_set is None:
        raise ProjectionUnavailableError("; ".join(missing))
    return Inputs(run, driver_set, calibration_get(run=run, driver_set=driver_set))


def scenario_names() -> list[str]:
    """Every scenario name: BAU and Plan first, then saved ones alphabetically."""
    saved = set(Scenario.objects.values_list("name", flat=True).distinct())
    return [*SCENARIOS, *sorted(saved - set(SCENARIOS))]


def scenario_versions(*, name: str) -> list[Scenario]:
    """Every stored version of a scenario, newest first."""
    return list(Scenario.objects.filter(name=name).select_related("created_by").order_by("-version"))


def scenario_record(*, name: str, version: int | None = None) -> Scenario | None:
    """A stored scenario version (the latest when ``version`` is None), or None."""
    qs = Scenario.objects.filter(name=name)
    if version is not None:
        return qs.filter(version=version).first()
    return qs.order_by("-version").first()


def scenario_model(*, name: str, version: int | None = None) -> CoreScenario:
    """The core scenario of a name: its latest stored version, or the core's BAU/Plan when none is stored.

    Raises
    ------
    ProjectionError
        Unknown name or version (the message lists the known names).
    """
    record = scenario_record(name=name, version=version)
    if record is not None:
        return CoreScenario.from_dict(record.document)
    if version is None and name in SCENARIOS:
        return default_scenario(name)
    known = ", ".join(scenario_names())
    which = f"'{name}'" + (f" version {version}" if version is not None else "")
    raise ProjectionError(f"unknown scenario {which}; known: {known}")


def planned_levers() -> tuple[PlannedLever, ...]:
    """The current plan's levers (:func:`carbonpeak.core.projection.plan_levers.levers_from_plan`); none
    without a plan."""
    from carbonpeak.web.plan.selectors import current_plan

    plan = current_plan()
    return levers_from_plan(plan) if plan is not None else ()


def default_scenario(name: str, **assumptions: Any) -> CoreScenario:
    """BAU, or the plan scenario with the current plan's own levers (``assumptions`` as for the core)."""
    if name == "plan":
        return CoreScenario(name="plan", levers=tuple(p.lever for p in planned_levers()), **assumptions)
    return named_scenario(name, **assumptions)


def peak_year_p50(distribution: dict[str, float]) -> int | None:
    """Median peak year from a ``peak_year_distribution`` (the first year whose cumulative share >= 0.5)."""
    total = 0.0
    for year in sorted(distribution, key=int):
        total += distribution[year]
        if total >= 0.5 - 1e-12:
            return int(year)
    return None


def outlook(
    inputs: Inputs,
    scenario: CoreScenario,
    *,
    draws: int,
    seed: int,
    year_from: int | None = None,
    year_to: int | None = None,
    peak_test: str = DEFAULT_PEAK_TEST,
) -> dict[str, Any]:
    """The projection document of a scenario plus what the page shows (wedge series, LMDI, lever labels).

    P(peak <= the plan's peak year) is computed under ``peak_test`` (``argmax``, ``sustained_decline`` or
    ``c40``); the peak year is the current plan's (:func:`plan_peak`). Without one, ``p_peak_by`` is
    ``null`` and ``peak_test.problem`` says what to load.

    Returns
    -------
    dict
        :func:`carbonpeak.core.projection.projection_document` keys, plus ``peak_year_p50``,
        ``wedge_series`` (``lever`` -> tCO2 by year), ``co2_t_bau_central``, ``decomposition`` (LMDI
        between ``year_from`` and ``year_to``, default the first and last output years), ``levers``
        (code, title, summary), ``synthetic``, ``inventory_run``, ``driver_set`` and ``compute_ms``.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ProjectionError(f"draws must be 1-{MAX_DRAWS:,}, got {draws}")
    started = time.perf_counter()
    calibration = inputs.calibration
    document = plan_projection_document(calibration, scenario, draws=draws, seed=seed, peak_test=peak_test)
    central = project(calibration, scenario)
    y0 = year_from if year_from is not None else central.years[0]
    y1 = year_to if year_to is not None else central.years[-1]
    split = decompose(central, y0, y1)
    series = wedges(calibration, scenario)
    bau = central.total_co2_t + sum((w.co2_t for w in series), np.zeros(len(central.years)))
    document.update(
        {
            "peak_year_p50": peak_year_p50(document["peak_year_distribution"]),
            "co2_t_bau_central": bau.tolist(),
            "wedge_series": [{"lever": w.lever, "co2_t": w.co2_t.tolist()} for w in series],
            "decomposition": {
                "year_from": split.year_from,
                "year_to": split.year_to,
                "total_change_t": split.total_change_t,
                "effects": split.effects,
                "by_sector": split.by_sector,
            },
            "levers": [
                {
                    "lever": lever.code,
                    "title": lever.title,
                    "summary": lever_summary(lever, calibration.last_history_year),
                }
                for lever in scenario.ordered_levers()
            ],
            "synthetic": inputs.synthetic,
            "inventory_run": inputs.run.pk,
            "driver_set": inputs.driver_set.pk,
        }
    )
    document["compute_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return document


def plan_projection_document(
    calibration: Calibration, scenario: CoreScenario, *, draws: int, seed: int, peak_test: str
) -> dict[str, Any]:
    """:func:`carbonpeak.core.projection.projection_document` with the current plan's peak year and a
    named peak test; ``peak_test`` also carries the plan target it came from (``target``) or, with no plan
    peak year, ``problem``."""
    peak = plan_peak()
    document = projection_document(
        calibration,
        scenario,
        draws=draws,
        seed=seed,
        peak_by=peak.year if peak is not None else None,
        peak_test=peak_test_check(peak_test),
    )
    if peak is None:
        document["peak_test"]["problem"] = NO_PLAN_PEAK
    else:
        document["peak_test"]["target"] = peak.target
    return document


def peak_outlook(*, peak_test: str = DEFAULT_PEAK_TEST) -> dict[str, Any] | None:
    """The home dashboard's peak outlook from the latest Plan scenario, or None when it cannot be computed.

    Returns
    -------
    dict or None
        ``p_peak_by`` [-] (``None`` when the current plan gives no peak year), ``peak_by_year`` [a],
        ``peak_test`` (the test's name) and ``peak_test_label``, ``problem`` (why there is no
        probability, or ``None``),
        ``peak_year_p50`` [a], ``scenario`` (name and version) and ``synthetic`` (``OUTLOOK_DRAWS``
        draws, seed ``OUTLOOK_SEED``).
    """
    peak_test_check(peak_test)
    peak = plan_peak()
    try:
        inputs = inputs_get()
        record = scenario_record(name="plan")
        key = (
            int(inputs.run.pk),
            int(inputs.driver_set.pk),
            int(record.pk) if record is not None else 0,
            peak_test,
            peak.year if peak is not None else None,
        )
        with _LOCK:
            cached = _OUTLOOKS.get(key)
        if cached is not None:
            return _labelled(cached)
        scenario = scenario_model(name="plan")
        mc = simulate(inputs.calibration, scenario, draws=OUTLOOK_DRAWS, seed=OUTLOOK_SEED)
    except CarbonpeakError:
        return None
    result = {
        "p_peak_by": mc.peak_probability(peak.year, test=peak_test).p_peak_by if peak is not None else None,
        "peak_by_year": peak.year if peak is not None else None,
        "peak_test": peak_test,
        "problem": None if peak is not None else NO_PLAN_PEAK,
        "peak_year_p50": peak_year_p50({str(y): p for y, p in mc.peak_year_distribution().items()}),
        "scenario": f"plan v{record.version}" if record is not None else "plan",
        "synthetic": inputs.synthetic,
    }
    with _LOCK:
        _OUTLOOKS[key] = result
        while len(_OUTLOOKS) > _CACHE_SIZE:
            _OUTLOOKS.popitem(last=False)
    return _labelled(result)


def _labelled(outlook: dict[str, Any]) -> dict[str, Any]:
    """A copy of a cached outlook with ``peak_test_label`` in the active language."""
    from carbonpeak.web.projection.text import PEAK_TEST_LABELS

    return {**outlook, "peak_test_label": str(PEAK_TEST_LABELS[outlook["peak_test"]])}


def slider_positions(*, name: str, version: int | None = None) -> dict[str, float]:
    """Initial slider positions [% of the plan] of a scenario: 100 for the plan, 0 for BAU, else as saved."""
    from carbonpeak.core.projection import LEVER_ORDER

    record = scenario_record(name=name, version=version)
    if record is not None and record.lever_settings:
        return {code: float(record.lever_settings.get(code, 100.0)) for code in LEVER_ORDER}
    levers = {lever.code for lever in scenario_model(name=name, version=version).levers}
    return {code: (100.0 if code in levers else 0.0) for code in LEVER_ORDER}


def slider_scenario(
    *, name: str, version: int | None = None, lever_settings: dict[str, float] | None = None
) -> CoreScenario:
    """The scenario to compute: a stored one as it is, or, with slider settings, the plan's levers at
    those settings [% of the plan] on top of that scenario's other assumptions (growth, grid, uncertainty).
    """
    from dataclasses import replace

    from carbonpeak.web.projection.levers import apply_sliders

    selected = scenario_model(name=name, version=version)
    if not lever_settings:
        return selected
    plan = scenario_model(name="plan")
    return apply_sliders(replace(selected, levers=plan.ordered_levers()), lever_settings)
