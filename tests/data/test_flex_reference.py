"""The packaged demand-response rule sets and tariffs: evidence rules and their core records."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

import carbonpeak.data
from carbonpeak.core.flex.baselines import BaselineRule
from carbonpeak.io.reference import read_reference_data
from carbonpeak.specs.flex import DrBaselineRuleRow, DrSettlementRuleRow, TouTariffRow

DATA = Path(carbonpeak.data.__file__).parent
COMMON = {"source": "s", "evidence": "V"}


def _records(kind: str) -> list[object]:
    data = read_reference_data(DATA)
    assert data.ok, data.issues
    return next(t.records for t in data.tables if t.entry.kind == kind)


def test_shanghai_baseline_has_no_formula_and_the_rest_have_one() -> None:
    rules = {r.rule_id: r for r in _records("dr_baseline_rules") if isinstance(r, BaselineRule)}
    assert rules["shanghai"].method is None
    assert rules["shanghai"].evidence == "X"
    assert rules["caiso-10-in-10"].evidence == "R"
    assert rules["pge-residential-5-of-10"].evidence == "V"
    assert rules["beijing-5-of-10"].evidence == "S"
    assert rules["beijing-5-of-10"].skip_days == 1
    assert rules["jiangsu-2015-5-workdays"].evidence == "S"
    assert all(r.method for k, r in rules.items() if k != "shanghai")


def test_x_rows_refuse_numbers() -> None:
    row = {"rule_id": "x", "region": "CN-SH", "day_type": "workday", "source": "s", "evidence": "X"}
    with pytest.raises(ValidationError, match="never invent"):
        DrBaselineRuleRow.model_validate({**row, "method": "x_of_y", "days": "10"})
    with pytest.raises(ValidationError, match="must be tagged evidence X"):
        DrBaselineRuleRow.model_validate({**row, "evidence": "R"})
    with pytest.raises(ValidationError, match="never invent"):
        DrSettlementRuleRow.model_validate(
            {"rule_id": "x", "region": "CN", "lower_rate": "0.8", "source": "s", "evidence": "X"}
        )


def test_tariff_prices_are_empty_when_unknown() -> None:
    periods = _records("tou_tariffs")
    assert periods
    assert all(p.price_yuan_per_kwh is None for p in periods)
    base = {
        "period_id": "p",
        "tariff_id": "t",
        "region": "CN-SH",
        "customer_class": "c",
        "months": "1-12",
        "period": "peak",
        "start": "08:00",
        "end": "11:00",
        **COMMON,
    }
    with pytest.raises(ValidationError, match="never invent"):
        TouTariffRow.model_validate({**base, "price_evidence": "X", "price_yuan_per_kwh": "1.2"})
    with pytest.raises(ValidationError, match="must be after start"):
        TouTariffRow.model_validate({**base, "price_evidence": "X", "start": "22:00", "end": "06:00"})
