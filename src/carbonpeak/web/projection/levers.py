"""Lever sliders: one per plan lever, as a level of ambition in % of the plan (100 % = the plan's defaults).

A slider at ``k`` % scales what the lever adds on top of "no lever":

* additions (retrofitted m², PV MW, green-space ha) and shares (ultra-low-energy share, NEV share,
  renewable substitution rate) are multiplied by ``k/100`` (shares capped at 100 %);
* levels with a baseline (data-centre PUE, waste recovery rate) move from the lever's baseline towards the
  plan's value by ``k/100``: ``baseline + k/100 x (plan - baseline)``.

0 % therefore removes the lever's effect, 100 % is the plan and 150 % is half as much again. Every other
parameter (savings fractions, yields, baselines) keeps the plan lever's value and evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from carbonpeak.core.projection import LEVER_ORDER, Lever, ProjectionError, Scenario, lever_from_dict

SLIDER_MIN_PCT = 0
SLIDER_MAX_PCT = 200
SLIDER_STEP_PCT = 10


def _scale(schedule: Mapping[str, float], k: float, cap: float | None = None) -> dict[str, float]:
    out = {}
    for year, value in schedule.items():
        scaled = float(value) * k
        out[year] = min(scaled, cap) if cap is not None else scaled
    return out


def _towards(
    schedule: Mapping[str, float], baseline: float, k: float, low: float, high: float
) -> dict[str, float]:
    return {y: min(max(baseline + k * (float(v) - baseline), low), high) for y, v in schedule.items()}


def scale_lever(lever: Lever, pct: float) -> Lever:
    """Return the lever at ``pct`` % of its ambition (see the module docstring).

    Raises
    ------
    ProjectionError
        If ``pct`` is outside the slider range.
    """
    if not SLIDER_MIN_PCT <= pct <= SLIDER_MAX_PCT:
        raise ProjectionError(f"{lever.code}: {pct} % is outside {SLIDER_MIN_PCT}-{SLIDER_MAX_PCT} %")
    k = pct / 100.0
    data = lever.to_dict()
    p: dict[str, Any] = data["params"]
    code = lever.code
    if code == "public_building_retrofit":
        p["area_m2"] = _scale(p["area_m2"], k)
    elif code == "ultra_low_energy_buildings":
        p["share_by_segment"] = {s: _scale(v, k, 1.0) for s, v in p["share_by_segment"].items()}
    elif code == "data_centre_pue":
        base = float(p["baseline_pue"])
        p["existing_pue"] = _towards(p["existing_pue"], base, k, 1.0, 3.0)
        p["new_pue"] = min(max(base + k * (float(p["new_pue"]) - base), 1.0), 3.0)
    elif code == "nev_share":
        p["new_share"] = _scale(p["new_share"], k, 1.0)
    elif code == "renewable_substitution":
        p["rate"] = _scale(p["rate"], k, 1.0)
    elif code == "rooftop_pv":
        p["added_mw"] = _scale(p["added_mw"], k)
    elif code == "waste_recovery":
        p["rate"] = _towards(p["rate"], float(p["baseline_rate"]), k, 0.0, 1.0)
    elif code == "green_space_sink":
        p["added_ha"] = _scale(p["added_ha"], k)
    else:  # pragma: no cover - every lever in LEVER_ORDER is handled above
        raise ProjectionError(f"no slider for lever '{code}'")
    return lever_from_dict(data)


def apply_sliders(base: Scenario, settings: Mapping[str, float], *, name: str | None = None) -> Scenario:
    """The scenario ``base`` (normally the plan) with each lever scaled to its slider, in % of the plan.

    Levers without a setting keep their value; a setting for a lever the base lacks, or an unknown code, is
    refused.
    """
    unknown = sorted(set(settings) - set(LEVER_ORDER))
    if unknown:
        raise ProjectionError(f"unknown lever {unknown}; known: {', '.join(LEVER_ORDER)}")
    by_code = {lever.code: lever for lever in base.levers}
    missing = sorted(set(settings) - set(by_code))
    if missing:
        raise ProjectionError(f"scenario '{base.name}' has no lever {missing}")
    levers = tuple(
        scale_lever(lever, float(settings[lever.code])) if lever.code in settings else lever
        for lever in base.ordered_levers()
    )
    return replace(base, name=name or base.name, levers=levers)


def _fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def lever_summary(lever: Lever, last_history_year: int) -> str:
    """A one-line statement of the lever's main setting (units in the text), for the slider's label."""
    p = lever.to_dict()["params"]
    code = lever.code
    if code == "public_building_retrofit":
        later = [v for y, v in p["area_m2"].items() if int(y) > last_history_year]
        return f"{_fmt(max(later, default=0.0))} m²/a"
    if code == "ultra_low_energy_buildings":
        shares = [max(v.values(), default=0.0) for v in p["share_by_segment"].values()]
        return f"{_fmt(100 * max(shares, default=0.0))} %"
    if code == "data_centre_pue":
        existing = min(p["existing_pue"].values(), default=p["baseline_pue"])
        return f"PUE {existing:.2f} / {float(p['new_pue']):.2f}"
    if code == "nev_share":
        return f"{_fmt(100 * max(p['new_share'].values(), default=0.0))} %"
    if code in ("renewable_substitution", "waste_recovery"):
        return f"{_fmt(100 * max(p['rate'].values(), default=0.0))} %"
    if code == "rooftop_pv":
        return f"{_fmt(sum(v for y, v in p['added_mw'].items() if int(y) > last_history_year), 1)} MW"
    if code == "green_space_sink":
        return f"{_fmt(sum(v for y, v in p['added_ha'].items() if int(y) > last_history_year), 1)} ha"
    return ""  # pragma: no cover
