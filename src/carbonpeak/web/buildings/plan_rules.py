"""The building rules' parameters, read from the current plan (never from code).

* the region, which selects the emission and coal factors;
* the energy-audit duty's floor-area threshold (the target whose ``rule.platform_rule`` is
  ``energy_audit_duty``, e.g. the reference plan's 一万平方米以上);
* the PUE limits of new and existing data centres (indicator ``data_centre_pue``: ``rule.categories``
  ``new``/``existing``, else the target with a first year, ``rule.applies_from``, is the new centres');
* the public-institution cuts and their baseline year (indicators ``pi_*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carbonpeak.web.plan.selectors import current_plan, current_region, current_targets, target_applies_from

AUDIT_DUTY = "energy_audit_duty"
"""``rule.platform_rule`` of the target that states the energy-audit duty."""

PUBLIC_INSTITUTION_INDICATORS = {
    "energy_per_m2": "pi_energy_per_floor_area",
    "energy_per_capita": "pi_energy_per_capita",
    "water_per_capita": "pi_water_per_capita",
    "carbon_per_m2": "pi_carbon_per_floor_area",
}
"""The public-institution ratio (core name) → the plan's indicator code."""


@dataclass(frozen=True)
class BuildingRules:
    """What the building metrics need from the plan; ``None`` where the plan states nothing."""

    region: str
    audit_min_floor_area_m2: float | None = None
    pue_new_limit: float | None = None
    pue_existing_limit: float | None = None
    pue_new_from: int | None = None
    """Data centres built from this year are new [a]."""
    pi_baseline_year: int | None = None
    pi_cuts_pct: dict[str, float] = field(default_factory=dict)

    def pue_limit(self, year_built: int | None) -> float | None:
        """The PUE limit of a data centre built in ``year_built`` (new from :attr:`pue_new_from`)."""
        new = self.pue_new_from is not None and year_built is not None and year_built >= self.pue_new_from
        return self.pue_new_limit if new else self.pue_existing_limit


def _audit_area() -> float | None:
    plan = current_plan()
    if plan is None:
        return None
    for _, target in plan.all_targets():
        if target.rule is not None and target.rule.platform_rule == AUDIT_DUTY:
            return target.rule.min_floor_area_m2
    return None


def building_rules() -> BuildingRules:
    """The current plan's building rules.

    Raises
    ------
    carbonpeak.web.plan.selectors.NoPlanError
        When no plan is loaded (the region is unknown).
    """
    region = current_region()
    new_limit = existing_limit = None
    new_from = None
    for target in current_targets("data_centre_pue"):
        since = target_applies_from(target)
        categories = target.rule.categories if target.rule is not None else []
        new = "new" in categories if ("new" in categories or "existing" in categories) else since is not None
        if new:
            new_limit, new_from = target.value, since
        else:
            existing_limit = target.value
    cuts: dict[str, float] = {}
    baseline = None
    for ratio, indicator in PUBLIC_INSTITUTION_INDICATORS.items():
        for target in current_targets(indicator):
            if target.value is not None and target.baseline_year is not None:
                cuts[ratio] = target.value
                baseline = baseline or target.baseline_year
                break
    return BuildingRules(region, _audit_area(), new_limit, existing_limit, new_from, baseline, cuts)
