"""The sub-area registry: the district's key areas (key areas with inventories), optionally nested."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubArea(models.Model):
    """A sub-area of the district. Its ``code`` is the ``area`` of its rows in activity data."""

    code = models.SlugField(_("code"), max_length=100, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent sub-area"),
    )
    boundary = models.JSONField(
        _("boundary"), null=True, blank=True, help_text="GeoJSON Polygon or MultiPolygon, WGS 84 (RFC 7946)"
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("sub-area")
        verbose_name_plural = _("sub-areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"
