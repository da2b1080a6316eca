"""Performance and settlement of a demand-response event: delivered reduction, response rate, payment.

* Delivered reduction per interval = baseline − actual [kW]; per event, the sum times the interval [kWh].
* Delivered average power = delivered energy ÷ event duration [kW] (Jiangsu 2015 [S]).
* Response rate = delivered average power ÷ requested power [-].
* Payment follows a :class:`SettlementRule` (reference data ``flex/settlement_rules.csv``, or the event's
  own rule): below ``lower_rate`` nothing is paid (and, with ``penalty``, the shortfall to the lower band is
  charged at ``penalty_factor`` × price); within the band the delivered response is paid at the event price;
  above ``upper_rate`` only up to the upper band (``pay_to_upper``) or all of it (``pay_all``).
  The price is per kWh delivered (``yuan_per_kwh``) or per kW of average delivered power (``yuan_per_kw``).

Missing data is never read as zero: an event with an unknown delivered energy is not settled (flagged).

References
----------
.. [1] FACTS.md §9: Jiangsu 2015, reduction = (baseline kWh − actual kWh) / duration [S].
.. [2] 国家发展改革委 等, 电力需求侧管理办法 (2023 年版): demand response paid by effective response
   (the band numbers of any one province are event data, not code).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from carbonpeak.core.flex import FlexInputError

PriceBasis = Literal["yuan_per_kwh", "yuan_per_kw"]
Band = Literal["below", "within", "above", "unknown"]
PRICE_BASES: tuple[str, ...] = ("yuan_per_kwh", "yuan_per_kw")


@dataclass(frozen=True, slots=True)
class SettlementRule:
    """A payment rule by response-rate band (see the module docstring).

    Attributes
    ----------
    rule_id : str
        Identifier (the reference table's key, or ``event`` for an event's own rule).
    lower_rate : float or None
        Lowest response rate that is paid [-], e.g. 0.8; ``None`` when the rule's numbers are unknown (X).
    upper_rate : float or None
        Response rate above which nothing more is paid under ``pay_to_upper`` [-]; ``None`` = no upper band.
    below_lower : str or None
        ``no_payment`` or ``penalty``.
    penalty_factor : float or None
        Penalty price as a multiple of the event price [-].
    above_upper : str or None
        ``pay_to_upper`` or ``pay_all``.
    source, evidence : str
        Where the rule comes from and its evidence tag (V/S/R/X).
    """

    rule_id: str
    lower_rate: float | None
    upper_rate: float | None
    below_lower: str | None
    penalty_factor: float | None
    above_upper: str | None
    source: str
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SettlementRule:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Delivery:
    """Delivered reduction over an event's intervals.

    Attributes
    ----------
    delivered_kw : tuple of float or None
        baseline − actual per interval [kW]; ``None`` where either is missing.
    delivered_kwh : float or None
        Over the event [kWh]; ``None`` when any interval is missing.
    duration_h : float
        Event duration [h].
    missing_intervals : int
        Intervals without a baseline or an actual value.
    """

    delivered_kw: tuple[float | None, ...]
    delivered_kwh: float | None
    duration_h: float
    missing_intervals: int

    @property
    def average_kw(self) -> float | None:
        """Delivered average power [kW]."""
        return None if self.delivered_kwh is None else self.delivered_kwh / self.duration_h


def delivered(
    baseline_kw: Sequence[float | None], actual_kw: Sequence[float | None], *, interval_h: float
) -> Delivery:
    """Delivered reduction per interval and per event.

    Parameters
    ----------
    baseline_kw, actual_kw : sequence of float or None
        Baseline and metered load per event interval [kW]; ``None`` or NaN for missing.
    interval_h : float
        Interval length [h].

    Returns
    -------
    Delivery
    """
    if len(baseline_kw) != len(actual_kw) or not baseline_kw:
        raise FlexInputError("baseline and actual must cover the same, non-empty set of intervals")
    if not interval_h > 0:
        raise FlexInputError("the interval length must be positive")
    out: list[float | None] = []
    for base, act in zip(baseline_kw, actual_kw, strict=True):
        if base is None or act is None or not np.isfinite(base) or not np.isfinite(act):
            out.append(None)
        else:
            out.append(float(base) - float(act))
    missing = sum(v is None for v in out)
    total = None if missing else float(sum(v for v in out if v is not None) * interval_h)
    return Delivery(tuple(out), total, float(len(out) * interval_h), missing)


@dataclass(frozen=True, slots=True)
class Settlement:
    """One resource's (or aggregator's) settlement of one event.

    Attributes
    ----------
    name : str
        Resource or aggregator code.
    requested_kw : float
        Requested reduction [kW].
    duration_h : float
        Event duration [h].
    delivered_kwh : float or None
        Delivered energy reduction [kWh].
    delivered_kw : float or None
        Delivered average power [kW].
    response_rate : float or None
        Delivered ÷ requested [-].
    band : str
        ``below``, ``within`` or ``above`` the rule's band, or ``unknown`` (no delivered value).
    price : float
        Event price [元/kWh or 元/kW].
    price_basis : str
        ``yuan_per_kwh`` or ``yuan_per_kw``.
    paid_quantity : float or None
        kWh or kW paid for.
    payment_yuan, penalty_yuan, net_yuan : float or None
        Payment, penalty and payment − penalty [元].
    rule_id, rule_evidence : str
        The rule applied and its evidence tag.
    flags : tuple of str
        Why a value is missing.
    """

    name: str
    requested_kw: float
    duration_h: float
    delivered_kwh: float | None
    delivered_kw: float | None
    response_rate: float | None
    band: Band
    price: float
    price_basis: str
    paid_quantity: float | None
    payment_yuan: float | None
    penalty_yuan: float | None
    net_yuan: float | None
    rule_id: str
    rule_evidence: str
    flags: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["flags"] = list(self.flags)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settlement:
        """Inverse of :meth:`to_dict`."""
        values = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        values["flags"] = tuple(data.get("flags", ()))
        return cls(**values)


def settle(
    *,
    name: str,
    requested_kw: float,
    duration_h: float,
    delivered_kwh: float | None,
    price: float,
    price_basis: str,
    rule: SettlementRule,
) -> Settlement:
    """Settle one event for one resource or aggregator.

    Parameters
    ----------
    name : str
        Resource or aggregator code (for the statement).
    requested_kw : float
        Requested reduction [kW], positive.
    duration_h : float
        Event duration [h], positive.
    delivered_kwh : float or None
        Delivered reduction [kWh]; ``None`` when unknown (then nothing is settled and a flag says why).
    price : float
        Event price [元/kWh or 元/kW], non-negative.
    price_basis : str
        ``yuan_per_kwh`` or ``yuan_per_kw``.
    rule : SettlementRule
        The payment rule; one with unknown numbers (evidence X) is refused.

    Returns
    -------
    Settlement

    References
    ----------
    .. [1] FACTS.md §9 (Jiangsu 2015: average reduction over the response window [S]).
    """
    if price_basis not in PRICE_BASES:
        raise FlexInputError(f"unknown price basis '{price_basis}'; known: {', '.join(PRICE_BASES)}")
    for label, value in (("requested_kw", requested_kw), ("duration_h", duration_h)):
        if not np.isfinite(value) or value <= 0:
            raise FlexInputError(f"{label} must be a positive number, got {value}")
    if not np.isfinite(price) or price < 0:
        raise FlexInputError(f"price must be a non-negative number, got {price}")
    if rule.lower_rate is None or rule.below_lower is None or rule.above_upper is None:
        raise FlexInputError(
            f"settlement rule '{rule.rule_id}' has no known band (evidence {rule.evidence}); "
            "give the event its own rule from the event notice"
        )
    common = {
        "name": name,
        "requested_kw": float(requested_kw),
        "duration_h": float(duration_h),
        "price": float(price),
        "price_basis": price_basis,
        "rule_id": rule.rule_id,
        "rule_evidence": rule.evidence,
    }
    if delivered_kwh is None or not np.isfinite(delivered_kwh):
        return Settlement(
            **common,  # type: ignore[arg-type]
            delivered_kwh=None,
            delivered_kw=None,
            response_rate=None,
            band="unknown",
            paid_quantity=None,
            payment_yuan=None,
            penalty_yuan=None,
            net_yuan=None,
            flags=("delivered energy unknown (missing readings): not settled",),
        )
    average_kw = delivered_kwh / duration_h
    rate = average_kw / requested_kw
    per_kwh = price_basis == "yuan_per_kwh"
    requested_q = requested_kw * duration_h if per_kwh else requested_kw
    delivered_q = delivered_kwh if per_kwh else average_kw
    penalty = 0.0
    if rate < rule.lower_rate:
        band: Band = "below"
        paid = 0.0
        if rule.below_lower == "penalty":
            shortfall = rule.lower_rate * requested_q - delivered_q
            penalty = (rule.penalty_factor or 0.0) * price * shortfall
    elif rule.upper_rate is not None and rate > rule.upper_rate:
        band = "above"
        paid = rule.upper_rate * requested_q if rule.above_upper == "pay_to_upper" else delivered_q
    else:
        band = "within"
        paid = delivered_q
    payment = price * paid
    return Settlement(
        **common,  # type: ignore[arg-type]
        delivered_kwh=float(delivered_kwh),
        delivered_kw=float(average_kw),
        response_rate=float(rate),
        band=band,
        paid_quantity=float(paid),
        payment_yuan=float(payment),
        penalty_yuan=float(penalty),
        net_yuan=float(payment - penalty),
    )


@dataclass(frozen=True, slots=True)
class Statement:
    """An aggregator's statement: its resources' settlements and their totals [kWh, 元]."""

    aggregator: str
    lines: tuple[Settlement, ...]
    requested_kw: float
    delivered_kwh: float | None
    payment_yuan: float | None
    penalty_yuan: float | None
    net_yuan: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["lines"] = [line.to_dict() for line in self.lines]
        return data


def statement(aggregator: str, lines: Iterable[Settlement]) -> Statement:
    """Total an aggregator's resource settlements; a total is ``None`` when any line's value is unknown."""
    items = tuple(lines)

    def total(values: list[float | None]) -> float | None:
        return None if any(v is None for v in values) else float(sum(v for v in values if v is not None))

    return Statement(
        aggregator,
        items,
        float(sum(i.requested_kw for i in items)),
        total([i.delivered_kwh for i in items]),
        total([i.payment_yuan for i in items]),
        total([i.penalty_yuan for i in items]),
        total([i.net_yuan for i in items]),
    )
