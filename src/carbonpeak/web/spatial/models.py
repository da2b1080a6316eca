"""Map features (GeoJSON text in WGS 84), the vehicle registry and the resident population series."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carbonpeak.core.fleets import Fuel, VehicleCategory
from carbonpeak.core.spatial.features import LayerKind

LAYER_LABELS = {
    LayerKind.PARKS: _("Parks and green spaces"),
    LayerKind.GREENWAYS: _("Greenways"),
    LayerKind.VERTICAL_GREENING: _("Vertical greening"),
    LayerKind.RESIDENTIAL: _("Residential land"),
    LayerKind.RAIL_STATIONS: _("Rail stations"),
    LayerKind.BUS_STOPS: _("Bus stops"),
    LayerKind.SUBAREA_BOUNDARY: _("Sub-area boundaries"),
    LayerKind.PATHS: _("Walking paths"),
}
CATEGORY_LABELS = {
    VehicleCategory.BUS: _("Bus"),
    VehicleCategory.CRUISING_TAXI: _("Cruising taxi"),
    VehicleCategory.PUBLIC_SECTOR: _("Public sector"),
    VehicleCategory.SANITATION: _("Sanitation"),
    VehicleCategory.LOGISTICS: _("Logistics"),
}
FUEL_LABELS = {
    Fuel.BEV: _("Battery electric (BEV)"),
    Fuel.PHEV: _("Plug-in hybrid (PHEV)"),
    Fuel.FCEV: _("Fuel cell (FCEV)"),
    Fuel.ICE: _("Internal combustion (ICE)"),
}


class MapFeature(models.Model):
    """One feature of a map layer; its geometry is GeoJSON text in WGS 84 lon/lat (RFC 7946)."""

    layer = models.CharField(max_length=32, choices=[(k.value, v) for k, v in LAYER_LABELS.items()])
    feature_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200, blank=True)
    geometry = models.TextField(help_text="GeoJSON geometry, WGS 84 lon/lat")
    properties = models.JSONField(default=dict, blank=True)
    opened = models.DateField(null=True, blank=True)
    source_file = models.CharField(max_length=255, blank=True)
    synthetic = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["layer", "feature_id"]
        constraints = [models.UniqueConstraint(fields=["layer", "feature_id"], name="spatial_feature_unique")]

    def __str__(self) -> str:
        return f"{self.layer} {self.feature_id}"


class Vehicle(models.Model):
    """A registered vehicle: operator, category, fuel and service dates."""

    vehicle_id = models.CharField(max_length=64, unique=True)
    operator = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=[(k.value, v) for k, v in CATEGORY_LABELS.items()])
    fuel = models.CharField(max_length=8, choices=[(k.value, v) for k, v in FUEL_LABELS.items()])
    in_service = models.DateField()
    out_of_service = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["vehicle_id"]

    def __str__(self) -> str:
        return self.vehicle_id


class PopulationStat(models.Model):
    """Resident population (常住人口) of the district at the end of a year: the denominator of per-capita
    park green area."""

    year = models.PositiveSmallIntegerField(unique=True)
    population = models.FloatField()
    source = models.CharField(max_length=300)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.population:,.0f}"
