"""The plan scenario's levers built from a district's own plan: its targets set the levers' plan values.

Each lever of :mod:`carbonpeak.core.projection.levers` has parameters a plan states (retrofitted m², new PV
MW, PUE limits, shares and rates) and parameters that are modelling assumptions (savings fractions, yields,
baselines). This module reads the first kind from the plan's targets, by indicator code, and keeps the
lever's documented assumption for the second. A lever whose indicator has no usable target in the plan is
left out of the plan scenario: the district's plan does not ask for it, so its wedge is zero.

* additions (``cumulative_addition`` targets: retrofitted area, PV capacity, green space) are spread evenly
  over the target's years (an assumption, as in the lever docstrings);
* shares and rates (``at_least`` / ``full_coverage`` targets, in %) become level schedules at the
  deadline year (the period's years for a five-year-plan deadline, the plan's first year for one in force
  throughout);
* the ultra-low-energy share is 0 in the year before the earliest target period, so it ramps as the plan
  says; a target whose ``rule.uses`` is only ``residential`` applies to the residential segment, any other
  to every building segment;
* PUE: the target with a first year (``rule.applies_from`` or ``from YYYY``) is the new centres' limit, the
  other the existing centres'.

For the reference plan this gives the levers' documented defaults (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from carbonpeak.core.plan.model import Comparator, Plan, Target
from carbonpeak.core.projection.levers import LEVERS, Lever
from carbonpeak.core.units import convert


@dataclass(frozen=True)
class PlannedLever:
    """A lever with the plan's values, and the clause and targets of the plan it comes from."""

    lever: Lever
    clause: str
    targets: tuple[str, ...]

    def describe(self) -> dict[str, Any]:
        """:meth:`Lever.describe` with this plan's clause and target codes."""
        out = self.lever.describe()
        out["clause"] = self.clause
        out["targets"] = list(self.targets)
        out["sources"] = [
            s | {"note": f"{', '.join(self.targets)} ({self.clause})"} if s["evidence"] == "plan" else s
            for s in out["sources"]
        ]
        return out


class _Targets:
    """The plan's quantitative targets by indicator, with their years in the plan's horizon."""

    def __init__(self, plan: Plan) -> None:
        self.horizon = (plan.plan.horizon.start, plan.plan.horizon.end)
        self.by_indicator: dict[str, list[Target]] = {}
        for _, target in plan.all_targets():
            if target.quantitative and target.value is not None:
                self.by_indicator.setdefault(target.indicator, []).append(target)

    def of(self, indicator: str) -> list[Target]:
        return self.by_indicator.get(indicator, [])

    def years(self, target: Target) -> tuple[int, int]:
        return target.deadline.years(self.horizon)

    def at(self, target: Target) -> int:
        """The year a level target's value is reached: its deadline year, else its first year."""
        first, last = self.years(target)
        return last if target.deadline.kind in ("year", "period") else first


def _first_year(target: Target) -> int | None:
    if target.rule is not None and target.rule.applies_from is not None:
        return target.rule.applies_from
    return int(target.deadline.text.split()[1]) if target.deadline.kind == "from" else None


def _new_centres(target: Target) -> bool:
    """Whether a PUE target is the new centres' limit: ``rule.categories`` says ``new`` or ``existing``;
    without either, the target with a first year is the new centres'."""
    categories = target.rule.categories if target.rule is not None else []
    if "new" in categories or "existing" in categories:
        return "new" in categories
    return _first_year(target) is not None


def _spread(t: _Targets, target: Target, unit: str) -> dict[int, float]:
    assert target.value is not None
    first, last = t.years(target)
    total = convert(target.value, target.unit, unit)
    return {year: total / (last - first + 1) for year in range(first, last + 1)}


def _additions(
    indicator: str, field: str, unit: str
) -> Callable[[_Targets], tuple[dict[str, Any], list[Target]]]:
    def build(t: _Targets) -> tuple[dict[str, Any], list[Target]]:
        targets = [x for x in t.of(indicator) if x.comparator is Comparator.CUMULATIVE_ADDITION]
        if not targets:
            return {}, []
        return {field: _spread(t, targets[0], unit)}, targets[:1]

    return build


def _rate(indicator: str, field: str) -> Callable[[_Targets], tuple[dict[str, Any], list[Target]]]:
    def build(t: _Targets) -> tuple[dict[str, Any], list[Target]]:
        targets = [
            x for x in t.of(indicator) if x.unit == "%" and x.comparator is not Comparator.REDUCTION_PCT
        ]
        if not targets:
            return {}, []
        schedule: dict[int, float] = {}
        for target in targets:
            assert target.value is not None
            year = t.at(target)
            schedule[year] = max(schedule.get(year, 0.0), target.value / 100.0)
        return {field: schedule}, targets

    return build


def _pue(t: _Targets) -> tuple[dict[str, Any], list[Target]]:
    params: dict[str, Any] = {}
    used = []
    for target in t.of("data_centre_pue"):
        if _new_centres(target):
            params["new_pue"] = target.value
        else:
            params["existing_pue"] = {t.at(target): target.value}
        used.append(target)
    return params, used


def _ultra_low(t: _Targets) -> tuple[dict[str, Any], list[Target]]:
    targets = [x for x in t.of("ultra_low_energy_share_new_buildings") if x.unit == "%"]
    if not targets:
        return {}, []
    start = min(t.years(x)[0] if x.deadline.kind == "period" else t.at(x) for x in targets)
    shares: dict[str, dict[int, float]] = {}
    for target in sorted(targets, key=lambda x: t.at(x)):
        assert target.value is not None
        residential_only = target.rule is not None and list(target.rule.uses) == ["residential"]
        segments = ("residential",) if residential_only else ("residential", "public_buildings")
        share = target.value / 100.0
        first, last = t.years(target)
        points = {first: share, last: share} if target.deadline.kind == "period" else {last: share}
        for segment in segments:
            schedule = shares.setdefault(segment, {start - 1: 0.0})
            for year, value in points.items():
                if year in schedule and schedule[year] > value:
                    continue
                if year in schedule and value > schedule[year]:
                    # a higher share from the same year on: the period's share holds until the year before
                    previous = schedule[year]
                    schedule[year - 1] = max(schedule.get(year - 1, 0.0), previous)
                schedule[year] = value
    return {"share_by_segment": {s: dict(sorted(v.items())) for s, v in shares.items()}}, targets


BUILDERS: dict[str, Callable[[_Targets], tuple[dict[str, Any], list[Target]]]] = {
    "public_building_retrofit": _additions("public_building_retrofit_area", "area_m2", "m2"),
    "ultra_low_energy_buildings": _ultra_low,
    "data_centre_pue": _pue,
    "nev_share": _rate("nev_share_new_vehicles", "new_share"),
    "renewable_substitution": _rate("renewable_substitution_rate_new_buildings", "rate"),
    "rooftop_pv": _additions("pv_capacity_added", "added_mw", "MW"),
    "waste_recovery": _rate("household_waste_recovery_rate", "rate"),
    "green_space_sink": _additions("green_space_added", "added_ha", "ha"),
}
"""Lever code -> the plan-derived parameters and the targets they come from."""


def levers_from_plan(plan: Plan) -> tuple[PlannedLever, ...]:
    """The plan scenario's levers for ``plan``, in lever order; levers the plan does not ask for are left out.

    Parameters
    ----------
    plan : Plan
        The district's plan.

    Returns
    -------
    tuple of PlannedLever
        Each lever at the plan's values (the lever's assumptions for the rest), with its clause and targets.
    """
    targets = _Targets(plan)
    out = []
    for code, cls in LEVERS.items():
        params, used = BUILDERS[code](targets)
        if not used:
            continue
        lever = replace(cls(), **params)  # type: ignore[type-var]
        clauses = sorted({t.clause or "" for t in used} - {""})
        out.append(PlannedLever(lever, " ".join(clauses), tuple(t.code for t in used)))
    return tuple(out)
