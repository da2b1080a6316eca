"""The plan's new-building rules on hand-made projects (no database)."""

from datetime import date

import pytest

from carbonpeak.core.newbuildings import (
    Project,
    Scope,
    meets_ultra_low,
    min_renewable_types_by_year,
    rating_at_least,
    share_by_year,
)


def project(code, year, *, use="residential", area=1000.0, rating="none", standard="none", sources=()):
    return Project(code, code, use, "other", area, date(year, 6, 1), rating, standard, tuple(sources))


def test_rating_order_and_energy_standards():
    assert rating_at_least("three_star", "two_star")
    assert not rating_at_least("one_star", "two_star")
    assert not rating_at_least("unknown", "none")
    assert meets_ultra_low("near_zero")
    assert not meets_ultra_low("none")


def test_share_is_cumulative_over_the_period_with_a_baseline_year():
    projects = [
        project("A", 2025, standard="none"),
        project("B", 2026, area=3000, standard="ultra_low"),
        project("C", 2027, area=1000, standard="none"),
        project("D", 2027, use="industrial", standard="none"),  # out of scope
    ]
    scope = Scope(2026, 2030, uses=("residential",))
    values = share_by_year(
        projects, scope, lambda p: meets_ultra_low(p.energy_standard), by_area=True, baseline_year=2025
    )
    assert [(v.year, v.value, v.failing) for v in values] == [
        (2025, 0.0, ("A",)),
        (2026, 100.0, ()),
        (2027, pytest.approx(75.0), ("C",)),
    ]


def test_renewable_types_per_year():
    projects = [
        project("A", 2022, sources=("pv",)),
        project("B", 2022),
        project("C", 2023, sources=("pv", "pv")),
    ]
    values = min_renewable_types_by_year(projects, Scope(2022, 2035), 1)
    assert [(v.year, v.value, v.failing) for v in values] == [(2022, 0.0, ("B",)), (2023, 1.0, ())]
