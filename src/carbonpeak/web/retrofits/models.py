"""Retrofit projects (M&V), their evidence, non-routine events and results; hourly temperatures; occupants.

A project's savings are computed by :mod:`carbonpeak.core.mv` from its measured meters' rollups and a
weather station's hourly temperatures, and stored as the JSON of :class:`carbonpeak.core.mv.SavingsResult`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carbonpeak.web.buildings.models import Building, Meter

MEASURE_LABELS = {
    "chiller": _("chiller plant"),
    "heat_pump": _("heat pump"),
    "boiler": _("boiler"),
    "pumps_fans_vfd": _("variable-speed pumps and fans"),
    "lighting": _("lighting"),
    "envelope": _("envelope insulation"),
    "windows": _("windows and glazing"),
    "bms": _("building management system"),
    "hot_water": _("domestic hot water"),
    "lifts": _("lifts"),
    "kitchen": _("kitchen equipment"),
    "data_centre_cooling": _("data-centre cooling"),
    "other": _("other"),
}
"""Labels of :data:`carbonpeak.core.mv.measures.MEASURES`."""


class RetrofitProject(models.Model):
    """An energy-saving retrofit of one building: measures, area, periods, meters, contract, evidence."""

    CONTRACT_TYPES = [("epc", _("energy performance contract (EPC)")), ("own_funds", _("own funds"))]
    METHODS = [
        ("caltrack_daily", _("CalTRACK daily")),
        ("caltrack_hourly", _("CalTRACK hourly")),
        ("change_point", _("ASHRAE G14 change-point")),
    ]
    code = models.CharField(_("id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="retrofit_projects")
    measures = models.JSONField(_("measures"), default=list)
    retrofitted_area_m2 = models.FloatField(_("retrofitted floor area m²"))
    baseline_start = models.DateField(_("baseline start"))
    baseline_end = models.DateField(_("baseline end"), help_text="exclusive; installation starts")
    reporting_start = models.DateField(_("reporting start"), help_text="installation ends")
    reporting_end = models.DateField(_("reporting end"), help_text="exclusive")
    meters = models.ManyToManyField(Meter, blank=True, related_name="retrofit_projects")
    contractor = models.CharField(_("contractor"), max_length=200, blank=True)
    contract_type = models.CharField(_("contract type"), max_length=10, choices=CONTRACT_TYPES)
    method = models.CharField(_("method"), max_length=20, choices=METHODS, default="caltrack_daily")
    weather_station = models.CharField(_("weather station"), max_length=64, blank=True)
    green_mall_certificate = models.CharField(_("green-mall certificate no."), max_length=100, blank=True)
    green_mall_certified_on = models.DateField(_("green-mall certified on"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("retrofit project")
        verbose_name_plural = _("retrofit projects")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProjectEvidence(models.Model):
    """An evidence file of a project (contract, acceptance report, green-mall certificate, ...)."""

    KINDS = [
        ("contract", _("contract")),
        ("acceptance", _("acceptance report")),
        ("green_mall_certificate", _("green-mall certificate")),
        ("mv_plan", _("M&V plan")),
        ("other", _("other")),
    ]
    project = models.ForeignKey(RetrofitProject, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=30, choices=KINDS)
    name = models.CharField(max_length=200)
    path = models.CharField(max_length=300, help_text="Relative to the data directory")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    file_kind = models.CharField(max_length=10)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.name}"


class NonRoutineEvent(models.Model):
    """A window of the reporting period excluded from the savings, with its reason."""

    project = models.ForeignKey(RetrofitProject, on_delete=models.CASCADE, related_name="events")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d}-{self.end:%Y-%m-%d} {self.reason}"


class ProjectResult(models.Model):
    """One computation of a project's savings (history is kept; the latest is current)."""

    STATUSES = [
        ("computed", _("computed")),
        ("incomplete", _("reporting period not complete")),
        ("refused", _("refused: insufficient data")),
        ("failed", _("failed")),
    ]
    project = models.ForeignKey(RetrofitProject, on_delete=models.CASCADE, related_name="results")
    computed_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=STATUSES)
    reason = models.CharField(max_length=500, blank=True)
    failed_rules = models.JSONField(default=list, blank=True, help_text="sufficiency rules a refusal failed")
    document = models.JSONField(null=True, blank=True, help_text="carbonpeak.core.mv.SavingsResult.to_dict()")
    savings_fraction = models.FloatField(null=True, blank=True)
    fsu = models.FloatField(null=True, blank=True)
    gates_passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.status} {self.computed_at:%Y-%m-%d %H:%M}"


class HourlyTemperature(models.Model):
    """An hourly outdoor air temperature of a weather station [°C] (start of the hour)."""

    pk = models.CompositePrimaryKey("station", "ts")
    station = models.CharField(max_length=64)
    ts = models.DateTimeField()
    temperature_c = models.FloatField()
    synthetic = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.station} {self.ts:%Y-%m-%d %H:%M} {self.temperature_c} °C"


class OccupantCount(models.Model):
    """A public institution's occupants (people employed or served) in a year, from energy statistics."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="occupant_counts")
    year = models.PositiveIntegerField()
    occupants = models.FloatField()
    source = models.CharField(max_length=300, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["building", "year"], name="retrofits_occupants_year")]

    def __str__(self) -> str:
        return f"{self.building_id} {self.year}: {self.occupants:g}"
