"""Loaded reference tables. A table version is immutable once loaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceTableVersion(models.Model):
    """One version of one reference table as loaded from the packaged CSV."""

    name = models.CharField(_("table"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    file = models.CharField(_("file"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("loaded by"),
    )

    class Meta:
        verbose_name = _("reference table version")
        verbose_name_plural = _("reference table versions")
        ordering = ["name", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="reference_table_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class ReferenceRow(models.Model):
    """One row of a loaded table, stored as the CSV's columns (text) plus its key and evidence tag."""

    table_version = models.ForeignKey(ReferenceTableVersion, on_delete=models.PROTECT, related_name="rows")
    row_number = models.PositiveIntegerField(_("row in file"))
    key = models.CharField(_("key"), max_length=100)
    evidence = models.CharField(_("evidence"), max_length=1)
    data = models.JSONField(_("columns"))

    class Meta:
        verbose_name = _("reference row")
        verbose_name_plural = _("reference rows")
        ordering = ["table_version", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["table_version", "key"], name="reference_row_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.table_version}: {self.key}"


class ReferenceDefaults(models.Model):
    """The default series of a loaded library (its manifest's ``defaults``); the latest row is in force.

    Each district's reference data names its own defaults (e.g. its province's electricity series), so
    they are stored with the tables instead of being read from the packaged files.
    """

    defaults = models.JSONField(_("default series"))
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("reference defaults")
        verbose_name_plural = _("reference defaults")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.defaults.items()))
