"""New-building rules of a carbon-peak plan: green-building ratings, energy standards, renewables.

Pure functions over :class:`Project` records. A rule's scope (uses, sub-areas, the lowest rating, large
public buildings only, the first year) comes from the plan's target ``rule:`` (:class:`Scope`), never from
code. Shares are cumulative over the target's period: the value for year ``Y`` covers the projects
completed from the period's first year through ``Y``.

References
----------
.. [1] GB/T 50378-2019 绿色建筑评价标准: ratings 基本级, 一星级, 二星级, 三星级.
.. [2] GB/T 51350-2019 近零能耗建筑技术标准: ultra-low, near-zero and zero energy buildings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

GREEN_RATINGS = ("none", "basic", "one_star", "two_star", "three_star")
"""Green-building ratings, lowest first (GB/T 50378-2019)."""
ENERGY_STANDARDS = ("none", "ultra_low", "near_zero", "zero_carbon")
"""Energy standards, weakest first: a near-zero or zero-carbon building also meets the ultra-low standard."""


@dataclass(frozen=True, slots=True)
class Project:
    """The fields of a new-building project the plan's rules read."""

    code: str
    name: str
    use: str
    sub_area: str
    floor_area_m2: float
    completion: date | None
    green_rating: str = "none"
    energy_standard: str = "none"
    renewables: tuple[str, ...] = ()
    large_public: bool = False
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class Scope:
    """Which projects a target covers (the target's ``rule:`` in the plan file)."""

    first_year: int
    last_year: int
    uses: tuple[str, ...] = ()
    sub_areas: tuple[str, ...] = ()
    large_public_only: bool = False
    min_floor_area_m2: float | None = None

    def covers(self, project: Project, through: int) -> bool:
        """Whether ``project`` is in scope, completed in ``first_year`` … ``through``."""
        if project.completion is None or not self.first_year <= project.completion.year <= through:
            return False
        if self.uses and project.use not in self.uses:
            return False
        if self.sub_areas and project.sub_area not in self.sub_areas:
            return False
        if self.large_public_only and not project.large_public:
            return False
        return self.min_floor_area_m2 is None or project.floor_area_m2 >= self.min_floor_area_m2


@dataclass(frozen=True, slots=True)
class YearValue:
    """An indicator value for a year, with the projects in scope that fail the rule."""

    year: int
    value: float
    projects: int
    failing: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dictionary."""
        return {
            "year": self.year,
            "value": self.value,
            "projects": self.projects,
            "failing": list(self.failing),
        }


def rating_at_least(rating: str, minimum: str) -> bool:
    """Whether ``rating`` is ``minimum`` or better (unknown ratings never are)."""
    if rating not in GREEN_RATINGS or minimum not in GREEN_RATINGS:
        return False
    return GREEN_RATINGS.index(rating) >= GREEN_RATINGS.index(minimum)


def meets_ultra_low(standard: str) -> bool:
    """Whether a project is built to the ultra-low-energy standard or a stricter one."""
    return standard in ENERGY_STANDARDS and ENERGY_STANDARDS.index(standard) >= 1


def _years(projects: Sequence[Project], scope: Scope) -> list[int]:
    done = [p.completion.year for p in projects if p.completion is not None]
    if not done:
        return []
    last = min(max(done), scope.last_year)
    return list(range(scope.first_year, last + 1))


def share_by_year(
    projects: Sequence[Project],
    scope: Scope,
    passes: Callable[[Project], bool],
    *,
    by_area: bool,
    baseline_year: int | None = None,
) -> list[YearValue]:
    """Share [%] of the projects in scope (cumulative over the period) for which ``passes(project)``.

    Parameters
    ----------
    projects : sequence of Project
        The registry.
    scope : Scope
        The target's scope and period.
    passes : callable
        ``Project -> bool``.
    by_area : bool
        Weight by floor area (m2) instead of counting projects.
    baseline_year : int, optional
        Also give the share among the projects completed in this year (the year before a five-year-plan
        period: the start of the status rules' trajectory).

    Returns
    -------
    list of YearValue
        One value per year from the period's first year to the latest completion, for years with a
        project in scope.
    """
    out = []
    if baseline_year is not None:
        before = replace(scope, first_year=baseline_year, last_year=baseline_year)
        group = [p for p in projects if before.covers(p, baseline_year)]
        if group:
            out += share_by_year(group, before, passes, by_area=by_area)
    for year in _years(projects, scope):
        group = [p for p in projects if scope.covers(p, year)]
        if not group:
            continue
        weight = (lambda p: p.floor_area_m2) if by_area else (lambda p: 1.0)
        total = sum(weight(p) for p in group)
        ok = sum(weight(p) for p in group if passes(p))
        failing = tuple(p.code for p in group if not passes(p))
        out.append(YearValue(year, 100.0 * ok / total, len(group), failing))
    return out


def min_renewable_types_by_year(projects: Sequence[Project], scope: Scope, minimum: float) -> list[YearValue]:
    """The fewest renewable source types [种] used by a project completed in each year in scope.

    ``failing`` lists the projects of the year that use fewer than ``minimum`` types.
    """
    out = []
    for year in _years(projects, scope):
        group = [
            p
            for p in projects
            if scope.covers(p, year) and p.completion is not None and p.completion.year == year
        ]
        if group:
            fewest = min(len(set(p.renewables)) for p in group)
            failing = tuple(p.code for p in group if len(set(p.renewables)) < minimum)
            out.append(YearValue(year, float(fewest), len(group), failing))
    return out
