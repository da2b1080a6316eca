"""Driver series and saved scenarios. Imported driver sets and scenario versions are never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DriverSet(models.Model):
    """One imported driver file (GDP, floor area, vehicle-km ...), kept as imported."""

    name = models.CharField(_("name"), max_length=200)
    source_file = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64, unique=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("driver set")
        verbose_name_plural = _("driver sets")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.name


class DriverValue(models.Model):
    """One driver's value in one year [driver unit], with its source, evidence and row in the file."""

    driver_set = models.ForeignKey(DriverSet, on_delete=models.PROTECT, related_name="values")
    row_number = models.PositiveIntegerField()
    driver = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    value = models.FloatField()
    unit = models.CharField(max_length=30)
    source = models.CharField(max_length=300)
    evidence = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["driver_set", "driver", "year"]
        constraints = [
            models.UniqueConstraint(fields=["driver_set", "driver", "year"], name="projection_driver_year")
        ]

    def __str__(self) -> str:
        return f"{self.driver} {self.year}"


class Scenario(models.Model):
    """One version of a named scenario: the core ``Scenario.to_dict()`` document. A save adds a version."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("scenario"))
    lever_settings = models.JSONField(_("lever settings"), default=dict, blank=True)
    """Slider positions it was made from (lever code -> % of the plan), empty for BAU and Plan."""
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="projection_scenario_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
