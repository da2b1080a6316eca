"""Household waste statistics: imported data sets (kept as imported) and their street records.

A data set is one imported file of one layout (quantities, inspections or population). Data sets are
never changed; for each key (street, period and stream or kind; street and year) the newest data set
that carries it gives the current value, so a correction file supersedes only what it re-sends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WasteDataset(models.Model):
    """One imported waste statistics file, identified by the hash of its parsed content."""

    LAYOUTS = [
        ("quantities", _("stream quantities")),
        ("inspections", _("sorting inspections")),
        ("population", _("resident population")),
    ]
    name = models.CharField(_("name"), max_length=200)
    source_file = models.CharField(_("file"), max_length=300)
    layout = models.CharField(_("layout"), max_length=12, choices=LAYOUTS)
    sha256 = models.CharField(max_length=64, unique=True)
    row_count = models.PositiveIntegerField(_("rows"))
    synthetic = models.BooleanField(_("synthetic"), default=False)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("waste data set")
        verbose_name_plural = _("waste data sets")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.name


class StreetStreamRecord(models.Model):
    """One street's tonnes of one stream in one period, as imported."""

    STREAMS = [
        ("recyclable", _("recyclables")),
        ("wet", _("wet waste")),
        ("dry", _("dry waste")),
        ("hazardous", _("hazardous waste")),
    ]
    dataset = models.ForeignKey(WasteDataset, on_delete=models.PROTECT, related_name="streams")
    row_number = models.PositiveIntegerField()
    street = models.CharField(_("street"), max_length=100)
    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveIntegerField(_("year"))
    stream = models.CharField(_("stream"), max_length=10, choices=STREAMS)
    collected_t = models.FloatField(_("collected t"))
    utilised_t = models.FloatField(_("utilised t"))
    incinerated_t = models.FloatField(_("incinerated t"))
    landfilled_t = models.FloatField(_("landfilled t"))

    class Meta:
        ordering = ["dataset", "row_number"]
        indexes = [models.Index(fields=["year", "street"])]

    def __str__(self) -> str:
        return f"{self.street} {self.period} {self.stream}"


class StreetInspection(models.Model):
    """One street's sorting inspections of one kind in one period, as imported."""

    KINDS = [("residential", _("residential areas")), ("unit", _("units"))]
    dataset = models.ForeignKey(WasteDataset, on_delete=models.PROTECT, related_name="inspections")
    row_number = models.PositiveIntegerField()
    street = models.CharField(_("street"), max_length=100)
    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    assessed = models.PositiveIntegerField(_("assessed"))
    compliant = models.PositiveIntegerField(_("compliant"))

    class Meta:
        ordering = ["dataset", "row_number"]
        indexes = [models.Index(fields=["year", "street"])]

    def __str__(self) -> str:
        return f"{self.street} {self.period} {self.kind}"


class StreetPopulation(models.Model):
    """Resident population of a street (empty street: the district) in a year, as imported."""

    dataset = models.ForeignKey(WasteDataset, on_delete=models.PROTECT, related_name="population")
    row_number = models.PositiveIntegerField()
    street = models.CharField(_("street"), max_length=100, blank=True)
    year = models.PositiveIntegerField(_("year"))
    population = models.FloatField(_("population"))

    class Meta:
        ordering = ["dataset", "row_number"]

    def __str__(self) -> str:
        return f"{self.street or '-'} {self.year}"
