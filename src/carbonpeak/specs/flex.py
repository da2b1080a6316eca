"""Schemas of the demand-response reference tables: baseline rule sets, settlement rules, time-of-use tariffs.

Registered as table kinds ``dr_baseline_rules``, ``dr_settlement_rules`` and ``tou_tariffs`` in
:mod:`carbonpeak.specs.reference`, so ``carbonpeak data validate`` checks them row by row. A rule tagged
``X`` (no text found) keeps its formula or numbers empty: the platform never invents one.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carbonpeak.core.flags import Evidence
from carbonpeak.core.flex.baselines import BaselineRule
from carbonpeak.core.flex.dispatch import TariffPeriod
from carbonpeak.core.flex.settlement import SettlementRule

_ID = r"^[a-z0-9][a-z0-9_.-]*$"
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class _Row(BaseModel):
    """Columns every reference row has (as in :mod:`carbonpeak.specs.reference`; here to avoid a cycle)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    source: str = Field(min_length=1, description="Title of the source document")
    document_no: str = ""
    published: str = ""
    evidence: Evidence
    note: str = ""

    @field_validator("published")
    @classmethod
    def _published_format(cls, value: str) -> str:
        if value and not _PUBLISHED.match(value):
            raise ValueError("must be YYYY, YYYY-MM or YYYY-MM-DD")
        return value


class DrBaselineRuleRow(_Row):
    """Schema of ``flex/baseline_rules.csv``: one published customer-baseline rule set per row."""

    rule_id: str = Field(pattern=_ID)
    region: str = Field(min_length=2)
    day_type: Literal["workday", "non_workday"]
    method: Literal["", "x_of_y", "match_day", "regression"] = ""
    days: int | None = Field(default=None, ge=1, le=60)
    highest: int | None = Field(default=None, ge=1, le=60)
    lookback_days: int | None = Field(default=None, ge=1, le=400)
    skip_days: int | None = Field(default=None, ge=0, le=30)
    adjustment: Literal["", "none", "multiplicative", "additive"] = Field(
        default="", description="Day-of adjustment; empty when the rule's adjustment is not known"
    )
    window_start_h_before: float | None = Field(default=None, gt=0, le=24)
    window_end_h_before: float | None = Field(default=None, ge=0, le=24)
    adjustment_cap: float | None = Field(default=None, gt=0, le=1)

    _blank = field_validator(
        "days",
        "highest",
        "lookback_days",
        "window_start_h_before",
        "window_end_h_before",
        "adjustment_cap",
        "skip_days",
        mode="before",
    )(_blank_to_none)

    @model_validator(mode="after")
    def _formula_matches_evidence(self) -> DrBaselineRuleRow:
        numbers = (self.days, self.highest, self.lookback_days, self.adjustment_cap)
        if self.evidence is Evidence.NOT_FOUND:
            if self.method or any(v is not None for v in numbers):
                raise ValueError("method: evidence X (not found) requires an empty formula; never invent one")
            return self
        if not self.method:
            raise ValueError("method: is empty; a rule with no known formula must be tagged evidence X")
        if self.days is None:
            raise ValueError("days: is required for a rule with a method")
        if self.highest is not None and self.highest > self.days:
            raise ValueError("highest: is more than days")
        starts, ends = self.window_start_h_before, self.window_end_h_before
        if (starts is None) != (ends is None):
            raise ValueError("window_end_h_before: give both ends of the adjustment window or neither")
        if starts is not None and ends is not None and ends >= starts:
            raise ValueError("window_end_h_before: the window must end closer to the event than it starts")
        return self

    def to_record(self) -> BaselineRule:
        """Return the core record."""
        return BaselineRule(
            rule_id=self.rule_id,
            region=self.region,
            day_type=self.day_type,
            method=self.method or None,
            days=self.days,
            highest=self.highest,
            lookback_days=self.lookback_days,
            skip_days=self.skip_days or 0,
            adjustment=self.adjustment or None,
            window_start_h_before=self.window_start_h_before,
            window_end_h_before=self.window_end_h_before,
            adjustment_cap=self.adjustment_cap,
            source=self.source,
            evidence=self.evidence.value,
            note=self.note,
        )


class DrSettlementRuleRow(_Row):
    """Schema of ``flex/settlement_rules.csv``: how delivered response is paid, by response-rate band."""

    rule_id: str = Field(pattern=_ID)
    region: str = Field(min_length=2)
    lower_rate: float | None = Field(default=None, ge=0, le=1)
    upper_rate: float | None = Field(default=None, ge=1, le=10)
    below_lower: Literal["", "no_payment", "penalty"] = ""
    penalty_factor: float | None = Field(default=None, ge=0, le=10)
    above_upper: Literal["", "pay_to_upper", "pay_all"] = ""

    _blank = field_validator("lower_rate", "upper_rate", "penalty_factor", mode="before")(_blank_to_none)

    @model_validator(mode="after")
    def _numbers_match_evidence(self) -> DrSettlementRuleRow:
        if self.evidence is Evidence.NOT_FOUND:
            if self.lower_rate is not None or self.upper_rate is not None or self.penalty_factor is not None:
                raise ValueError(
                    "lower_rate: evidence X (not found) requires empty values; never invent a number"
                )
            return self
        if self.lower_rate is None or not self.below_lower or not self.above_upper:
            raise ValueError("lower_rate: a rule with evidence needs lower_rate, below_lower and above_upper")
        if self.below_lower == "penalty" and self.penalty_factor is None:
            raise ValueError("penalty_factor: is required when below_lower is penalty")
        return self

    def to_record(self) -> SettlementRule:
        """Return the core record."""
        return SettlementRule(
            rule_id=self.rule_id,
            lower_rate=self.lower_rate,
            upper_rate=self.upper_rate,
            below_lower=self.below_lower or None,
            penalty_factor=self.penalty_factor,
            above_upper=self.above_upper or None,
            source=self.source,
            evidence=self.evidence.value,
        )


class TouTariffRow(_Row):
    """Schema of ``flex/tou_tariffs.csv``: one time-of-use period of a tariff per row.

    ``evidence`` is the period's (its clock times); ``price_evidence`` is the price's, which stays empty
    when tagged X.
    """

    period_id: str = Field(pattern=_ID)
    tariff_id: str = Field(pattern=_ID)
    region: str = Field(min_length=2)
    customer_class: str = Field(min_length=1)
    months: str = Field(
        pattern=r"^(1[0-2]|[1-9])-(1[0-2]|[1-9])$", description="Month range, e.g. 1-12 or 7-9"
    )
    period: Literal["sharp", "peak", "flat", "valley"]
    start: str
    end: str
    price_yuan_per_kwh: float | None = Field(default=None, gt=0, lt=10)
    price_evidence: Evidence

    _blank = field_validator("price_yuan_per_kwh", mode="before")(_blank_to_none)

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f"'{value}' is not a clock time HH:MM (00:00 to 24:00)")
        return value

    @model_validator(mode="after")
    def _price_matches_evidence(self) -> TouTariffRow:
        if self.price_evidence is Evidence.NOT_FOUND and self.price_yuan_per_kwh is not None:
            raise ValueError("price_yuan_per_kwh: price evidence X requires an empty price; never invent one")
        if self.price_evidence is not Evidence.NOT_FOUND and self.price_yuan_per_kwh is None:
            raise ValueError("price_yuan_per_kwh: is empty; an unknown price must be tagged price_evidence X")
        if self.start >= self.end:
            raise ValueError("end: must be after start (split a period that crosses midnight in two)")
        first, last = (int(m) for m in self.months.split("-"))
        if first > last:
            raise ValueError("months: the range must not wrap the year end (use two rows)")
        return self

    def to_record(self) -> TariffPeriod:
        """Return the core record."""
        first, last = (int(m) for m in self.months.split("-"))
        return TariffPeriod(
            tariff_id=self.tariff_id,
            period=self.period,
            month_from=first,
            month_to=last,
            start=self.start,
            end=self.end,
            price_yuan_per_kwh=self.price_yuan_per_kwh,
            evidence=self.evidence.value,
            price_evidence=self.price_evidence.value,
        )
