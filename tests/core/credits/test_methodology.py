from datetime import date, datetime

import pytest

from carbonpeak.core.credits.methodology import (
    ActivityClaim,
    Methodology,
    MethodologyError,
    MethodologyStatus,
    ReferenceStatus,
    Refusal,
    baseline_minus_project,
    decide_credit,
    emission_reduction,
    methodology_status,
)
from carbonpeak.core.flags import Evidence


def metro(**changes) -> Methodology:
    values = dict(
        code="metro_trip_pkm",
        version="2026-12-03",
        behaviour="metro_trip",
        formula="baseline_minus_project",
        activity_unit="pkm",
        ef_baseline_kgco2e_per_unit=0.130,
        ef_project_kgco2e_per_unit=0.033,
        evidence=Evidence.SECONDARY,
        reference_status=ReferenceStatus.UNCONFIRMED,
        valid_from=date(2025, 11, 1),
        valid_to=None,
        source="test",
    )
    values.update(changes)
    return Methodology(**values)


def claim(**changes) -> ActivityClaim:
    values = dict(
        partner="metro-app",
        activity_id="a1",
        account="c1",
        methodology="metro_trip_pkm",
        quantity=10.0,
        unit="pkm",
        occurred_at=datetime(2026, 10, 3, 8, 15),
    )
    values.update(changes)
    return ActivityClaim(**values)


def test_hand_worked_metro_reduction():
    # 10 pkm by metro instead of the motorised baseline: (0.130 - 0.033) x 10 = 0.97 kgCO2e
    assert baseline_minus_project(metro(), 10.0) == pytest.approx(0.97)
    assert metro().credit_kgco2e_per_unit == pytest.approx(0.097)
    decision = decide_credit(claim(), metro(), status=MethodologyStatus.APPROVED, assigned=True)
    assert decision.credited
    assert decision.credit_gco2e == 970


def test_unknown_formula_is_refused():
    with pytest.raises(MethodologyError, match="unknown formula 'magic'"):
        emission_reduction("magic", metro(), 1.0)


def test_missing_factor_cannot_compute_or_be_approved():
    ev = metro(ef_baseline_kgco2e_per_unit=None, ef_project_kgco2e_per_unit=None, evidence=Evidence.NOT_FOUND)
    assert ev.credit_kgco2e_per_unit is None
    with pytest.raises(MethodologyError, match="not known"):
        baseline_minus_project(ev, 1.0)
    assert methodology_status(ev, approved=True) is MethodologyStatus.UNCONFIRMED


def test_status_needs_approval_unless_published():
    assert methodology_status(metro(), approved=False) is MethodologyStatus.UNCONFIRMED
    assert methodology_status(metro(), approved=True) is MethodologyStatus.APPROVED
    published = metro(reference_status=ReferenceStatus.PUBLISHED, evidence=Evidence.VERIFIED)
    assert methodology_status(published, approved=False) is MethodologyStatus.APPROVED


@pytest.mark.parametrize(
    ("changes", "kwargs", "refusal"),
    [
        ({"claimed_elsewhere": "CCER"}, {}, Refusal.CLAIMED_ELSEWHERE),
        ({}, {"excluded_reason": "ETS-covered fleet"}, Refusal.EXCLUDED),
        ({}, {"assigned": False}, Refusal.NOT_ASSIGNED),
        ({"unit": "km"}, {}, Refusal.UNIT_MISMATCH),
        ({"occurred_at": datetime(2025, 10, 31)}, {}, Refusal.OUTSIDE_VALIDITY),
        ({}, {"status": MethodologyStatus.UNCONFIRMED}, Refusal.METHODOLOGY_UNCONFIRMED),
    ],
)
def test_refusals_earn_nothing_and_say_why(changes, kwargs, refusal):
    options = {"status": MethodologyStatus.APPROVED, "assigned": True, **kwargs}
    decision = decide_credit(claim(**changes), metro(), **options)
    assert decision.refusal is refusal
    assert decision.credit_gco2e == 0
    assert decision.reason


def test_ccer_reason_cites_article_3():
    decision = decide_credit(
        claim(claimed_elsewhere="CCER"), metro(), status=MethodologyStatus.APPROVED, assigned=True
    )
    assert "CCER" in decision.reason
    assert "Art. 3" in decision.reason


def test_unknown_methodology():
    decision = decide_credit(claim(), None, status=MethodologyStatus.APPROVED, assigned=True)
    assert decision.refusal is Refusal.UNKNOWN_METHODOLOGY


def test_round_trips():
    m = metro()
    assert Methodology.from_dict(m.to_dict()) == m
    d = decide_credit(claim(), m, status=MethodologyStatus.APPROVED, assigned=True)
    assert type(d).from_dict(d.to_dict()) == d
