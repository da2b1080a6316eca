"""PV installations and EV charging sites (chargers counted per site by kind: fast and slow)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carbonpeak.web.buildings.models import Building


class PvInstallation(models.Model):
    """A PV installation: on a building, or on a site that is not in the building registry."""

    KINDS = [
        ("rooftop", _("rooftop")),
        ("bipv", _("BIPV")),
        ("facade", _("façade")),
        ("carport", _("carport")),
    ]
    code = models.CharField(_("id"), max_length=64, unique=True)
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="pv_installations"
    )
    capacity_kwp = models.FloatField(_("capacity kWp"))
    kind = models.CharField(_("type"), max_length=10, choices=KINDS)
    commissioned = models.DateField(_("commissioned"))
    storage_kwh = models.FloatField(_("storage kWh"), default=0.0)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("PV installation")
        verbose_name_plural = _("PV installations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.capacity_kwp} kWp"


class ChargingSite(models.Model):
    """A charging site with its chargers counted by kind (fast DC and slow AC), each kind at one power."""

    KINDS = [
        ("office", _("office")),
        ("public_facility", _("public facility")),
        ("parking_lot", _("parking lot")),
        ("residential", _("residential")),
        ("taxi_station", _("taxi demonstration station")),
        ("other", _("other")),
    ]
    ACCESS = [("public", _("public")), ("dedicated", _("dedicated"))]
    code = models.CharField(_("id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="charging_sites"
    )
    parking_lot = models.CharField(_("parking lot"), max_length=200, blank=True)
    site_kind = models.CharField(_("kind of site"), max_length=20, choices=KINDS)
    access = models.CharField(_("public or dedicated"), max_length=10, choices=ACCESS)
    parking_spaces = models.PositiveIntegerField(_("parking spaces"), default=0)
    ready_spaces = models.PositiveIntegerField(
        _("spaces ready for chargers"),
        null=True,
        blank=True,
        help_text=_(
            "Parking spaces without a charger whose conduits and power capacity are reserved for one; "
            "empty when not recorded."
        ),
    )
    fast_count = models.PositiveIntegerField(_("fast chargers"), default=0)
    slow_count = models.PositiveIntegerField(_("slow chargers"), default=0)
    fast_kw = models.FloatField(_("kW per fast charger"), null=True, blank=True)
    slow_kw = models.FloatField(_("kW per slow charger"), null=True, blank=True)
    commissioned = models.DateField(_("commissioned"))
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("charging site")
        verbose_name_plural = _("charging sites")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def chargers(self) -> int:
        """Number of chargers (fast and slow)."""
        return self.fast_count + self.slow_count
