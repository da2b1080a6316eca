"""New-building projects (green rating, energy standard, prefab, renewables) and their life-cycle carbon."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carbonpeak.web.buildings.models import Building

USES = [
    ("government_office", _("government office")),
    ("commercial_office", _("commercial office")),
    ("hotel", _("hotel")),
    ("shopping_mall", _("shopping mall")),
    ("supermarket", _("supermarket")),
    ("hospital", _("hospital")),
    ("school_university", _("school or university")),
    ("data_centre", _("data centre")),
    ("industrial", _("industrial")),
    ("residential", _("residential")),
    ("other", _("other")),
]
RATINGS = [
    ("none", _("no rating")),
    ("basic", _("basic level")),
    ("one_star", "★"),
    ("two_star", "★★"),
    ("three_star", "★★★"),
]
CERTIFICATES = [("", _("none")), ("design", _("design label")), ("operation", _("operation label"))]
STANDARDS = [
    ("none", _("none")),
    ("ultra_low", _("ultra-low energy")),
    ("near_zero", _("near-zero energy")),
    ("zero_carbon", _("zero carbon")),
]
RENEWABLES = [
    ("pv", _("PV")),
    ("solar_thermal", _("solar thermal")),
    ("ground_source", _("ground-source heat pump")),
    ("air_source", _("air-source heat pump")),
    ("hydrogen", _("hydrogen")),
    ("waste_heat", _("waste heat")),
]


class NewBuildingProject(models.Model):
    """A new-building project, from land grant to completion; ``building``: the registry entry it becomes."""

    code = models.CharField(_("id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    sub_area = models.CharField(_("sub-area"), max_length=64, blank=True, help_text=_("Sub-area code"))
    sub_area_name = models.CharField(_("sub-area name"), max_length=100, blank=True)
    use = models.CharField(_("use"), max_length=20, choices=USES)
    floor_area_m2 = models.FloatField(_("floor area m²"))
    large_public = models.BooleanField(_("large public building"), default=False)
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="new_building_projects"
    )
    land_grant_date = models.DateField(_("land grant"), null=True, blank=True)
    permit_date = models.DateField(_("building permit"), null=True, blank=True)
    completion_date = models.DateField(_("completion"), null=True, blank=True)
    green_rating = models.CharField(
        _("green-building rating"), max_length=12, choices=RATINGS, default="none"
    )
    certificate_kind = models.CharField(_("certificate"), max_length=10, choices=CERTIFICATES, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    certificate_evidence = models.CharField(_("certificate evidence file"), max_length=300, blank=True)
    energy_standard = models.CharField(_("energy standard"), max_length=12, choices=STANDARDS, default="none")
    prefab_rate_pct = models.FloatField(_("prefab rate (percent)"), null=True, blank=True)
    prefab_method = models.CharField(_("prefab method"), max_length=200, blank=True)
    fully_fitted = models.BooleanField(_("fully fitted"), default=False)
    renewables = models.JSONField(_("renewable sources"), default=list, blank=True)
    bim_file = models.CharField(_("BIM model file"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("new-building project")
        verbose_name_plural = _("new-building projects")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def renewable_labels(self) -> list[str]:
        """Labels of the renewable sources used."""
        labels = dict(RENEWABLES)
        return [str(labels.get(code, code)) for code in self.renewables]


class LcaVariant(models.Model):
    """One bill of materials of a project (e.g. prefab or cast in place) and its GB/T 51366 result."""

    project = models.ForeignKey(NewBuildingProject, on_delete=models.CASCADE, related_name="lca_variants")
    name = models.CharField(_("variant"), max_length=100)
    source_file = models.CharField(_("bill of materials"), max_length=200)
    service_life_years = models.FloatField(_("service life (years)"), default=50.0)
    bom = models.JSONField(_("bill of materials lines"))
    result = models.JSONField(_("result"))
    computed_at = models.DateTimeField(_("computed"), auto_now=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("life-cycle carbon variant")
        verbose_name_plural = _("life-cycle carbon variants")
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="newbuildings_variant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.name}"
