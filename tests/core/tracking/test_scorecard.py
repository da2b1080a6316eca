"""Unit scorecards on hand-worked cases (rubric in docs/scorecards.md)."""

import dataclasses

import pytest

from carbonpeak.core.tracking import Status, TrackingError, UnknownMethodError
from carbonpeak.core.tracking.scorecard import (
    DEFAULT_RUBRIC,
    GRADE_LABELS_ZH,
    RUBRICS,
    Grade,
    Role,
    ScoreRubric,
    TargetRow,
    rubric_named,
    score_units,
    unit_scorecard,
)

NDRC = "development_reform_commission"
ECO = "ecology_environment_bureau"
BUILD = "construction_commission"


def row(code, status, lead=NDRC, co=(), *, overdue=False, action="green_energy"):
    return TargetRow(
        code=code,
        action=action,
        lead_unit=lead,
        co_units=tuple(co),
        status=status,
        latest_value=None,
        period=None,
        target_value=None,
        deadline="2025",
        forecast=None,
        overdue=overdue,
    )


# The worked example of docs/scorecards.md.
ROWS = [
    row("t1", Status.ACHIEVED, co=[ECO]),
    row("t2", Status.AT_RISK),
    row("t3", Status.NO_DATA, overdue=True),
    row("t4", Status.NOT_YET_DUE),
    row("t5", Status.ON_TRACK, lead=ECO, co=[NDRC]),
    row("t6", Status.NO_DATA, lead=ECO, co=[NDRC, BUILD]),
    row("t7", Status.OFF_TRACK, lead=BUILD, overdue=True),
]


def test_worked_example_weighted_mean_minus_overdue_penalty():
    card = unit_scorecard(NDRC, ROWS, rubric=DEFAULT_RUBRIC)
    # led: 100 + 50 + 0 (no_data, overdue), t4 excluded; co-led: 85 at weight 0.5, t6 excluded
    assert card.mean_points == pytest.approx((100 + 50 + 0 + 0.5 * 85) / 3.5)  # 55.0
    assert card.mean_points == pytest.approx(55.0)
    assert card.penalty == 5.0  # t3 overdue
    assert card.score == pytest.approx(50.0)
    assert card.grade is Grade.FAIL
    assert card.grade.label_zh == "不合格"
    assert [r.code for r in card.led] == ["t1", "t2", "t3", "t4"]
    assert [r.code for r in card.co_led] == ["t5", "t6"]
    assert [r.code for r in card.overdue] == ["t3"]
    assert card.counted == 4
    assert card.status_counts[Status.NO_DATA] == 2
    assert card.status_counts[Status.NOT_YET_DUE] == 1
    assert sum(card.status_counts.values()) == 6


def test_lines_explain_what_is_counted():
    card = unit_scorecard(NDRC, ROWS)
    notes = {line.row.code: line for line in card.lines}
    assert notes["t3"].points == 0.0
    assert notes["t3"].counted
    assert notes["t4"].points is None
    assert "nothing is due yet" in notes["t4"].note
    assert notes["t6"].role is Role.CO_LEAD
    assert "not overdue" in notes["t6"].note
    assert notes["t5"].weight == 0.5


def test_co_lead_is_not_charged_for_the_leads_overdue_report():
    # ECO co-leads t1 (achieved, 100 at 0.5) and leads t5 (on_track 85) and t6 (no_data, not overdue)
    eco = unit_scorecard(ECO, ROWS)
    assert eco.mean_points == pytest.approx((0.5 * 100 + 85) / 1.5)  # 90.0
    assert eco.score == pytest.approx(90.0)
    assert eco.penalty == 0.0
    assert eco.grade is Grade.EXCELLENT


def test_all_off_track_and_overdue_is_clamped_at_zero():
    build = unit_scorecard(BUILD, ROWS)
    # t7 off_track (0) led and overdue; t6 co-led no_data not overdue: excluded
    assert build.mean_points == 0.0
    assert build.penalty == 5.0
    assert build.score == 0.0


def test_unit_without_counted_targets_is_unscored():
    rows = [row("a", Status.NOT_YET_DUE), row("b", Status.NO_DATA)]
    card = unit_scorecard(NDRC, rows)
    assert card.score is None
    assert card.mean_points is None
    assert card.grade is Grade.UNSCORED
    assert card.grade.label_zh == "未评分"
    empty = unit_scorecard("nobody", rows)
    assert (empty.lines, empty.score, empty.grade) == ((), None, Grade.UNSCORED)


def test_penalty_is_capped():
    rows = [row(f"t{i}", Status.ACHIEVED, overdue=True) for i in range(10)]
    card = unit_scorecard(NDRC, rows)
    assert card.penalty == 30.0  # 10 x 5 capped at 30
    assert card.score == pytest.approx(70.0)
    assert card.grade is Grade.PASS


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100.0, Grade.EXCELLENT),
        (90.0, Grade.EXCELLENT),
        (89.99, Grade.GOOD),
        (75.0, Grade.GOOD),
        (74.9, Grade.PASS),
        (60.0, Grade.PASS),
        (59.9, Grade.FAIL),
        (0.0, Grade.FAIL),
        (None, Grade.UNSCORED),
    ],
)
def test_grade_thresholds(score, grade):
    assert DEFAULT_RUBRIC.grade(score) is grade


def test_grade_labels():
    assert [GRADE_LABELS_ZH[g] for g in Grade] == ["优秀", "良好", "合格", "不合格", "未评分"]


def test_lead_only_rubric_ignores_co_led_targets():
    card = unit_scorecard(NDRC, ROWS, rubric="lead_only")
    assert card.rubric == "lead_only"
    assert card.mean_points == pytest.approx(150 / 3)  # t1, t2, t3
    assert card.score == pytest.approx(45.0)
    assert card.counted == 3
    assert [r.code for r in card.co_led] == ["t5", "t6"]  # still listed on the scorecard


def test_custom_rubric_points():
    rubric = dataclasses.replace(DEFAULT_RUBRIC, name="strict", on_track_points=70.0, overdue_penalty=0.0)
    card = unit_scorecard(ECO, ROWS, rubric=rubric)
    assert card.score == pytest.approx((0.5 * 100 + 70) / 1.5)  # 80.0
    assert card.rubric == "strict"


def test_unit_named_lead_and_co_lead_counts_once_as_lead():
    rows = [row("x", Status.AT_RISK, lead=NDRC, co=[NDRC])]
    card = unit_scorecard(NDRC, rows)
    assert [line.role for line in card.lines] == [Role.LEAD]
    assert card.score == 50.0


def test_unknown_rubric_name_is_refused_with_the_known_names():
    with pytest.raises(UnknownMethodError, match="unknown scoring rubric 'generous'; choose one of: default"):
        unit_scorecard(NDRC, ROWS, rubric="generous")
    with pytest.raises(UnknownMethodError, match="lead_only"):
        score_units(ROWS, rubric="generous")
    assert rubric_named("lead_only") is RUBRICS["lead_only"]


def test_duplicate_target_code_is_refused():
    with pytest.raises(TrackingError, match="target 't1' is given twice"):
        unit_scorecard(NDRC, [*ROWS, row("t1", Status.ON_TRACK)])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"on_track_points": 120.0}, "on_track_points = 120.0 is not between 0 and 100"),
        ({"co_lead_weight": -1.0}, "co_lead_weight = -1.0 is negative"),
        ({"lead_weight": 0.0}, "lead_weight must be above 0"),
        ({"good_min": 95.0}, "grade thresholds must satisfy"),
        ({"overdue_penalty": float("nan")}, "overdue_penalty = nan"),
    ],
)
def test_bad_rubric_is_refused(changes, message):
    with pytest.raises(TrackingError, match=message):
        ScoreRubric(name="bad", **changes)


def test_score_units_ranks_best_first_and_unscored_last():
    cards = score_units(ROWS, units=[BUILD, NDRC, ECO, "sports_bureau"])
    assert [(c.unit, c.score) for c in cards] == [
        (ECO, pytest.approx(90.0)),
        (NDRC, pytest.approx(50.0)),
        (BUILD, 0.0),
        ("sports_bureau", None),
    ]


def test_score_units_defaults_to_every_named_unit():
    cards = score_units(ROWS)
    assert {c.unit for c in cards} == {NDRC, ECO, BUILD}
    assert all(c.rubric == "default" for c in cards)
