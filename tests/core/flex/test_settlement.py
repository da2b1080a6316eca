"""Settlement: delivered reduction, response rate and payment by band."""

from __future__ import annotations

import pytest

from carbonpeak.core.flex import FlexInputError
from carbonpeak.core.flex.settlement import Settlement, SettlementRule, delivered, settle, statement

BAND = SettlementRule("test-80-120", 0.8, 1.2, "penalty", 1.0, "pay_to_upper", "test rule", "R")


def test_delivered_per_interval_and_event() -> None:
    out = delivered([100.0, 100.0], [80.0, 70.0], interval_h=1.0)
    assert out.delivered_kw == (20.0, 30.0)
    assert out.delivered_kwh == 50.0
    assert out.average_kw == 25.0
    missing = delivered([100.0, 100.0], [80.0, None], interval_h=0.25)
    assert missing.delivered_kwh is None
    assert missing.missing_intervals == 1


@pytest.mark.parametrize(
    ("delivered_kwh", "band", "payment", "penalty"),
    [
        (200.0, "within", 200 * 2.0, 0.0),  # 100 kW average of 100 requested: rate 1.0
        (160.0, "within", 160 * 2.0, 0.0),  # rate 0.8: the edge is paid
        (100.0, "below", 0.0, (0.8 * 200 - 100) * 2.0),  # rate 0.5: shortfall to 80 % charged at price
        (300.0, "above", 1.2 * 200 * 2.0, 0.0),  # rate 1.5: paid to 120 %
    ],
)
def test_payment_by_band(delivered_kwh: float, band: str, payment: float, penalty: float) -> None:
    out = settle(
        name="r1",
        requested_kw=100,
        duration_h=2,
        delivered_kwh=delivered_kwh,
        price=2.0,
        price_basis="yuan_per_kwh",
        rule=BAND,
    )
    assert out.band == band
    assert out.response_rate == pytest.approx(delivered_kwh / 200)
    assert out.payment_yuan == pytest.approx(payment)
    assert out.penalty_yuan == pytest.approx(penalty)
    assert out.net_yuan == pytest.approx(payment - penalty)
    assert Settlement.from_dict(out.to_dict()) == out


def test_per_kw_price_pays_average_power() -> None:
    out = settle(
        name="r1",
        requested_kw=100,
        duration_h=2,
        delivered_kwh=180,
        price=5.0,
        price_basis="yuan_per_kw",
        rule=BAND,
    )
    assert out.paid_quantity == pytest.approx(90.0)
    assert out.payment_yuan == pytest.approx(450.0)


def test_unknown_delivery_and_unknown_rule() -> None:
    out = settle(
        name="r1",
        requested_kw=10,
        duration_h=1,
        delivered_kwh=None,
        price=1,
        price_basis="yuan_per_kwh",
        rule=BAND,
    )
    assert out.band == "unknown"
    assert out.payment_yuan is None
    x_rule = SettlementRule("shanghai", None, None, None, None, None, "none found", "X")
    with pytest.raises(FlexInputError, match="no known band"):
        settle(
            name="r",
            requested_kw=1,
            duration_h=1,
            delivered_kwh=1,
            price=1,
            price_basis="yuan_per_kwh",
            rule=x_rule,
        )
    with pytest.raises(FlexInputError, match="price basis"):
        settle(name="r", requested_kw=1, duration_h=1, delivered_kwh=1, price=1, price_basis="usd", rule=BAND)


def test_statement_totals() -> None:
    lines = [
        settle(
            name=f"r{i}",
            requested_kw=100,
            duration_h=2,
            delivered_kwh=d,
            price=2.0,
            price_basis="yuan_per_kwh",
            rule=BAND,
        )
        for i, d in enumerate([200.0, 100.0])
    ]
    total = statement("agg", lines)
    assert total.delivered_kwh == 300.0
    assert total.net_yuan == pytest.approx(400 - 120)
    assert (
        statement(
            "agg",
            [
                *lines,
                settle(
                    name="x",
                    requested_kw=1,
                    duration_h=1,
                    delivered_kwh=None,
                    price=1,
                    price_basis="yuan_per_kwh",
                    rule=BAND,
                ),
            ],
        ).net_yuan
        is None
    )
