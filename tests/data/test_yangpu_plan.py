"""The Yangpu 2022 plan as data, checked against the plan's own text.

The text is walked paragraph by paragraph. Each numeric commitment is found together with its clause,
its deadline (到YYYY年, YYYY年起, “十四五”期间 …) and its baseline (比/较YYYY年). Each one must have a
target with the same value, unit, deadline and clause, and each target matches only one number. Numbers
that only delimit a scope (50米 radius, buildings over 10万平方米) must appear in a target's scope in
that clause. Every numbered item must be a task whose units are the plan's 责任单位 list, in order.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from carbonpeak.core.plan import Comparator, Plan, Target
from carbonpeak.core.units import convert
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.io.plan import read_plan_file

TEXT = (REFERENCE_PLAN.parent / "yangpu-2022.zh.txt").read_text(encoding="utf-8")
ACTION_NUMERALS = "一二三四五六七八"

UNITS = {
    "%": "%",
    "万千瓦": "万kW",
    "万平方米": "万m2",
    "平方米": "m2",
    "个": "个",
    "公顷": "ha",
    "公里": "km",
    "米": "m",
    "分钟": "min",
    "": "dimensionless",
}
NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(%|万千瓦|万平方米|平方米|个|公顷|公里|米|分钟)?")
# Numbers that delimit a scope rather than set a target; each must appear in a target's scope there.
SCOPE_NUMBERS = {
    ("三(三)3", "15", "%"): "平均节能率15%及以上",
    ("三(三)3", "10", "万平方米"): "10万平方米以上",
    ("三(四)1", "50", "米"): "50米",
    ("三(四)1", "15", "分钟"): "15分钟",
    ("三(六)1", "500", "米"): "500米",
}
# Commitments written with Chinese numerals: (clause, phrase in the text, what the target must hold).
CHINESE_NUMERALS = [
    ("三(一)2", "至少使用一种可再生能源", ("value", 1.0, "种", "from 2022")),
    ("三(三)3", "一万平方米以上的公共建筑", ("scope", "一万平方米以上的公共建筑")),
    ("三(四)3", "按照一类地区不少于15%配备充电桩", ("scope", "一类地区")),
    ("三(三)2", "全部满足绿色建筑三星标准要求", ("scope", "三星")),
    ("三(八)2", "应达到绿色建筑二星级及以上标准", ("scope", "二星级")),
    ("三(八)1", "推进三星级绿色生态示范城区建设", ("scope", "三星级")),
]


@dataclass(frozen=True)
class Commitment:
    clause: str
    value: str
    unit_zh: str
    deadline: str
    baseline_year: int | None
    sentence: str


@pytest.fixture(scope="module")
def plan() -> Plan:
    result = read_plan_file(REFERENCE_PLAN)
    assert result.issues == []
    assert result.notes == []  # the text is beside the file, so every quote was checked verbatim
    assert result.plan is not None
    return result.plan


def paragraphs() -> Iterator[tuple[str, str]]:
    """Yield (clause, paragraph text) for the plan body, from 二、主要目标 to the end of 四."""
    body = TEXT[TEXT.index("二、主要目标") : TEXT.index("来源:")]
    section, action, safeguard = "", "", 0
    for line in (raw.strip() for raw in body.splitlines()):
        if not line:
            continue
        if heading := re.match(r"^([二三四])、", line):
            section = heading.group(1)
            continue
        if heading := re.match(r"^\(([一二三四五六七八])\)", line):
            action = heading.group(1)
            continue
        if section == "二":
            yield "二", line
        elif section == "三" and (item := re.match(r"^(\d+)\.(.*)$", line)):
            yield f"三({action}){item.group(1)}", item.group(2)
        elif section == "四":
            safeguard += 1
            yield f"四.{safeguard}", line


def responsible_units(paragraph: str) -> list[str]:
    found = re.search(r"\(责任单位[:：](.+?)\)", paragraph)
    return found.group(1).split("、") if found else []


def deadline_before(sentence: str, position: int) -> str:
    head = sentence[:position]
    markers = [(m.start(), m.group(1)) for m in re.finditer(r"到(\d{4})年", head)]
    markers += [(m.start(), f"from {m.group(1)}") for m in re.finditer(r"(\d{4})年起", head)]
    markers += [(m.start(), "十四五+十五五") for m in re.finditer(r"“十四五”和“十五五”期间", head)]
    markers += [(m.start(), "十四五") for m in re.finditer(r"(?<!和)“十四五”期间", head)]
    markers += [(m.start(), "十五五") for m in re.finditer(r"(?<!和)“十五五”期间", head)]
    return max(markers)[1] if markers else "ongoing"


def commitments() -> list[Commitment]:
    found = []
    for clause, paragraph in paragraphs():
        text = re.sub(r"\(责任单位[:：].+?\)", "", paragraph)
        for sentence in text.split("。"):
            for match in NUMBER.finditer(sentence):
                after = sentence[match.end() : match.end() + 1]
                if after == "年" and match.group(2) is None:
                    continue  # a year, not a commitment
                baselines = re.findall(r"[比较](\d{4})年", sentence[: match.start()])
                found.append(
                    Commitment(
                        clause,
                        match.group(1),
                        match.group(2) or "",
                        deadline_before(sentence, match.start()),
                        int(baselines[-1]) if baselines else None,
                        sentence,
                    )
                )
    return found


def test_the_walk_finds_the_commitments_it_should():
    found = commitments()
    assert len(found) == 36  # counted in the text by hand: 30 target values + 6 scope numbers (500米 twice)
    assert Commitment("二", "13.5", "%", "2025", 2020, found[0].sentence) == found[0]
    by_clause = {(c.clause, c.value, c.unit_zh): c for c in found}
    assert by_clause[("三(一)1", "2.9", "万千瓦")].deadline == "十四五"
    assert by_clause[("三(一)1", "30", "%")].deadline == "from 2022"
    assert by_clause[("三(三)3", "360", "万平方米")].deadline == "十四五+十五五"
    assert by_clause[("三(一)2", "15", "%")].deadline == "2030"
    assert by_clause[("三(二)1", "1.4", "")].deadline == "ongoing"


def matches(target: Target, commitment: Commitment) -> bool:
    if target.clause != commitment.clause or target.value is None or not target.unit:
        return False
    if target.deadline.model_dump() != (
        int(commitment.deadline) if commitment.deadline.isdigit() else commitment.deadline
    ):
        return False
    if commitment.baseline_year is not None and target.baseline_year != commitment.baseline_year:
        return False
    try:
        value = convert(target.value, target.unit, UNITS[commitment.unit_zh])
    except ValueError:
        return False
    return abs(value - float(commitment.value)) < 1e-9


def test_every_numeric_commitment_has_its_target(plan):
    targets = [t for _, t in plan.all_targets()]
    used: set[str] = set()  # each target matches one number...
    used_scope: set[str] = set()  # ...and one scope number (a target may have both)
    missing = []
    for commitment in commitments():
        scope = SCOPE_NUMBERS.get((commitment.clause, commitment.value, commitment.unit_zh))
        if scope is not None:
            scoped = [
                t
                for t in targets
                if t.code not in used_scope and t.clause == commitment.clause and scope in t.scope
            ]
            if not scoped:
                missing.append(f"{commitment.clause}: no target's scope contains '{scope}'")
            else:
                used_scope.add(scoped[0].code)
            continue
        candidates = [t for t in targets if t.code not in used and matches(t, commitment)]
        if not candidates:
            missing.append(
                f"{commitment.clause}: {commitment.value}{commitment.unit_zh} by {commitment.deadline} "
                f"(baseline {commitment.baseline_year}) in “{commitment.sentence}”"
            )
            continue
        used.add(candidates[0].code)
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize(
    ("clause", "phrase", "expected"), CHINESE_NUMERALS, ids=[c[1] for c in CHINESE_NUMERALS]
)
def test_commitments_in_chinese_numerals(plan, clause, phrase, expected):
    assert phrase in TEXT
    targets = [t for _, t in plan.all_targets() if t.clause == clause]
    if expected[0] == "value":
        _, value, unit, deadline = expected
        assert any((t.value, t.unit, t.deadline.model_dump()) == (value, unit, deadline) for t in targets)
    else:
        assert any(expected[1] in t.scope for t in targets)


def test_every_numbered_item_is_a_task_with_the_plan_units_in_order(plan):
    names = {u.id: u.name_zh for u in plan.units}
    tasks = {task.clause: task for _, task in plan.all_tasks()}
    text_items = {clause: paragraph for clause, paragraph in paragraphs() if clause != "二"}
    assert sorted(tasks) == sorted(text_items)
    assert len(tasks) == 32  # 27 numbered items in 三 and 5 safeguard paragraphs in 四
    for clause, paragraph in text_items.items():
        task = tasks[clause]
        assert [names[u] for u in task.units] == responsible_units(paragraph), clause
        assert paragraph.startswith(task.title_zh), clause


def test_unit_registry_is_exactly_the_units_the_plan_names(plan):
    named = {name for _, paragraph in paragraphs() for name in responsible_units(paragraph)}
    assert {u.name_zh for u in plan.units} == named
    collective = {u.name_zh for u in plan.units if u.collective}
    assert collective == {"各街道", "各有关部门", "各有关部门和单位"}


def test_actions_follow_the_plan(plan):
    titles = re.findall(r"^\(([一二三四五六七八])\)(\S+行动)$", TEXT, flags=re.MULTILINE)
    assert [(a.clause, a.title_zh) for a in plan.actions if a.kind == "action"] == [
        (f"三({numeral})", title) for numeral, title in titles
    ]
    assert [a.clause for a in plan.actions if a.kind == "governance"] == ["四"]
    assert len(titles) == 8


def test_overall_goals(plan):
    goals = {t.code: t for g in plan.goals for t in g.targets}
    energy = next(t for t in goals.values() if t.comparator is Comparator.REDUCTION_PCT and t.value == 13.5)
    assert (energy.baseline_year, energy.deadline.model_dump(), energy.clause) == (2020, 2025, "二")
    carbon = [t for t in goals.values() if t.comparator is Comparator.REDUCTION_PCT and t.value is None]
    assert len(carbon) == 1
    assert "本市下达指标" in carbon[0].value_note
    peak = [t for t in goals.values() if t.comparator is Comparator.PEAK_BY]
    assert [(t.deadline.model_dump(), t.quote) for t in peak] == [(2030, "确保2030年前实现碳达峰")]


def test_every_task_has_targets_and_qualitative_commitments_are_kept(plan):
    for _, task in plan.all_tasks():
        assert task.targets, task.clause
    qualitative = [t for _, t in plan.all_targets() if t.comparator is Comparator.QUALITATIVE]
    assert len(qualitative) >= 40
    assert {t.clause for t in qualitative} >= {f"四.{k}" for k in range(1, 6)}


def test_every_quote_is_in_the_text(plan):
    for _, target in plan.all_targets():
        assert target.quote in TEXT


def test_the_source_text_is_the_published_plan():
    assert "杨府发〔2022〕13号" in TEXT
    assert Path(REFERENCE_PLAN).name == "yangpu-2022.yaml"
