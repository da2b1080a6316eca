"""SYNTHETIC carbon-credit activities for the demo district: one month from two synthetic partners.

Nothing here is an observation. The partners are a synthetic recycling app (recyclables, second-hand trade
and, as Shanghai's 碳普惠 apps do, a green-travel feature: metro and bus trips) and a synthetic community
charging operator. Citizens are random pseudonyms. A few activities are flagged as already claimed under
the CCER, so the refusal list is not empty. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from carbonpeak.core.credits.methodology import ActivityClaim

DEMO_MONTH = (2026, 11)
"""The synthetic month (after 沪环规〔2025〕10号 came into force on 2025-11-01)."""


@dataclass(frozen=True)
class DemoPartner:
    """A synthetic partner and the methodologies assigned to it."""

    code: str
    name: str
    methodologies: tuple[str, ...]


RECYCLING_APP = DemoPartner(
    "demo-recycling-app",
    "示例回收小程序 (synthetic)",
    ("recyclables_handed_in", "second_hand_trade", "metro_trip_pkm", "bus_trip_pkm"),
)
CHARGING_OPERATOR = DemoPartner(
    "demo-charging-operator", "示例社区充电运营商 (synthetic)", ("ev_charging_community",)
)
PARTNERS = (RECYCLING_APP, CHARGING_OPERATOR)

_KINDS = {
    # methodology: (unit, low, high, share of the partner's activities)
    "recyclables_handed_in": ("kg", 0.5, 12.0, 0.45),
    "second_hand_trade": ("item", 1.0, 3.0, 0.05),
    "metro_trip_pkm": ("pkm", 2.0, 25.0, 0.30),
    "bus_trip_pkm": ("pkm", 1.0, 12.0, 0.20),
    "ev_charging_community": ("kWh", 5.0, 45.0, 1.0),
}


def demo_activities(
    *, seed: int, citizens: int = 300, per_partner: int = 1200
) -> dict[str, list[ActivityClaim]]:
    """SYNTHETIC activities of one month by partner code (about 1 in 100 flagged as claimed under CCER)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    pseudonyms = [f"demo-{rng.getrandbits(40):010x}" for _ in range(citizens)]
    year, month = DEMO_MONTH
    start = datetime(year, month, 1)
    result: dict[str, list[ActivityClaim]] = {}
    for partner in PARTNERS:
        codes = list(partner.methodologies)
        weights = [_KINDS[c][3] for c in codes]
        claims = []
        for n in range(per_partner):
            code = rng.choices(codes, weights)[0]
            unit, low, high, _share = _KINDS[code]
            quantity = round(rng.uniform(low, high), 1) if unit != "item" else float(rng.randint(1, 3))
            moment = start + timedelta(minutes=rng.randrange(30 * 24 * 60))
            claimed = "CCER" if rng.random() < 0.01 else ""
            claims.append(
                ActivityClaim(
                    partner.code,
                    f"{partner.code}-{year}{month:02d}-{n:05d}",
                    rng.choice(pseudonyms),
                    code,
                    quantity,
                    unit,
                    moment,
                    claimed,
                )
            )
        result[partner.code] = claims
    return result
