"""Plan schema and cross-checks: every error names the path inside the file."""

import copy
from pathlib import Path

import pytest
import yaml

from carbonpeak.core.plan import Deadline, parse_plan
from carbonpeak.core.plan.model import VALUED_COMPARATORS
from carbonpeak.core.plan.validate import plan_document

FIXTURE = Path(__file__).parents[2] / "fixtures" / "plans"


@pytest.fixture
def data():
    return yaml.safe_load((FIXTURE / "example-district.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def text():
    return (FIXTURE / "example-district.zh.txt").read_text(encoding="utf-8")


def issues(data, text=None):
    plan, found = parse_plan(data, source_text=text)
    assert plan is None
    return [str(i) for i in found]


def test_a_second_district_loads(data, text):
    plan, found = parse_plan(data, source_text=text)
    assert found == []
    assert plan.plan.synthetic is True
    assert [t.clause for _, t in plan.all_tasks()] == ["三(一)1", "三(一)2", "三(二)1", "三(二)2", "四.1"]


def test_lead_unit_is_the_first_unit_named(data):
    plan, _ = parse_plan(data)
    task = plan.actions[0].tasks[0]
    assert task.lead_unit == "drc"
    assert task.co_units == ["government_affairs", "all_streets"]
    target = task.targets[1]
    assert (target.clause, target.lead_unit, target.co_units) == (
        "三(一)1",
        "drc",
        ["government_affairs", "all_streets"],
    )
    goal_target = plan.goals[0].targets[0]
    assert (goal_target.clause, goal_target.lead_unit, goal_target.co_units) == ("二", None, [])


def test_export_round_trips(data, text):
    plan, _ = parse_plan(data, source_text=text)
    document = plan_document(plan)
    again, found = parse_plan(copy.deepcopy(document), source_text=text)
    assert found == []
    assert again == plan
    assert plan_document(again) == document
    target = document["actions"][0]["tasks"][0]["targets"][0]
    assert target["deadline"] == "十四五"
    assert document["goals"][0]["targets"][0]["deadline"] == 2025


def test_bad_deadline_names_its_path(data):
    data["actions"][1]["tasks"][0]["targets"][0]["deadline"] = "next year"
    (message,) = issues(data)
    assert message.startswith("actions[1].tasks[0].targets[0].deadline: 'next year' is not a deadline")


def test_missing_and_unknown_fields(data):
    del data["actions"][0]["tasks"][1]["title_zh"]
    data["units"][0]["phone"] = "021"
    assert issues(data) == [
        "units[0].phone: is not a field of the plan format",
        "actions[0].tasks[1].title_zh: is required",
    ]


def test_unknown_unit_and_indicator(data):
    data["actions"][0]["tasks"][1]["units"] = ["transport", "port_authority"]
    data["actions"][0]["tasks"][0]["targets"][0]["indicator"] = "pv_capacity"
    assert issues(data) == [
        "actions[0].tasks[0].targets[0].indicator: unknown indicator 'pv_capacity'",
        "actions[0].tasks[1].units[1]: unknown unit 'port_authority'",
    ]


def test_percentage_out_of_range(data):
    data["actions"][0]["tasks"][0]["targets"][1]["value"] = 150
    assert issues(data) == ["actions[0].tasks[0].targets[1].value: 150% is out of range (0-100)"]


def test_deadline_outside_the_horizon(data):
    data["goals"][0]["targets"][0]["deadline"] = 2035
    data["actions"][1]["tasks"][0]["targets"][0]["deadline"] = "十六五"
    assert issues(data) == [
        "goals[0].targets[0].deadline: 2035 (2021-2035) is outside the plan horizon 2021-2030",
        "actions[1].tasks[0].targets[0].deadline: 十六五 (2031-2035) is outside the plan horizon 2021-2030",
    ]


def test_comparator_rules(data):
    targets = data["actions"][0]["tasks"][0]["targets"]
    targets[0]["value"] = None  # cumulative addition without a value
    targets[1]["unit"] = "tonne oil"
    data["actions"][1]["tasks"][0]["targets"][1]["value"] = 3  # qualitative with a value
    data["goals"][0]["targets"][0]["baseline_year"] = None  # reduction without a baseline
    data["actions"][0]["tasks"][1]["targets"][0]["value"] = 90  # full coverage that is not 100 %
    assert issues(data) == [
        "goals[0].targets[0].baseline_year: a reduction_pct target needs the baseline year",
        "actions[0].tasks[0].targets[0].value: a cumulative_addition target needs a value (or a value_note "
        "saying why not)",
        "actions[0].tasks[0].targets[1].unit: 'tonne oil' is not a known unit",
        "actions[0].tasks[1].targets[0].value: a full_coverage target is 100 %",
        "actions[1].tasks[0].targets[1].value: a qualitative target has no value; remove it",
    ]


def test_unit_must_match_the_indicator(data):
    data["actions"][0]["tasks"][0]["targets"][0]["unit"] = "万m2"
    assert issues(data) == [
        "actions[0].tasks[0].targets[0].unit: '万m2' does not convert to the indicator's unit '万kW'"
    ]


def test_a_value_may_be_missing_only_with_a_note(data):
    target = data["goals"][0]["targets"][0]
    target["value"] = None
    assert issues(data) == [
        "goals[0].targets[0].value: a reduction_pct target needs a value (or a value_note saying why not)"
    ]
    target["value_note"] = "set by the municipal allocation"
    assert parse_plan(data)[1] == []


def test_duplicates(data):
    data["actions"][1]["tasks"][0]["targets"][0]["code"] = "carbon_peak"
    data["units"][1]["id"] = "drc"
    found = issues(data)
    assert "units[1].id: duplicate unit id 'drc' (first at units[0].id)" in found
    assert (
        "actions[1].tasks[0].targets[0].code: duplicate target code 'carbon_peak' "
        "(first at goals[0].targets[1].code)"
    ) in found


def test_derived_fields_must_agree_with_their_place(data):
    data["actions"][0]["tasks"][0]["targets"][0]["lead_unit"] = "government_affairs"
    data["actions"][0]["tasks"][0]["targets"][0]["clause"] = "三(一)1"  # agrees: accepted
    assert issues(data) == [
        "actions[0].tasks[0].targets[0].lead_unit: is 'government_affairs' "
        "but its place in the plan gives 'drc'"
    ]


def test_quotes_must_be_verbatim(data, text):
    data["actions"][0]["tasks"][1]["targets"][0]["quote"] = "新建停车场全部配备充电设施"
    assert issues(data, text) == [
        "actions[0].tasks[1].targets[0].quote: does not appear verbatim in the plan text"
    ]


def test_not_a_mapping():
    assert issues(["a list"]) == ["the file must hold a mapping with plan, units, indicators and actions"]


@pytest.mark.parametrize(
    ("written", "kind", "years"),
    [
        (2025, "year", (2021, 2025)),
        ("十四五", "period", (2021, 2025)),
        ("十五五", "period", (2026, 2030)),
        ("十四五+十五五", "period", (2021, 2030)),
        ("from 2022", "from", (2022, 2035)),
        ("ongoing", "ongoing", (2021, 2035)),
    ],
)
def test_deadline_forms(written, kind, years):
    deadline = Deadline.model_validate(written)
    assert deadline.kind == kind
    assert deadline.years((2021, 2035)) == years
    assert deadline.model_dump() == written


def test_valued_and_quantitative_comparators(data):
    assert {c.value for c in VALUED_COMPARATORS} == {
        "at_least",
        "at_most",
        "reduction_pct",
        "cumulative_addition",
        "full_coverage",
    }
    plan, _ = parse_plan(data)
    kinds = {t.code: t.quantitative for _, t in plan.all_targets()}
    assert kinds["carbon_peak"] is True  # measurable, though it has no value
    assert kinds["task_force"] is False
