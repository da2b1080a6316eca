"""Streets mapped to the plan's street offices; who sees which street."""

from __future__ import annotations

from pathlib import Path

import yaml

from carbonpeak.core.plan import parse_plan
from carbonpeak.core.plan.model import Plan
from carbonpeak.core.waste.streets import district_units, street_units, visible_streets

PLAN_FILE = Path(__file__).parents[3] / "src" / "carbonpeak" / "data" / "plans" / "yangpu-2022.yaml"


def _plan() -> Plan:
    plan, issues = parse_plan(yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8")))
    assert plan is not None, issues
    return plan


def test_streets_match_their_office_or_the_collective() -> None:
    plan = _plan()
    mapping = street_units(["五角场街道", "江浦路", "Wujiaochang", "合成示例街道"], plan.units)
    assert mapping["五角场街道"].unit_code == "wujiaochang_street_office"
    assert mapping["五角场街道"].matched
    assert mapping["江浦路"].unit_code == "jiangpulu_street_office"
    assert mapping["Wujiaochang"].unit_code == "wujiaochang_street_office"
    assert mapping["合成示例街道"].unit_code == "all_street_offices"
    assert not mapping["合成示例街道"].matched


def test_district_units_of_the_waste_targets_exclude_street_offices() -> None:
    units = district_units(_plan(), ["household_waste_recovery_rate", "waste_sorting_compliance_rate"])
    assert "landscaping_city_appearance_bureau" in units
    assert "all_street_offices" not in units


def test_visible_streets() -> None:
    mapping = street_units(["五角场街道", "江浦路街道", "其他街道"], _plan().units)
    assert visible_streets(mapping, everything=False, units=["wujiaochang_street_office"]) == ("五角场街道",)
    assert visible_streets(mapping, everything=False, units=[]) == ()
    assert visible_streets(mapping, everything=False, units=["all_street_offices"]) == ("其他街道",)
    assert len(visible_streets(mapping, everything=True, units=[])) == 3
