"""User-visible labels of levers and LMDI effects (translated; the core's codes stay in English)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LEVER_LABELS: dict[str, str | Promise] = {
    "public_building_retrofit": _("Retrofits of existing public buildings"),
    "ultra_low_energy_buildings": _("Ultra-low-energy share of new buildings"),
    "data_centre_pue": _("Data-centre PUE"),
    "nev_share": _("NEV share of new and replaced vehicles"),
    "renewable_substitution": _("Renewable substitution in new buildings"),
    "rooftop_pv": _("Rooftop PV additions"),
    "waste_recovery": _("Household waste resource recovery"),
    "green_space_sink": _("Green-space carbon sink"),
}

EFFECT_LABELS: dict[str, str | Promise] = {
    "activity": _("Activity (drivers)"),
    "intensity": _("Energy per driver unit"),
    "mix": _("Energy mix"),
    "emission_factor": _("Emission factor"),
}

PEAK_TEST_LABELS: dict[str, str | Promise] = {
    "argmax": _("Highest year (argmax)"),
    "sustained_decline": _("Sustained decline"),
    "c40": _("C40 peaking criteria"),
}
"""Labels of the named peak tests (core/projection/peak.py) on the projection page."""
