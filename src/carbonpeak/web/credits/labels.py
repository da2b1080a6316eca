"""Translatable labels of the credits app's codes (no raw codes on pages)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BEHAVIOURS: dict[str, str | Promise] = {
    "metro_trip": _("Metro trip"),
    "bus_trip": _("Bus trip"),
    "ev_charging": _("EV charging at community chargers"),
    "recyclables": _("Recyclables handed in"),
    "shared_bike": _("Shared bike ride"),
    "second_hand": _("Second-hand trade"),
}

REFUSALS: dict[str, str | Promise] = {
    "claimed_elsewhere": _("Already claimed under the ETS or CCER (沪环规〔2025〕10号 Art. 3)"),
    "excluded": _("On the exclusion list"),
    "unknown_methodology": _("Unknown methodology"),
    "not_assigned": _("Methodology not assigned to this partner"),
    "unit_mismatch": _("Unit is not the methodology's unit"),
    "outside_validity": _("Outside the methodology's validity dates"),
    "methodology_unconfirmed": _("Held: the methodology awaits the office's approval"),
}

OPERATIONS: dict[str, str | Promise] = {
    "issue": _("issue"),
    "transfer": _("transfer"),
    "redeem": _("redeem"),
    "expire": _("expire"),
    "reverse": _("reverse"),
}

STATUSES: dict[str, str | Promise] = {
    "approved": _("approved"),
    "unconfirmed": _("unconfirmed"),
}

EVIDENCE: dict[str, str | Promise] = {
    "V": _("verified"),
    "S": _("secondary"),
    "R": _("recalled, to be confirmed"),
    "X": _("not found"),
}

UNITS: dict[str, str | Promise] = {
    "pkm": _("passenger-km"),
    "trip": _("trip"),
    "kWh": "kWh",
    "kg": "kg",
    "item": _("item"),
}
