"""Target tracking: trajectories, forecasts, milestones and one status per target (pure computation).

The rules are described in ``docs/status-rules.md``.
"""

from carbonpeak.core.tracking.forecast import (
    FORECAST_METHODS,
    Forecast,
    forecast_value,
    last_rate,
    linear_trend,
)
from carbonpeak.core.tracking.milestones import Milestone, milestone_status
from carbonpeak.core.tracking.model import (
    DEFAULT_THRESHOLDS,
    STATUS_LABELS_ZH,
    Observation,
    Status,
    StatusThresholds,
    TargetSpec,
    TargetStatus,
    TrackingError,
    UnknownMethodError,
    year_time,
)
from carbonpeak.core.tracking.status import (
    DEFAULT_TRAJECTORY,
    STATUS_RULES,
    Progress,
    Verdict,
    forecast_at_deadline,
    grade,
    meets,
    peak_status,
    peak_test,
    target_status,
    trajectory_gap,
)
from carbonpeak.core.tracking.trajectory import (
    TRAJECTORY_METHODS,
    compound_trajectory,
    expected_value,
    linear_trajectory,
    reduction_rate,
    trajectory,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "DEFAULT_TRAJECTORY",
    "FORECAST_METHODS",
    "STATUS_LABELS_ZH",
    "STATUS_RULES",
    "TRAJECTORY_METHODS",
    "Forecast",
    "Milestone",
    "Observation",
    "Progress",
    "Status",
    "StatusThresholds",
    "TargetSpec",
    "TargetStatus",
    "TrackingError",
    "UnknownMethodError",
    "Verdict",
    "compound_trajectory",
    "expected_value",
    "forecast_at_deadline",
    "forecast_value",
    "grade",
    "last_rate",
    "linear_trajectory",
    "linear_trend",
    "meets",
    "milestone_status",
    "peak_status",
    "peak_test",
    "reduction_rate",
    "target_status",
    "trajectory",
    "trajectory_gap",
    "year_time",
]
