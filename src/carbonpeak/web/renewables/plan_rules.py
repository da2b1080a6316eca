"""The PV and charging rules' parameters, read from the current plan (never from code).

Each rule of :mod:`carbonpeak.core.renewables.rules` takes its uses, years, periods and thresholds as
arguments. This module reads them from the current plan's targets (their value, unit, deadline and
``rule`` fields; see docs/plan-format.md, "Rule parameters") so that another district's plan drives its
own rules and progress bars. A rule whose target the plan does not have is ``None``: the page leaves its
bar out and the indicator has no computed value.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbonpeak.core.plan import Target
from carbonpeak.core.renewables import rules
from carbonpeak.core.units import convert
from carbonpeak.web.plan.selectors import current_targets, target_applies_from, target_period


@dataclass(frozen=True)
class PlannedTarget:
    """One of the plan's targets with the period it counts additions or new items in."""

    target: Target
    period: rules.Period

    @property
    def code(self) -> str:
        """The target's code."""
        return self.target.code

    def value_in(self, unit: str) -> float | None:
        """The target's value converted to ``unit`` (``None`` when the target states none)."""
        if self.target.value is None:
            return None
        return convert(self.target.value, self.target.unit or unit, unit)


def _first(indicator: str) -> PlannedTarget | None:
    """The first target of ``indicator`` in the current plan, with its period."""
    targets = current_targets(indicator)
    return PlannedTarget(targets[0], target_period(targets[0])) if targets else None


def _all(indicator: str) -> list[PlannedTarget]:
    return [PlannedTarget(t, target_period(t)) for t in current_targets(indicator)]


def roof_area_rules() -> tuple[rules.RoofAreaRule, ...]:
    """The new-building roof-area rules (indicator ``pv_roof_area_share_new_buildings``), one per target
    with a value, uses and a first year."""
    out = []
    for target in current_targets("pv_roof_area_share_new_buildings"):
        since = target_applies_from(target)
        if target.value is None or since is None or target.rule is None or not target.rule.uses:
            continue
        out.append(rules.RoofAreaRule(target.code, tuple(target.rule.uses), since, target.value))
    return tuple(out)


def coverage_targets() -> list[PlannedTarget]:
    """The roof-coverage targets (indicator ``pv_roof_coverage``), in plan order."""
    return _all("pv_roof_coverage")


def coverage_scope() -> rules.CoverageScope | None:
    """Which buildings the roof-coverage rule counts (the first coverage target's ``rule``)."""
    targets = current_targets("pv_roof_coverage")
    if not targets or targets[0].rule is None:
        return None
    rule = targets[0].rule
    return rules.CoverageScope(tuple(rule.uses), "public_institution" in rule.categories)


def capacity_target() -> PlannedTarget | None:
    """The new-PV-capacity target (indicator ``pv_capacity_added``)."""
    return _first("pv_capacity_added")


def charger_target() -> PlannedTarget | None:
    """The new public and dedicated chargers target (indicator ``public_dedicated_chargers_added``)."""
    return _first("public_dedicated_chargers_added")


def taxi_target() -> PlannedTarget | None:
    """The taxi demonstration stations target (indicator ``taxi_demo_stations_added``)."""
    return _first("taxi_demo_stations_added")


def parking_target() -> PlannedTarget | None:
    """New parking lots equipped with chargers (indicator ``charger_equipped_share_new_parking``)."""
    return _first("charger_equipped_share_new_parking")


def ready_target() -> PlannedTarget | None:
    """New residential communities ready for chargers (indicator ``charging_ready_share_new_residential``)."""
    return _first("charging_ready_share_new_residential")


def office_rule() -> tuple[rules.OfficeChargerRule, rules.Period] | None:
    """The new-office charger rule: the space share of ``charger_space_share_new_offices`` and the fast
    share of ``fast_charger_share``, over the site kinds of the space-share target's ``rule.categories``."""
    space, fast = _first("charger_space_share_new_offices"), _first("fast_charger_share")
    if space is None or space.target.value is None or space.target.rule is None:
        return None
    kinds = tuple(space.target.rule.categories)
    if not kinds:
        return None
    fast_pct = fast.target.value if fast is not None and fast.target.value is not None else 0.0
    return rules.OfficeChargerRule(space.code, kinds, space.target.value, fast_pct), space.period


def fast_share_target() -> PlannedTarget | None:
    """The fast-charger share target (indicator ``fast_charger_share``)."""
    return _first("fast_charger_share")


def substitution_targets() -> list[PlannedTarget]:
    """The renewable substitution rate targets of new buildings, in plan order."""
    return _all("renewable_substitution_rate_new_buildings")


def substitution_new_from() -> int | None:
    """The first year of construction of a new building for the substitution rate (its targets' rule)."""
    targets = current_targets("renewable_substitution_rate_new_buildings")
    years = [y for t in targets if (y := target_applies_from(t)) is not None]
    return min(years) if years else None
