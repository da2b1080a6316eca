"""Indicator cards of the map page: each spatial and fleet target's latest computed value against it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carbonpeak.core.plan.model import Comparator
from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.features import LayerKind
from carbonpeak.core.spatial.life_circle import life_circle_coverage
from carbonpeak.web.plan.selectors import current_plan, current_targets
from carbonpeak.web.spatial import selectors
from carbonpeak.web.spatial.indicators import INDICATORS
from carbonpeak.web.tracking.registry import PROVIDERS, values_for_target


@dataclass(frozen=True)
class Card:
    """One target: its label, the computed value (latest, or the sum for additions) and the target."""

    code: str
    label: str
    scope: str
    value: float | None
    target: float | None
    unit: str
    year: int | None
    deadline: str
    synthetic: bool
    met: bool | None

    @property
    def percent(self) -> float:
        """Value over target, capped at 100 [%]."""
        if self.value is None or not self.target:
            return 0.0
        return max(0.0, min(100.0, 100.0 * self.value / self.target))


def indicator_cards() -> list[Card]:
    """One card per target of the spatial and fleet indicators of the current plan."""
    plan = current_plan()
    if plan is None:
        return []
    zh = (get_language() or "zh-hans").startswith("zh")
    names = {i.code: (i.name_zh if zh else i.name_en) for i in plan.indicators}
    cards = []
    for code in INDICATORS:
        values = PROVIDERS[code]()
        for target in current_targets(code):
            mine = sorted(values_for_target(values, target.code), key=lambda v: v.year)
            cumulative = target.comparator is Comparator.CUMULATIVE_ADDITION
            value = sum(v.value for v in mine) if cumulative and mine else (mine[-1].value if mine else None)
            met = None if value is None or target.value is None else value >= target.value
            cards.append(
                Card(
                    target.code,
                    names.get(code, code),
                    target.scope if zh else (target.scope_en or target.scope),
                    value,
                    target.value,
                    target.unit,
                    mine[-1].year if mine else None,
                    target.deadline.text,
                    any(v.synthetic for v in mine),
                    met,
                )
            )
    return cards


@dataclass(frozen=True)
class LifeCircleCard:
    """The 15-minute life circle: computed share, or why it is not computed."""

    share_pct: float | None
    minutes: float | None
    reason: str


def life_circle_card() -> LifeCircleCard | None:
    """Share of residential land within the plan's walk of metro stations over the stored path network."""
    targets = [
        t for t in current_targets("qualitative_milestones_green_transport") if t.rule and t.rule.threshold
    ]
    if not targets:
        return None
    rule = targets[0].rule
    assert rule is not None
    minutes = rule.threshold
    proj = selectors.projector()
    paths = selectors.core_features(LayerKind.PATHS, proj) if proj else []
    if not paths:
        return LifeCircleCard(None, minutes, _("No walking path network has been imported."))
    if rule.walk_speed_m_per_min is None or rule.access_m is None:
        return LifeCircleCard(
            None, minutes, _("The plan gives no walking speed and access distance for the life circle.")
        )
    try:
        result = life_circle_coverage(
            selectors.core_features(LayerKind.RAIL_STATIONS, proj) if proj else [],
            selectors.core_features(LayerKind.RESIDENTIAL, proj) if proj else [],
            paths=paths,
            minutes=float(minutes or 0),
            walk_speed_m_per_min=rule.walk_speed_m_per_min,
            access_m=rule.access_m,
        )
    except SpatialInputError as exc:
        return LifeCircleCard(None, minutes, str(exc))
    share = None if result.coverage is None else 100 * result.coverage
    return LifeCircleCard(share, minutes, "")
