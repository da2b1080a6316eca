"""Unit scorecards (碳长制考核): a score and a grade for each responsible unit from its targets' statuses.

Each unit is scored from the statuses of the targets it *leads* (full weight) and *co-leads* (reduced
weight); overdue reports cost the leading unit a penalty. The rubric is described in
``docs/scorecards.md``. Its points, weights, penalties and grade thresholds are this project's own
documented defaults, not official figures: a district passes its own :class:`ScoreRubric`.

Score of a unit::

    mean    = sum(w_i * p_i) / sum(w_i)        over the counted targets i
    penalty = min(overdue_penalty * n_overdue_led, max_overdue_penalty)
    score   = clamp(mean - penalty, 0, 100)

with ``w_i`` the role weight (``lead_weight`` or ``co_lead_weight``) and ``p_i`` the status points. A target
is *counted* when its status has points: ``achieved``, ``on_track``, ``at_risk``, ``off_track``, and
``no_data`` when its report is overdue. ``no_data`` without an overdue report and ``not_yet_due`` are
excluded. A unit with no counted target has no score (grade ``unscored``).

References
----------
.. [1] 杨府发〔2022〕13号, 四.3 严格监督考核: 建立碳达峰、碳中和任务分解落实机制,
   探索推行"碳长制", 对工作突出的街道、单位……给予表彰奖励,
   对未完成目标任务的街道、部门……实行通报批评和约谈问责 (the obligation the score serves; the plan
   states no rubric, so this one is the project's).
.. [2] European Environment Agency, distance-to-target assessments: statuses as ordered categories that
   are summarised per responsible party.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from carbonpeak.core.tracking.model import Status, TrackingError, choose


class Grade(StrEnum):
    """Grade of a unit's score (thresholds in :class:`ScoreRubric`; project defaults, not official)."""

    EXCELLENT = "excellent"
    """优秀: score at least ``excellent_min``."""
    GOOD = "good"
    """良好: score at least ``good_min``."""
    PASS = "pass"  # noqa: S105 - a grade, not a password
    """合格: score at least ``pass_min``."""
    FAIL = "fail"
    """不合格: score below ``pass_min``."""
    UNSCORED = "unscored"
    """未评分: no counted target (all not yet due, or no data without an overdue report)."""

    @property
    def label_zh(self) -> str:
        """The Chinese name shown to officials."""
        return GRADE_LABELS_ZH[self]


GRADE_LABELS_ZH: dict[Grade, str] = {
    Grade.EXCELLENT: "优秀",
    Grade.GOOD: "良好",
    Grade.PASS: "合格",
    Grade.FAIL: "不合格",
    Grade.UNSCORED: "未评分",
}
"""Chinese names of the grades."""


class Role(StrEnum):
    """A unit's part in a target: it leads (牵头) or co-leads (配合)."""

    LEAD = "lead"
    CO_LEAD = "co_lead"


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One target with its status, as the scorecards and the annual report see it (plain values).

    The caller builds the rows (from the plan, the values and :func:`target_status`); nothing here reads a
    database.
    """

    code: str
    """The target's code, e.g. ``energy_intensity_reduction_2025``."""
    action: str
    """The action (行动) the target belongs to, e.g. ``green_energy``; empty for a headline goal."""
    lead_unit: str | None
    """The leading unit's code (牵头单位), or ``None`` when the plan names none."""
    co_units: tuple[str, ...]
    """The co-leading units' codes (配合单位), in the plan's order."""
    status: Status
    latest_value: float | None
    """The latest usable value [target unit], if any."""
    period: str | None
    """The latest value's period, e.g. ``2022``."""
    target_value: float | None
    """The value to reach [target unit], if the target states one."""
    deadline: str
    """The deadline as the plan words it, e.g. ``2025`` or ``十四五``."""
    forecast: float | None
    """Forecast for the deadline year [target unit], if there is one."""
    overdue: bool
    """Whether a report for this target is overdue on the evaluation date."""


@dataclass(frozen=True, slots=True)
class ScoreRubric:
    """Points, weights, penalties and grade thresholds of a scorecard (project defaults, not official).

    Raises
    ------
    TrackingError
        When a number is out of range (points outside 0-100, a negative weight or penalty, a zero lead
        weight, thresholds not in decreasing order).
    """

    name: str = "default"
    achieved_points: float = 100.0
    """Points of an ``achieved`` target [points]."""
    on_track_points: float = 85.0
    """Points of an ``on_track`` target [points]."""
    at_risk_points: float = 50.0
    """Points of an ``at_risk`` target [points]."""
    off_track_points: float = 0.0
    """Points of an ``off_track`` target [points]."""
    no_data_overdue_points: float = 0.0
    """Points of a ``no_data`` target whose report is overdue [points] (not overdue: excluded)."""
    lead_weight: float = 1.0
    """Weight of a target the unit leads [-]."""
    co_lead_weight: float = 0.5
    """Weight of a target the unit co-leads [-]; 0 scores leads only."""
    overdue_penalty: float = 5.0
    """Points deducted per overdue report of a target the unit leads [points]."""
    max_overdue_penalty: float = 30.0
    """Cap on the total overdue deduction [points]."""
    excellent_min: float = 90.0
    """Lowest score graded 优秀 [points]."""
    good_min: float = 75.0
    """Lowest score graded 良好 [points]."""
    pass_min: float = 60.0
    """Lowest score graded 合格 [points]; below it is 不合格."""

    def __post_init__(self) -> None:
        points = {
            "achieved_points": self.achieved_points,
            "on_track_points": self.on_track_points,
            "at_risk_points": self.at_risk_points,
            "off_track_points": self.off_track_points,
            "no_data_overdue_points": self.no_data_overdue_points,
        }
        for key, value in points.items():
            if not (math.isfinite(value) and 0.0 <= value <= 100.0):
                raise TrackingError(f"rubric '{self.name}': {key} = {value} is not between 0 and 100")
        for key, value in {
            "lead_weight": self.lead_weight,
            "co_lead_weight": self.co_lead_weight,
            "overdue_penalty": self.overdue_penalty,
            "max_overdue_penalty": self.max_overdue_penalty,
        }.items():
            if not (math.isfinite(value) and value >= 0.0):
                raise TrackingError(f"rubric '{self.name}': {key} = {value} is negative or not finite")
        if self.lead_weight == 0.0:
            raise TrackingError(f"rubric '{self.name}': lead_weight must be above 0")
        if not 100.0 >= self.excellent_min >= self.good_min >= self.pass_min >= 0.0:
            raise TrackingError(
                f"rubric '{self.name}': grade thresholds must satisfy 100 >= excellent_min >= good_min >= "
                f"pass_min >= 0 (got {self.excellent_min}, {self.good_min}, {self.pass_min})"
            )

    def points(self, status: Status, *, overdue: bool) -> float | None:
        """Points of a status, or ``None`` when the target is not counted.

        ``no_data`` counts (as ``no_data_overdue_points``) only when its report is overdue;
        ``not_yet_due`` never counts.
        """
        if status is Status.NO_DATA:
            return self.no_data_overdue_points if overdue else None
        return {
            Status.ACHIEVED: self.achieved_points,
            Status.ON_TRACK: self.on_track_points,
            Status.AT_RISK: self.at_risk_points,
            Status.OFF_TRACK: self.off_track_points,
        }.get(status)

    def weight(self, role: Role) -> float:
        """Weight of a role [-]."""
        return self.lead_weight if role is Role.LEAD else self.co_lead_weight

    def grade(self, score: float | None) -> Grade:
        """Grade of a score: 优秀 / 良好 / 合格 / 不合格, or 未评分 for no score."""
        if score is None:
            return Grade.UNSCORED
        if score >= self.excellent_min:
            return Grade.EXCELLENT
        if score >= self.good_min:
            return Grade.GOOD
        if score >= self.pass_min:
            return Grade.PASS
        return Grade.FAIL


DEFAULT_RUBRIC = ScoreRubric()
"""The project's default rubric: 100 / 85 / 50 / 0 points, co-leads at half weight, 5 points per overdue
report up to 30, grades at 90 / 75 / 60. Project defaults, not official figures."""

RUBRICS: dict[str, ScoreRubric] = {
    "default": DEFAULT_RUBRIC,
    "lead_only": ScoreRubric(name="lead_only", co_lead_weight=0.0),
}
"""Named rubrics (project defaults): ``default``, and ``lead_only`` which scores led targets only."""


def rubric_named(name: str) -> ScoreRubric:
    """The named rubric, or :class:`~carbonpeak.core.tracking.model.UnknownMethodError` listing the names."""
    return choose(RUBRICS, name, "scoring rubric")


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """How one target enters a unit's score."""

    row: TargetRow
    role: Role
    weight: float
    """Role weight [-]."""
    points: float | None
    """Status points [points], or ``None`` when the target is not counted."""
    note: str
    """Why the target counts or not, in English."""

    @property
    def counted(self) -> bool:
        """Whether the target enters the weighted mean (it has points and a positive weight)."""
        return self.points is not None and self.weight > 0.0


@dataclass(frozen=True, slots=True)
class UnitScorecard:
    """A unit's scorecard: its targets, their statuses, its overdue reports, score and grade."""

    unit: str
    rubric: str
    """Name of the rubric used."""
    lines: tuple[ScoreLine, ...]
    """Led targets first, then co-led, each in the order given."""
    overdue: tuple[TargetRow, ...]
    """Led targets whose report is overdue (each costs ``overdue_penalty``)."""
    mean_points: float | None
    """Weighted mean of the counted targets' points [points], before penalties."""
    penalty: float
    """Overdue deduction [points], after the cap."""
    score: float | None
    """``clamp(mean_points - penalty, 0, 100)`` [points]; ``None`` when no target is counted."""
    grade: Grade
    status_counts: Mapping[Status, int] = field(default_factory=dict)
    """Number of targets (led and co-led) per status; every status is a key."""

    @property
    def led(self) -> tuple[TargetRow, ...]:
        """Targets the unit leads."""
        return tuple(line.row for line in self.lines if line.role is Role.LEAD)

    @property
    def co_led(self) -> tuple[TargetRow, ...]:
        """Targets the unit co-leads."""
        return tuple(line.row for line in self.lines if line.role is Role.CO_LEAD)

    @property
    def counted(self) -> int:
        """Number of targets that enter the score."""
        return sum(1 for line in self.lines if line.counted)


def _resolve(rubric: ScoreRubric | str) -> ScoreRubric:
    return rubric_named(rubric) if isinstance(rubric, str) else rubric


def _check(rows: Sequence[TargetRow]) -> None:
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            raise TrackingError(f"target '{row.code}' is given twice; each target needs exactly one row")
        seen.add(row.code)
        if not isinstance(row.status, Status):
            raise TrackingError(f"target '{row.code}': status {row.status!r} is not a Status")


def _line(row: TargetRow, role: Role, rubric: ScoreRubric) -> ScoreLine:
    weight = rubric.weight(role)
    points = rubric.points(row.status, overdue=row.overdue)
    if points is None:
        why = "its report is not overdue" if row.status is Status.NO_DATA else "nothing is due yet"
        note = f"{row.status.value}: not counted ({why})"
    elif weight == 0.0:
        note = f"{row.status.value}: not counted ({role.value} weight 0)"
    else:
        note = f"{row.status.value}: {points:g} points at weight {weight:g}"
    return ScoreLine(row, role, weight, points, note)


def unit_scorecard(
    unit_code: str, rows: Sequence[TargetRow], *, rubric: ScoreRubric | str = DEFAULT_RUBRIC
) -> UnitScorecard:
    """Scorecard of one unit from every target's row.

    Parameters
    ----------
    unit_code : str
        The unit, e.g. ``development_reform_commission``.
    rows : sequence of TargetRow
        All the targets (the unit's own are picked out: led when it is ``lead_unit``, co-led when it is in
        ``co_units``; a unit named as both counts as leading).
    rubric : ScoreRubric or str
        A rubric, or the name of one in :data:`RUBRICS`.

    Returns
    -------
    UnitScorecard
        Score ``clamp(mean - penalty, 0, 100)`` [points] and grade; ``None`` / ``unscored`` when no target
        is counted.

    Raises
    ------
    UnknownMethodError
        For an unknown rubric name.
    TrackingError
        When a target code is given twice.

    References
    ----------
    .. [1] 杨府发〔2022〕13号, 四.3 严格监督考核: 探索推行"碳长制" (the plan states no rubric; this one is the
       project's default, see ``docs/scorecards.md``).
    """
    chosen = _resolve(rubric)
    _check(rows)
    led = [_line(r, Role.LEAD, chosen) for r in rows if r.lead_unit == unit_code]
    co_led = [
        _line(r, Role.CO_LEAD, chosen) for r in rows if r.lead_unit != unit_code and unit_code in r.co_units
    ]
    lines = tuple(led + co_led)
    counted = [line for line in lines if line.counted]
    weights = sum(line.weight for line in counted)
    mean = sum(line.weight * (line.points or 0.0) for line in counted) / weights if counted else None
    overdue = tuple(line.row for line in led if line.row.overdue)
    penalty = min(chosen.overdue_penalty * len(overdue), chosen.max_overdue_penalty)
    score = None if mean is None else min(max(mean - penalty, 0.0), 100.0)
    counts = {status: sum(1 for line in lines if line.row.status is status) for status in Status}
    return UnitScorecard(
        unit=unit_code,
        rubric=chosen.name,
        lines=lines,
        overdue=overdue,
        mean_points=mean,
        penalty=penalty,
        score=score,
        grade=chosen.grade(score),
        status_counts=counts,
    )


def score_units(
    rows: Sequence[TargetRow],
    *,
    rubric: ScoreRubric | str = DEFAULT_RUBRIC,
    units: Iterable[str] | None = None,
) -> list[UnitScorecard]:
    """Scorecards of every unit, best score first.

    Parameters
    ----------
    rows : sequence of TargetRow
        All the targets.
    rubric : ScoreRubric or str
        A rubric, or the name of one in :data:`RUBRICS`.
    units : iterable of str, optional
        The units to score (e.g. every responsible unit of the plan, so that one without targets still
        appears, unscored). By default, every unit named as lead or co-lead in ``rows``.

    Returns
    -------
    list of UnitScorecard
        Sorted by score, highest first; unscored units last; ties by unit code.

    Raises
    ------
    UnknownMethodError
        For an unknown rubric name.
    TrackingError
        When a target code is given twice.
    """
    chosen = _resolve(rubric)
    _check(rows)
    if units is None:
        named: dict[str, None] = {}
        for row in rows:
            for code in (row.lead_unit, *row.co_units):
                if code is not None:
                    named.setdefault(code)
        codes = list(named)
    else:
        codes = list(dict.fromkeys(units))
    cards = [unit_scorecard(code, rows, rubric=chosen) for code in codes]
    return sorted(cards, key=lambda c: (c.score is None, -(c.score or 0.0), c.unit))
