"""Milestone status of qualitative tasks."""

from datetime import date

from carbonpeak.core.plan.model import Comparator
from carbonpeak.core.tracking import (
    Milestone,
    Status,
    StatusThresholds,
    TargetSpec,
    milestone_status,
    target_status,
)

AS_OF = date(2024, 6, 30)
DRAFT = Milestone("policy drafted", date(2023, 12, 31), date(2023, 11, 20))
ISSUED = Milestone("policy issued", date(2024, 12, 31))


def test_all_done_is_achieved():
    issued = Milestone("policy issued", date(2024, 12, 31), date(2024, 3, 1))
    result = milestone_status([DRAFT, issued], as_of=AS_OF)
    assert result.status is Status.ACHIEVED
    assert result.rule == "milestones"


def test_done_and_next_not_due_is_on_track():
    result = milestone_status([ISSUED, DRAFT], as_of=AS_OF)
    assert result.status is Status.ON_TRACK
    assert result.reason == "1 of 2 milestones done; next 'policy issued' is due 2024-12-31"


def test_nothing_due_yet_is_not_yet_due():
    result = milestone_status([ISSUED], as_of=AS_OF)
    assert result.status is Status.NOT_YET_DUE


def test_overdue_is_at_risk_then_off_track():
    late = Milestone("survey", date(2024, 6, 20))  # 10 days overdue on 30 June
    assert milestone_status([DRAFT, late], as_of=AS_OF).status is Status.AT_RISK
    very_late = Milestone("survey", date(2024, 2, 1))  # 150 days overdue
    result = milestone_status([DRAFT, very_late], as_of=AS_OF)
    assert result.status is Status.OFF_TRACK
    assert "150 days overdue" in result.reason


def test_thresholds_are_configurable():
    late = Milestone("survey", date(2024, 6, 20))
    lenient = StatusThresholds(milestone_grace_days=30, milestone_off_track_days=365)
    assert milestone_status([DRAFT, late], as_of=AS_OF, thresholds=lenient).status is Status.ON_TRACK
    very_late = Milestone("survey", date(2024, 2, 1))
    assert milestone_status([very_late], as_of=AS_OF, thresholds=lenient).status is Status.AT_RISK


def test_done_after_the_evaluation_date_counts_as_not_done():
    later = Milestone("survey", date(2024, 6, 1), date(2024, 8, 1))
    assert milestone_status([later], as_of=AS_OF).status is Status.AT_RISK
    assert milestone_status([later], as_of=date(2024, 8, 1)).status is Status.ACHIEVED


def test_late_completion_is_flagged_and_no_milestones_is_no_data():
    late_done = Milestone("survey", date(2024, 1, 1), date(2024, 1, 31))
    result = milestone_status([late_done], as_of=AS_OF)
    assert result.flags == ("milestone 'survey' was done 30 days late",)
    assert milestone_status([], as_of=AS_OF).status is Status.NO_DATA


def test_qualitative_targets_are_dispatched_to_milestones():
    task = TargetSpec(Comparator.QUALITATIVE, 2021, 2025)
    result = target_status(task, as_of=AS_OF, milestones=[DRAFT, ISSUED])
    assert result.status is Status.ON_TRACK
    assert result.rule == "milestones"
    assert result.deadline_year == 2025
    assert target_status(task, as_of=AS_OF).status is Status.NO_DATA
