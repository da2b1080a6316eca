"""Activity data sets and inventory runs. Imported rows and frozen runs are never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityDataset(models.Model):
    """One imported activity file (activity rows and statistics), kept as imported."""

    name = models.CharField(_("name"), max_length=200)
    source_file = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64, unique=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("activity data set")
        verbose_name_plural = _("activity data sets")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ActivityRow(models.Model):
    """One activity row (活动水平) as imported, with its row number in the file."""

    dataset = models.ForeignKey(ActivityDataset, on_delete=models.PROTECT, related_name="rows")
    row_number = models.PositiveIntegerField()
    year = models.PositiveIntegerField()
    area = models.CharField(max_length=100)
    sector = models.CharField(max_length=20)
    subsector = models.CharField(max_length=100, blank=True)
    carrier = models.CharField(max_length=30)
    quantity = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=30)
    notation = models.CharField(max_length=2, blank=True)
    source = models.CharField(max_length=300, blank=True)
    quality = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dataset", "row_number"]
        indexes = [models.Index(fields=["dataset", "year", "sector"])]

    def __str__(self) -> str:
        return f"{self.dataset_id} row {self.row_number}"


class StatisticRow(models.Model):
    """One statistic (GDP, deflator, coal rate) of a data set."""

    dataset = models.ForeignKey(ActivityDataset, on_delete=models.PROTECT, related_name="statistics")
    row_number = models.PositiveIntegerField()
    year = models.PositiveIntegerField()
    area = models.CharField(max_length=100)
    indicator = models.CharField(max_length=40)
    value = models.FloatField()
    unit = models.CharField(max_length=30)
    source = models.CharField(max_length=300, blank=True)
    quality = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dataset", "row_number"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class InventoryRun(models.Model):
    """A computed inventory, frozen with the factor versions it used so it can be reproduced exactly."""

    dataset = models.ForeignKey(ActivityDataset, on_delete=models.PROTECT, related_name="runs")
    electricity_series = models.CharField(max_length=60)
    region = models.CharField(max_length=20)
    table_versions = models.JSONField(_("reference table versions"))
    defaults = models.JSONField()
    document = models.JSONField(_("results"))
    row_results = models.JSONField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("inventory run")
        verbose_name_plural = _("inventory runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.electricity_series})"
