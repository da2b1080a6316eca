"""Pydantic schema of a district carbon-peak plan (碳达峰实施方案).

A plan file has five parts: ``plan`` (metadata), ``units`` (the responsible-unit registry), ``indicators``,
``goals`` (section 二, the overall goals) and ``actions`` (section 三's green actions, then section 四's
safeguards as an action of kind ``governance``). Each action holds tasks, one per numbered item, and each
task holds its targets.

The lead-unit rule: in each task's ``units`` list the first unit is the lead unit (牵头单位) and the rest
are co-responsible units (配合单位), exactly as the plan's 责任单位 list names them.

Each target carries some fields that are *derived* from its place in the plan: ``clause``, ``lead_unit`` and
``co_units``. A file may omit them, in which case :func:`carbonpeak.core.plan.validate.parse_plan` fills them
in. If a file gives them, they must agree with the place. The export always includes them, so an exported
file loads back to an identical plan.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer, model_validator

FIVE_YEAR_PLANS: dict[str, tuple[int, int]] = {
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "十六五": (2031, 2035),
}
"""Five-year-plan periods (五年规划) and their inclusive years."""

_SLUG = r"^[a-z0-9][a-z0-9_.-]*$"
_FROM = re.compile(r"^from (\d{4})$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class UnitKind(StrEnum):
    """Kind of responsible unit (责任单位)."""

    COMMISSION = "commission"
    """委: e.g. 区发展改革委."""
    BUREAU = "bureau"
    """局: e.g. 区生态环境局."""
    STREET_OFFICE = "street_office"
    """街道办事处."""
    STATE_COMPANY = "state_company"
    """区属国有企业: e.g. 区科创集团."""
    OTHER = "other"
    """Offices, party departments, public institutions and collective references."""


class IndicatorMethod(StrEnum):
    """How an indicator's values arrive."""

    COMPUTED = "computed"
    """Computed by the platform from raw records (meters, registries, statistics)."""
    REPORTED = "reported"
    """Reported by the responsible unit with evidence, then approved by the office."""


class Comparator(StrEnum):
    """How a target's value is judged."""

    AT_LEAST = "at_least"
    """The indicator must reach at least ``value`` (不低于, 达到…以上)."""
    AT_MOST = "at_most"
    """The indicator must not exceed ``value`` (不高于)."""
    REDUCTION_PCT = "reduction_pct"
    """The indicator must fall by at least ``value`` % against ``baseline_year`` (比…下降)."""
    CUMULATIVE_ADDITION = "cumulative_addition"
    """At least ``value`` must be added over the deadline period (新增, 累计完成)."""
    FULL_COVERAGE = "full_coverage"
    """Every item in scope must comply: ``value`` is 100 % (全覆盖, 全部, 100%, 应装尽装)."""
    PEAK_BY = "peak_by"
    """The indicator must peak no later than the deadline year (碳达峰)."""
    QUALITATIVE = "qualitative"
    """A commitment without a number, tracked by milestones."""


VALUED_COMPARATORS = frozenset(set(Comparator) - {Comparator.QUALITATIVE, Comparator.PEAK_BY})
"""Comparators whose target has a numeric value (``peak_by`` is measurable but has none)."""


class Deadline(_Model):
    """When a target is due.

    Written in a file as one scalar:

    * a year, ``2025`` (到2025年);
    * a five-year-plan period, ``十四五`` or ``十五五``, or both, ``十四五+十五五`` (“十四五”和“十五五”期间);
    * ``from 2022``: a standard in force from that year on (2022年起);
    * ``ongoing``: in force for the whole plan, with no date stated in the text.
    """

    text: str

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"text": str(value)}
        if isinstance(value, str):
            return {"text": value}
        return value

    @field_validator("text")
    @classmethod
    def _known_form(cls, text: str) -> str:
        if text == "ongoing" or re.fullmatch(r"\d{4}", text) or _FROM.match(text):
            return text
        periods = text.split("+")
        if all(p in FIVE_YEAR_PLANS for p in periods):
            return text
        known = ", ".join(FIVE_YEAR_PLANS)
        raise ValueError(
            f"'{text}' is not a deadline: use a year (2025), a period ({known}, or joined with +), "
            "'from YYYY' or 'ongoing'"
        )

    @model_serializer
    def _to_scalar(self) -> int | str:
        return int(self.text) if self.text.isdigit() else self.text

    @property
    def kind(self) -> str:
        """``year``, ``period``, ``from`` or ``ongoing``."""
        if self.text == "ongoing":
            return "ongoing"
        if self.text.isdigit():
            return "year"
        if _FROM.match(self.text):
            return "from"
        return "period"

    def years(self, horizon: tuple[int, int]) -> tuple[int, int]:
        """Return the inclusive (first, last) years the deadline spans, given the plan horizon."""
        if self.kind == "year":
            return horizon[0], int(self.text)
        if self.kind == "ongoing":
            return horizon
        match = _FROM.match(self.text)
        if match:
            return int(match.group(1)), horizon[1]
        spans = [FIVE_YEAR_PLANS[p] for p in self.text.split("+")]
        return min(s[0] for s in spans), max(s[1] for s in spans)


class Horizon(_Model):
    """First and last year the plan covers [a]."""

    start: int = Field(ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end < self.start:
            raise ValueError("end: the horizon ends before it starts")
        return self


class PlanMeta(_Model):
    """Plan metadata: what the document is, who issued it, and which years it covers."""

    id: str = Field(pattern=_SLUG, description="Stable identifier, e.g. yangpu-2022")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    document_no: str = Field(min_length=1, description="文号, e.g. 杨府发〔2022〕13号")
    issuer_zh: str = Field(min_length=1)
    issuer_en: str = Field(min_length=1)
    issued: date
    district_zh: str = Field(min_length=1)
    district_en: str = Field(min_length=1)
    region: str = Field(min_length=2, description="Region code of the factors (a province, e.g. CN-ZJ)")
    horizon: Horizon
    source_text: str | None = Field(
        default=None, description="Plan text beside the file; every quote must appear in it verbatim"
    )
    synthetic: bool = Field(default=False, description="True for invented example plans")
    crs: str | None = Field(
        default=None,
        pattern=r"^[A-Z]+:[0-9]+$",
        description="Projected CRS of the district's map layers, in metres (e.g. EPSG:4549 for Shanghai)",
    )


class ResponsibleUnit(_Model):
    """A responsible unit (责任单位)."""

    id: str = Field(pattern=_SLUG)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: UnitKind
    collective: bool = Field(
        default=False, description="A collective reference such as 各街道 (every street office)"
    )


class Indicator(_Model):
    """What is measured (指标)."""

    code: str = Field(pattern=_SLUG)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    unit: str = Field(description="Unit of the indicator's values; empty for qualitative indicators")
    definition: str = Field(min_length=1)
    method: IndicatorMethod


class TargetRule(_Model):
    """Parameters of the rule a computed target applies: which records it covers and from when.

    Every field is optional; a provider reads the ones its rule needs and says so when one is missing. They
    live in the plan file, never in code, so another district's plan drives its own rules
    (docs/plan-format.md, "Rule parameters").
    """

    applies_from: int | None = Field(
        default=None, ge=1990, le=2100, description="First year the rule covers (e.g. new from 2022)"
    )
    uses: list[str] = Field(
        default_factory=list, description="Building uses (primary-use codes) the rule covers; empty: all"
    )
    min_floor_area_m2: float | None = Field(
        default=None, ge=0, description="Smallest floor area [m2] the rule covers (e.g. 一万平方米以上)"
    )
    sub_areas: list[str] = Field(
        default_factory=list, description="Sub-area ids the rule covers; empty: the whole district"
    )
    categories: list[str] = Field(
        default_factory=list, description="Record categories the rule covers (e.g. vehicle categories)"
    )
    threshold: float | None = Field(
        default=None, description="The rule's per-item threshold, in threshold_unit (e.g. savings >= 15 %)"
    )
    threshold_unit: str = Field(default="", description="Unit of threshold, e.g. %")
    radius_m: float | None = Field(default=None, gt=0, description="A service radius [m] the rule uses")
    platform_rule: str = Field(
        default="",
        pattern=r"^([a-z0-9_]+)?$",
        description="A platform rule this (usually qualitative) target parameterises, e.g. energy_audit_duty",
    )
    access_m: float | None = Field(
        default=None, ge=0, description="Longest off-network walk [m] at each end of a network-distance rule"
    )
    walk_speed_m_per_min: float | None = Field(
        default=None, gt=0, description="Walking speed [m/min] turning a walk in minutes into metres"
    )
    min_rating: str = Field(
        default="",
        description="Lowest green-building rating that passes (none, basic, one_star, two_star, three_star)",
    )
    large_public_only: bool = Field(
        default=False, description="Only projects registered as large public buildings (大型公共建筑)"
    )


class Target(_Model):
    """A target (目标): an indicator, a comparator, a value and a deadline, with the plan's own words."""

    code: str = Field(pattern=_SLUG)
    indicator: str = Field(pattern=_SLUG, description="Code of an indicator in the plan's registry")
    comparator: Comparator
    value: float | None = None
    unit: str = ""
    baseline_year: int | None = Field(default=None, ge=1990, le=2100)
    baseline_value: float | None = None
    value_note: str = Field(default="", description="Why a quantitative target has no value, if it has none")
    deadline: Deadline
    scope: str = Field(default="", description="What the target applies to, in Chinese")
    scope_en: str = ""
    quote: str = Field(min_length=1, description="The plan's own sentence, verbatim")
    note: str = ""
    rule: TargetRule | None = Field(default=None, description="Parameters of the computed rule, if any")
    headline: bool = Field(default=False, description="Shown among the dashboard's headline goals")
    clause: str | None = Field(default=None, description="Derived: clause of the task or goal")
    lead_unit: str | None = Field(default=None, description="Derived: the task's first unit")
    co_units: list[str] | None = Field(default=None, description="Derived: the task's other units")

    @property
    def quantitative(self) -> bool:
        """Whether the target is measured (every comparator but ``qualitative``, which has milestones)."""
        return self.comparator is not Comparator.QUALITATIVE


class Task(_Model):
    """A task (任务): one numbered item of an action, or one safeguard paragraph."""

    id: str = Field(pattern=_SLUG)
    clause: str = Field(min_length=1, description="e.g. 三(一)1")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    summary_zh: str = Field(min_length=1)
    summary_en: str = Field(min_length=1)
    units: list[str] = Field(min_length=1, description="责任单位 in the plan's order; the first leads")
    targets: list[Target] = Field(min_length=1)

    @property
    def lead_unit(self) -> str:
        """The lead unit (牵头单位): the first unit the plan names."""
        return self.units[0]

    @property
    def co_units(self) -> list[str]:
        """The co-responsible units (配合单位): every unit after the first."""
        return self.units[1:]


class Action(_Model):
    """An action (行动) of section 三, or the safeguards of section 四 (kind ``governance``)."""

    id: str = Field(pattern=_SLUG)
    clause: str = Field(min_length=1, description="e.g. 三(一)")
    kind: str = Field(default="action", pattern=r"^(action|governance)$")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    tasks: list[Task] = Field(min_length=1)


class Goal(_Model):
    """An overall goal paragraph (section 二), with its targets."""

    id: str = Field(pattern=_SLUG)
    clause: str = Field(min_length=1)
    period: str = Field(min_length=1, description="e.g. 十四五")
    summary_zh: str = Field(min_length=1)
    summary_en: str = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)


class Plan(_Model):
    """A whole plan."""

    plan: PlanMeta
    units: list[ResponsibleUnit] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    goals: list[Goal] = Field(default_factory=list)
    actions: list[Action] = Field(min_length=1)

    def all_targets(self) -> list[tuple[str, Target]]:
        """Return every target with its path in the file, goals first, in file order."""
        found: list[tuple[str, Target]] = []
        for g, goal in enumerate(self.goals):
            found += [(f"goals[{g}].targets[{t}]", target) for t, target in enumerate(goal.targets)]
        for a, action in enumerate(self.actions):
            for k, task in enumerate(action.tasks):
                found += [
                    (f"actions[{a}].tasks[{k}].targets[{t}]", target) for t, target in enumerate(task.targets)
                ]
        return found

    def all_tasks(self) -> list[tuple[Action, Task]]:
        """Return every task with its action, in file order."""
        return [(action, task) for action in self.actions for task in action.tasks]


PlanDocument = dict[str, Any]
"""A plan as plain JSON-compatible data (what files and the export contain)."""
