"""Reads: projects, their life-cycle variants, the plan's new-building targets and the district summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from carbonpeak.core.lca import LcaResult, VariantComparison, compare_variants
from carbonpeak.core.newbuildings import (
    GREEN_RATINGS,
    Project,
    Scope,
    YearValue,
    meets_ultra_low,
    min_renewable_types_by_year,
    rating_at_least,
    share_by_year,
)
from carbonpeak.core.plan.model import Target
from carbonpeak.web.newbuildings.models import RATINGS, LcaVariant, NewBuildingProject
from carbonpeak.web.plan.selectors import current_plan, current_targets

INDICATORS = (
    "green_building_compliance_rate",
    "green_building_star_compliance",
    "ultra_low_energy_share_new_buildings",
    "renewable_types_per_new_building",
)
"""The plan indicators this module computes."""


def energy_factor_setting() -> tuple[str, int]:
    """Region (the current plan's) and year whose energy factors life-cycle energy lines use."""
    plan = current_plan()
    return (plan.plan.region if plan else "CN"), date.today().year


def projects() -> list[NewBuildingProject]:
    """Every project, by id."""
    return list(NewBuildingProject.objects.select_related("building").order_by("code"))


def project_get(code: str) -> NewBuildingProject | None:
    """One project by id."""
    return NewBuildingProject.objects.select_related("building").filter(code=code).first()


def variants(project: NewBuildingProject) -> list[tuple[LcaVariant, LcaResult]]:
    """A project's life-cycle variants with their stored results, by name."""
    return [(v, LcaResult.from_dict(v.result)) for v in project.lca_variants.order_by("name")]


def variant_comparison(project: NewBuildingProject, a: str, b: str) -> VariantComparison | None:
    """Variants ``a`` and ``b`` of a project compared (``b − a``), or ``None`` when one is missing."""
    found = {v.name: r for v, r in variants(project)}
    if a not in found or b not in found:
        return None
    return compare_variants(found[a], found[b])


def records() -> list[Project]:
    """The registry as core records for the plan's rules."""
    return [
        Project(
            code=p.code,
            name=p.name,
            use=p.use,
            sub_area=p.sub_area,
            floor_area_m2=p.floor_area_m2,
            completion=p.completion_date,
            green_rating=p.green_rating,
            energy_standard=p.energy_standard,
            renewables=tuple(p.renewables),
            large_public=p.large_public,
            synthetic=p.synthetic,
        )
        for p in NewBuildingProject.objects.order_by("code")
    ]


def scope_of(target: Target) -> Scope:
    """A target's scope and period: its ``rule:`` and its deadline within the plan's horizon."""
    plan = current_plan()
    horizon = (plan.plan.horizon.start, plan.plan.horizon.end) if plan else (1990, 2100)
    first, last = target.deadline.years(horizon)
    rule = target.rule
    if rule is not None and rule.applies_from is not None:
        first = max(first, rule.applies_from)
    return Scope(
        first_year=first,
        last_year=last,
        uses=tuple(rule.uses) if rule else (),
        sub_areas=tuple(rule.sub_areas) if rule else (),
        large_public_only=rule.large_public_only if rule else False,
        min_floor_area_m2=rule.min_floor_area_m2 if rule else None,
    )


@dataclass
class TargetValues:
    """One of the module's targets with its values by year and the projects that fail it."""

    indicator: str
    target: Target
    values: list[YearValue]
    problem: str = ""

    @property
    def latest(self) -> YearValue | None:
        """The latest value."""
        return self.values[-1] if self.values else None


def _baseline_year(target: Target, scope: Scope) -> int | None:
    """For a five-year-plan period target, the year before the period (the trajectory's start)."""
    return scope.first_year - 1 if target.deadline.kind == "period" else None


def target_values(projects_: list[Project] | None = None) -> list[TargetValues]:
    """Every target of the module's indicators, computed over the registry (the district page, the
    tracking providers)."""
    registry = records() if projects_ is None else projects_
    out: list[TargetValues] = []
    for indicator in INDICATORS:
        for target in current_targets(indicator):
            scope = scope_of(target)
            rule = target.rule
            if indicator == "renewable_types_per_new_building":
                minimum = target.value if target.value is not None else 1.0
                out.append(
                    TargetValues(indicator, target, min_renewable_types_by_year(registry, scope, minimum))
                )
                continue
            if indicator == "ultra_low_energy_share_new_buildings":
                values = share_by_year(
                    registry,
                    scope,
                    lambda p: meets_ultra_low(p.energy_standard),
                    by_area=True,
                    baseline_year=_baseline_year(target, scope),
                )
                out.append(TargetValues(indicator, target, values))
                continue
            minimum_rating = rule.min_rating if rule else ""
            if minimum_rating not in GREEN_RATINGS:
                out.append(
                    TargetValues(indicator, target, [], f"rule.min_rating '{minimum_rating}' is not set")
                )
                continue
            by_area = indicator == "green_building_compliance_rate"

            def passes(p: Project, m: str = minimum_rating) -> bool:
                return rating_at_least(p.green_rating, m)

            out.append(
                TargetValues(indicator, target, share_by_year(registry, scope, passes, by_area=by_area))
            )
    return out


@dataclass
class DistrictSummary:
    """The district page: ratings by completion year, the targets and the failing projects."""

    years: list[int]
    ratings: list[dict[str, Any]]
    targets: list[TargetValues]
    failing: dict[str, list[NewBuildingProject]] = field(default_factory=dict)
    synthetic: bool = False
    total: int = 0


def district_summary() -> DistrictSummary:
    """Ratings by year (count of projects completed per year and rating), the targets' latest values and
    the projects failing each."""
    registry = records()
    years = sorted({p.completion.year for p in registry if p.completion})
    labels = dict(RATINGS)
    ratings = [
        {
            "code": code,
            "label": str(labels[code]),
            "counts": [
                sum(1 for p in registry if p.completion and p.completion.year == y and p.green_rating == code)
                for y in years
            ],
        }
        for code in GREEN_RATINGS
    ]
    targets = target_values(registry)
    by_code = {p.code: p for p in NewBuildingProject.objects.all()}
    failing = {
        t.target.code: [by_code[c] for c in (t.latest.failing if t.latest else ()) if c in by_code]
        for t in targets
    }
    return DistrictSummary(
        years=years,
        ratings=ratings,
        targets=targets,
        failing=failing,
        synthetic=any(p.synthetic for p in registry),
        total=len(registry),
    )


def stage_labels() -> dict[str, str]:
    """Translated stage labels."""
    return {
        "materials": _("Materials production"),
        "transport": _("Transport"),
        "construction": _("Construction"),
        "operation": _("Operation"),
        "demolition": _("Demolition"),
    }
