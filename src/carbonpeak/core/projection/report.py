"""The document ``carbonpeak project --scenario NAME --draws N --seed S --format json`` prints.

References
----------
.. [1] 杨府发〔2022〕13号, 二: 确保2030年前实现碳达峰 (target ``carbon_peak_2030``: hence ``p_peak_by_2030``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from carbonpeak.core.projection.model import Calibration, FloatArray
from carbonpeak.core.projection.montecarlo import DEFAULT_DRAWS, simulate
from carbonpeak.core.projection.scenario import Scenario, project, wedges


def projection_document(
    calibration: Calibration,
    scenario: Scenario,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    peak_by: int = 2030,
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
    peak_by : int [a]
        Year of ``p_peak_by_<year>`` (the plan's 2030).
    wedge_year : int [a]
        Year of the wedges' ``co2_t_<year>``; must be an output year.

    Returns
    -------
    dict
        ``scenario``, ``years``, ``co2_t_p10``/``_p50``/``_p90`` [tCO2] by year, ``co2_t_central`` [tCO2]
        (deterministic run), ``peak_year_distribution`` (year string to share of draws; years with no draw
        left out), ``p_peak_by_<year>``, ``peak_co2_t`` (P10/P50/P90 of the peak value [tCO2]), ``wedges``
        (``lever``, ``task``, ``clause``, ``targets``, ``co2_t_<year>`` [tCO2]; they sum to BAU minus this
        scenario), ``draws``, ``seed``, ``last_history_year``, ``notes`` and ``assumptions`` (every lever
        parameter's evidence, and the uncertainty specs).

    References
    ----------
    .. [1] IPCC (2006). Guidelines for National GHG Inventories, Vol. 1, ch. 3, section 3.2.3.2.
    """
    mc = simulate(calibration, scenario, draws=draws, seed=seed)
    central = project(calibration, scenario)
    peaks = mc.peak_co2_t
    return {
        "scenario": scenario.name,
        "years": list(mc.years),
        "co2_t_p10": mc.percentile(10).tolist(),
        "co2_t_p50": mc.percentile(50).tolist(),
        "co2_t_p90": mc.percentile(90).tolist(),
        "co2_t_central": central.total_co2_t.tolist(),
        "peak_year_distribution": {str(y): p for y, p in mc.peak_year_distribution().items()},
        f"p_peak_by_{peak_by}": mc.p_peak_by(peak_by),
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
