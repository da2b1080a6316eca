"""The document ``carbonpeak project --scenario NAME --draws N --seed S --format json`` prints.

References
----------
.. [1] 杨府发〔2022〕13号, 二: 确保2030年前实现碳达峰 (a ``peak_by`` target: its deadline is ``peak_by``, and
   ``p_peak_by_<year>`` is the share of draws peaking by then under the chosen peak test).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from carbonpeak.core.projection.model import Calibration, FloatArray
from carbonpeak.core.projection.montecarlo import DEFAULT_DRAWS, simulate
from carbonpeak.core.projection.peak import DEFAULT_PEAK_TEST, peak_test_check
from carbonpeak.core.projection.scenario import Scenario, project, wedges


def projection_document(
    calibration: Calibration,
    scenario: Scenario,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    peak_by: int | None,
    peak_test: str = DEFAULT_PEAK_TEST,
    peak_test_params: Mapping[str, float] | None = None,
    wedge_year: int = 2030,
) -> dict[str, Any]:
    """Build the JSON-ready projection document of a scenario.

    Parameters
    ----------
    calibration : Calibration
    scenario : Scenario
    draws : int
        Monte Carlo draws.
    seed : int
        Seed of ``numpy.random.default_rng``.
    peak_by : int or None [a]
        The plan's peak year (the deadline of its ``peak_by`` target); ``None`` when no plan gives one, and
        then no peak probability is computed.
    peak_test : str
        The peak test P(peak <= ``peak_by``) is computed under: ``argmax`` (default), ``sustained_decline``
        or ``c40`` (:mod:`.peak`); unknown names are refused.
    peak_test_params : mapping, optional
        The test's parameters (e.g. ``{"min_years": 3}``); default: the test's defaults.
    wedge_year : int [a]
        Year of the wedges' ``co2_t_<year>``; must be an output year.

    Returns
    -------
    dict
        ``scenario``, ``years``, ``co2_t_p10``/``_p50``/``_p90`` [tCO2] by year, ``co2_t_central`` [tCO2]
        (deterministic run), ``peak_year_distribution`` (year string to share of draws; years with no draw
        left out), ``p_peak_by`` and ``p_peak_by_<year>`` (the same value; ``null`` without a peak year),
        ``peak_test`` (:class:`.peak.PeakProbability` as a dictionary: ``test``, ``peak_by_year``,
        ``p_peak_by``, ``draws``, ``params``), ``peak_co2_t`` (P10/P50/P90 of the peak value [tCO2]),
        ``wedges``
        (``lever``, ``task``, ``clause``, ``targets``, ``co2_t_<year>`` [tCO2]; they sum to BAU minus this
        scenario), ``draws``, ``seed``, ``last_history_year``, ``notes`` and ``assumptions`` (every lever
        parameter's evidence, and the uncertainty specs).

    References
    ----------
    .. [1] IPCC (2006). Guidelines for National GHG Inventories, Vol. 1, ch. 3, section 3.2.3.2.
    """
    peak_test_check(peak_test)
    mc = simulate(calibration, scenario, draws=draws, seed=seed)
    central = project(calibration, scenario)
    peaks = mc.peak_co2_t
    params = dict(peak_test_params or {})
    if peak_by is None:
        outcome: dict[str, Any] = {
            "test": peak_test,
            "peak_by_year": None,
            "p_peak_by": None,
            "draws": draws,
            "params": params,
        }
    else:
        outcome = mc.peak_probability(peak_by, test=peak_test, **params).to_dict()
    probability = {"p_peak_by": outcome["p_peak_by"], "peak_test": outcome}
    if peak_by is not None:
        probability[f"p_peak_by_{peak_by}"] = outcome["p_peak_by"]
    return {
        "scenario": scenario.name,
        "years": list(mc.years),
        "co2_t_p10": mc.percentile(10).tolist(),
        "co2_t_p50": mc.percentile(50).tolist(),
        "co2_t_p90": mc.percentile(90).tolist(),
        "co2_t_central": central.total_co2_t.tolist(),
        "peak_year_distribution": {str(y): p for y, p in mc.peak_year_distribution().items()},
        **probability,
        "peak_co2_t": {
            "p10": float(_pct(peaks, 10)),
            "p50": float(_pct(peaks, 50)),
            "p90": float(_pct(peaks, 90)),
        },
        "wedges": [
            {
                "lever": w.lever,
                "task": w.task,
                "clause": w.clause,
                "targets": list(w.targets),
                f"co2_t_{wedge_year}": w.at(wedge_year),
            }
            for w in wedges(calibration, scenario)
        ],
        "draws": draws,
        "seed": seed,
        "last_history_year": calibration.last_history_year,
        "notes": list(central.notes),
        "assumptions": {
            "levers": [lever.describe() for lever in scenario.ordered_levers()],
            "uncertainty": [spec.to_dict() for spec in scenario.uncertainty],
        },
    }


def _pct(values: FloatArray, p: float) -> float:
    return float(np.percentile(values, p))
