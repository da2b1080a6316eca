"""Flexible resources, aggregators, demand-response events and their per-resource results."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carbonpeak.web.buildings.models import Meter


class Aggregator(models.Model):
    """A load aggregator (负荷聚合商): groups resources, opts them in, and is paid for them.

    Its REST token is stored only hashed; ``ven_name`` is its OpenADR VEN name, when it uses OpenADR.
    """

    code = models.CharField(_("id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    ven_name = models.CharField(_("OpenADR VEN name"), max_length=100, blank=True)
    token_sha256 = models.CharField(max_length=64, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("aggregator")
        verbose_name_plural = _("aggregators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class FlexResource(models.Model):
    """A flexible resource (可调节资源): building load, charging site, battery or PV-storage system."""

    KINDS = [
        ("building_load", _("building load")),
        ("charging_site", _("charging site")),
        ("battery", _("battery")),
        ("pv_storage", _("PV and storage")),
    ]
    code = models.CharField(_("id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=KINDS)
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="flex_resources")
    aggregator = models.ForeignKey(Aggregator, on_delete=models.PROTECT, related_name="resources")
    controllable_kw = models.FloatField(_("controllable kW"))
    ramp_kw_per_min = models.FloatField(_("ramp limit kW/min"), null=True, blank=True)
    max_duration_h = models.FloatField(_("longest reduction h"), null=True, blank=True)
    peak_shaving = models.BooleanField(_("peak shaving"), default=True)
    valley_filling = models.BooleanField(_("valley filling"), default=False)
    cost_yuan_per_kwh = models.FloatField(_("cost 元/kWh"), default=0.0)
    microgrid_pilot = models.BooleanField(_("pilot microgrid"), default=False)
    battery_kwh = models.FloatField(_("battery kWh"), null=True, blank=True)
    dc_bus_share = models.FloatField(_("DC-bus share"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("flexible resource")
        verbose_name_plural = _("flexible resources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class DrEvent(models.Model):
    """A demand-response event (需求响应事件) and where it is in its lifecycle."""

    DRAFT, NOTIFIED, ACTIVE, COMPLETED, SETTLED = "draft", "notified", "active", "completed", "settled"
    STATES = [
        (DRAFT, _("draft")),
        (NOTIFIED, _("notified")),
        (ACTIVE, _("in progress")),
        (COMPLETED, _("completed")),
        (SETTLED, _("settled")),
    ]
    TYPES = [("peak_shaving", _("peak shaving (削峰)")), ("valley_filling", _("valley filling (填谷)"))]
    BASES = [("yuan_per_kwh", _("元/kWh")), ("yuan_per_kw", _("元/kW"))]

    code = models.CharField(_("id"), max_length=64, unique=True)
    event_type = models.CharField(_("type"), max_length=20, choices=TYPES)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    notice_at = models.DateTimeField(_("notice time"), null=True, blank=True)
    requested_kw = models.FloatField(_("requested kW"))
    price = models.FloatField(_("price"))
    price_basis = models.CharField(_("price basis"), max_length=12, choices=BASES)
    baseline_method = models.CharField(_("baseline method"), max_length=20, default="x_of_y")
    baseline_params = models.JSONField(_("baseline parameters"), default=dict, blank=True)
    settlement_rule = models.JSONField(
        _("settlement rule"),
        default=dict,
        blank=True,
        help_text="core SettlementRule.to_dict() from the notice",
    )
    state = models.CharField(_("state"), max_length=12, choices=STATES, default=DRAFT)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("demand-response event")
        verbose_name_plural = _("demand-response events")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.code

    @property
    def duration_h(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class EventParticipation(models.Model):
    """One resource in one event: requested and dispatched kW, the opt-in answer, and the measured result."""

    PENDING, OPTED_IN, OPTED_OUT = "pending", "opted_in", "opted_out"
    ANSWERS = [(PENDING, _("no answer")), (OPTED_IN, _("opted in")), (OPTED_OUT, _("opted out"))]

    event = models.ForeignKey(DrEvent, on_delete=models.CASCADE, related_name="participations")
    resource = models.ForeignKey(FlexResource, on_delete=models.PROTECT, related_name="participations")
    requested_kw = models.FloatField(_("requested kW"), null=True, blank=True)
    dispatched_kw = models.FloatField(_("dispatched kW"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=ANSWERS, default=PENDING)
    answered_via = models.CharField(_("answered via"), max_length=20, blank=True)
    baseline = models.JSONField(null=True, blank=True, help_text="core BaselineResult.to_dict()")
    settlement = models.JSONField(null=True, blank=True, help_text="core Settlement.to_dict()")
    problem = models.CharField(_("problem"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "resource"], name="flex_participation_unique")
        ]
        ordering = ["event", "resource"]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.resource_id}"
