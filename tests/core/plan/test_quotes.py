"""Every plan's quantitative targets state their value and unit in their quote (hand-made examples)."""

from __future__ import annotations

import pytest

from carbonpeak.core.plan import Target
from carbonpeak.core.plan.quotes import quote_states_value, stated_quantities


def target(value: float | None, unit: str, quote: str, comparator: str = "at_least") -> Target:
    return Target.model_validate(
        {
            "code": "t",
            "indicator": "i",
            "comparator": comparator,
            "value": value,
            "unit": unit,
            "deadline": 2025,
            "quote": quote,
        }
    )


def test_numbers_are_read_with_their_multiplier_and_unit() -> None:
    assert stated_quantities("新增光伏装机容量1.5万千瓦,建设充电桩650个") == [(15_000.0, "kW"), (650.0, "个")]
    assert stated_quantities("至少使用一种可再生能源") == [(1.0, "种")]
    assert stated_quantities("PUE不高于1.3") == [(1.3, None)]


@pytest.mark.parametrize(
    ("value", "unit", "quote"),
    [
        (15_000, "kW", "新增光伏装机容量1.5万千瓦"),
        (1.5, "万kW", "新增光伏装机容量1.5万千瓦"),
        (15, "MW", "新增光伏装机容量1.5万千瓦"),
        (360, "万m2", "累计完成既有公共建筑节能改造360万平方米以上"),
        (13.5, "%", "单位生产总值能源消耗比2020年下降13.5%"),
        (1.3, "dimensionless", "新建数据中心PUE不高于1.3"),
        (1, "种", "至少使用一种可再生能源"),
        (4.0, "m2/人", "人均公园绿地面积不低于4.0平方米"),
    ],
)
def test_a_stated_value_in_any_unit_passes(value: float, unit: str, quote: str) -> None:
    assert quote_states_value(target(value, unit, quote))


@pytest.mark.parametrize(
    ("value", "unit", "quote"),
    [
        (1_500, "kW", "新增光伏装机容量1.5万千瓦"),  # off by the 万
        (2.9, "kW", "新增光伏装机容量2.9万千瓦"),  # the unit was forgotten
        (13.0, "%", "单位生产总值能源消耗比2020年下降13.5%"),
        (650, "个", "新建公共充电桩600个"),
    ],
)
def test_a_value_the_quote_does_not_state_fails(value: float, unit: str, quote: str) -> None:
    assert not quote_states_value(target(value, unit, quote))


def test_full_coverage_is_100_percent_unless_the_quote_states_another_share() -> None:
    assert quote_states_value(target(100, "%", "新建停车场100%配备充电设施", "full_coverage"))
    assert quote_states_value(target(100, "%", "新建公共机构办公建筑应达到绿色建筑二星级", "full_coverage"))
    assert not quote_states_value(target(100, "%", "新建停车场95%配备充电设施", "full_coverage"))


def test_parse_plan_names_the_target_whose_quote_disagrees() -> None:
    from carbonpeak.core.plan import parse_plan
    from carbonpeak.io.plan import read_plan_file
    from tests.fixtures.districts.qinghe.reference import PLAN

    document = read_plan_file(PLAN).plan.model_dump(mode="json")
    document["actions"][0]["tasks"][0]["targets"][2]["value"] = 1500  # the quote says 1.5万千瓦 (15000 kW)
    plan, issues = parse_plan(document)
    assert plan is None
    assert [str(i) for i in issues] == [
        "actions[0].tasks[0].targets[2].value: 1500 kW is not what the quote states"
    ]
