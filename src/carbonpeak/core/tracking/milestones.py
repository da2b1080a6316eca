"""Milestones: how qualitative tasks (定性任务) are tracked.

A qualitative target has no number; its lead unit sets milestones (e.g. "policy drafted", "policy issued"),
each with a due date, and records the date each is done. The status on an evaluation date ``as_of``:

1. no milestones: ``no_data``;
2. every milestone done by ``as_of``: ``achieved``;
3. an undone milestone overdue by more than ``milestone_off_track_days``: ``off_track``;
4. else an undone milestone overdue by more than ``milestone_grace_days``: ``at_risk``;
5. else, when no milestone is due yet and none is done: ``not_yet_due``;
6. otherwise: ``on_track``.

A milestone is *overdue* when it is not done and its due date is before ``as_of``. A done date after
``as_of`` counts as not done (the evaluation looks at the situation on that date).

References
----------
.. [1] Project Management Institute, A Guide to the Project Management Body of Knowledge (PMBOK Guide):
   milestone schedules and schedule variance as the measure of progress of work without a quantity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from carbonpeak.core.tracking.model import DEFAULT_THRESHOLDS, Status, StatusThresholds, TargetStatus

MILESTONE_RULE = "milestones"


@dataclass(frozen=True, slots=True)
class Milestone:
    """A step of a qualitative task: its name, due date and the date it was done (``None`` if not yet)."""

    name: str
    due: date
    done: date | None = None

    def done_by(self, day: date) -> bool:
        """Whether the milestone was done on or before ``day``."""
        return self.done is not None and self.done <= day

    def days_overdue(self, day: date) -> int:
        """Days past due on ``day`` while not done [d]; 0 when done or not yet due."""
        if self.done_by(day) or self.due >= day:
            return 0
        return (day - self.due).days


def milestone_status(
    milestones: Sequence[Milestone],
    *,
    as_of: date,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    deadline_year: int | None = None,
) -> TargetStatus:
    """Status of a qualitative task from its milestones on ``as_of`` (rules in the module docstring).

    Parameters
    ----------
    milestones : sequence of Milestone
        The task's milestones, any order.
    as_of : date
        Evaluation date.
    thresholds : StatusThresholds
        ``milestone_grace_days`` and ``milestone_off_track_days`` are used.
    deadline_year : int, optional
        The target's deadline year, copied to the result.

    References
    ----------
    .. [1] Project Management Institute, PMBOK Guide: milestone schedule.
    """
    if not milestones:
        return TargetStatus(
            Status.NO_DATA, MILESTONE_RULE, "no milestones are set for this task", deadline_year=deadline_year
        )
    ordered = sorted(milestones, key=lambda m: (m.due, m.name))
    done = [m for m in ordered if m.done_by(as_of)]
    overdue = [(m.days_overdue(as_of), m) for m in ordered if m.days_overdue(as_of) > 0]
    flags = tuple(
        f"milestone '{m.name}' was done {(m.done - m.due).days} days late"
        for m in done
        if m.done is not None and m.done > m.due
    )
    count = f"{len(done)} of {len(ordered)} milestones done"

    def result(status: Status, reason: str) -> TargetStatus:
        return TargetStatus(status, MILESTONE_RULE, reason, deadline_year=deadline_year, flags=flags)

    if len(done) == len(ordered):
        return result(Status.ACHIEVED, f"all {len(ordered)} milestones done by {as_of}")
    if overdue:
        days, worst = max(overdue, key=lambda pair: pair[0])
        late = f"{count}; '{worst.name}' (due {worst.due}) is {days} days overdue"
        if days > thresholds.milestone_off_track_days:
            return result(Status.OFF_TRACK, f"{late}, more than {thresholds.milestone_off_track_days} days")
        if days > thresholds.milestone_grace_days:
            return result(Status.AT_RISK, late)
    if not done and all(m.due > as_of for m in ordered):
        return result(Status.NOT_YET_DUE, f"no milestone is due yet; the first is due {ordered[0].due}")
    pending = [m for m in ordered if not m.done_by(as_of)]
    return result(Status.ON_TRACK, f"{count}; next '{pending[0].name}' is due {pending[0].due}")
