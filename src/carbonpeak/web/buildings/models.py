"""Buildings, meters, readings (a narrow table keyed on meter and time), quarantine, rollups, gateways."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Building(models.Model):
    """A building in the registry."""

    code = models.CharField(_("id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    street = models.CharField(_("street office"), max_length=100, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    footprint = models.JSONField(null=True, blank=True)
    primary_use = models.CharField(_("primary use"), max_length=30)
    secondary_uses = models.JSONField(default=list, blank=True)
    floor_area_m2 = models.FloatField(_("gross floor area m²"))
    conditioned_area_m2 = models.FloatField(null=True, blank=True)
    roof_area_m2 = models.FloatField(null=True, blank=True)
    year_built = models.PositiveIntegerField(null=True, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    operator = models.CharField(max_length=200, blank=True)
    public_institution = models.BooleanField(_("public institution"), default=False)
    occupants = models.FloatField(null=True, blank=True)
    operating_hours = models.FloatField(null=True, blank=True)
    last_audit_date = models.DateField(null=True, blank=True)
    audit_interval_years = models.PositiveIntegerField(null=True, blank=True)
    publishable = models.BooleanField(_("publishable"), default=False)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    sub_area = models.ForeignKey(
        "areas.SubArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("sub-area"),
    )

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Meter(models.Model):
    """A meter of a building: interval meter, cumulative register, or virtual (a sum of other meters)."""

    code = models.CharField(_("id"), max_length=64, unique=True)
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="meters")
    energy_class = models.CharField(max_length=20)
    category = models.CharField(max_length=40, default="total")
    kind = models.CharField(max_length=12, default="interval")
    unit = models.CharField(max_length=20)
    multiplier = models.FloatField(default=1.0)
    interval_minutes = models.PositiveIntegerField(default=15)
    register_max = models.FloatField(null=True, blank=True)
    it_load = models.BooleanField(default=False)
    virtual = models.JSONField(default=list, blank=True, help_text="[{sign, meter}] for a virtual meter")

    class Meta:
        ordering = ["building", "code"]

    def __str__(self) -> str:
        return self.code


class Reading(models.Model):
    """One reading: the raw value and the interval consumption it stands for. Keyed by (meter, time).

    Storage is tuned for bulk ingest (issue 5, docs/buildings.md "Storage"): the primary key *is* the
    (meter, time) key, so the table has a single index; on SQLite it is a ``WITHOUT ROWID`` table clustered on
    that key (migration 0005, checked by a test, since Django's SQLite table rebuilds would drop it). ``flag``
    is NULL unless the reading was corrected, which costs no bytes in PostgreSQL's null bitmap.
    """

    pk = models.CompositePrimaryKey("meter", "ts")
    # No database-level foreign key: PostgreSQL checks one per inserted row at commit, which doubled the cost
    # of bulk ingest. Integrity holds without it: only ``readings_ingest`` writes readings, for meters it has
    # just locked, and deleting a meter deletes its readings through Django's cascade in one statement.
    meter = models.ForeignKey(
        Meter, on_delete=models.CASCADE, related_name="readings", db_index=False, db_constraint=False
    )
    ts = models.DateTimeField()
    raw = models.FloatField()
    consumption = models.FloatField()
    flag = models.CharField(max_length=120, null=True, blank=True)  # noqa: DJ001 (NULL: no correction)

    def __str__(self) -> str:
        return f"{self.meter_id} {self.ts}"


class QuarantinedReading(models.Model):
    """A reading that was not used, with the reason. Nothing is dropped silently."""

    meter = models.ForeignKey(
        Meter, null=True, blank=True, on_delete=models.CASCADE, related_name="quarantine"
    )
    meter_code = models.CharField(max_length=64)
    ts = models.DateTimeField(null=True, blank=True)
    raw = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=300)
    source = models.CharField(max_length=20)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["meter", "received_at"])]

    def __str__(self) -> str:
        return f"{self.meter_code} {self.ts}: {self.reason}"


class MeterRollup(models.Model):
    """Consumption of one meter in one hour, day or month (Asia/Shanghai), kept current at ingest.

    Keyed by (meter, period, start) with no other unique index (a ``WITHOUT ROWID`` table on SQLite), for the
    reason given on :class:`Reading`.
    """

    HOUR, DAY, MONTH = "hour", "day", "month"
    pk = models.CompositePrimaryKey("meter", "period", "start")
    meter = models.ForeignKey(  # no database foreign key, for the reason given on Reading.meter
        Meter, on_delete=models.CASCADE, related_name="rollups", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=5)
    start = models.DateTimeField()
    consumption = models.FloatField()
    readings = models.PositiveIntegerField()

    class Meta:
        # The latest month with data (the pages' default year) without scanning every rollup; only monthly
        # rows enter this partial index, so ingest hardly pays for it.
        indexes = [
            models.Index(fields=["-start"], condition=models.Q(period="month"), name="rollup_month_start"),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.period} {self.start}"


class DegreeDays(models.Model):
    """One month of heating and cooling degree-days at a weather station: observed, or the normal year."""

    station = models.CharField(max_length=64)
    period = models.CharField(max_length=12, help_text="YYYY-MM, or normal-MM for the normal year")
    heating_kd = models.FloatField(help_text="heating degree-days, 18 °C base [K d]")
    cooling_kd = models.FloatField(help_text="cooling degree-days, 26 °C base [K d]")
    source = models.CharField(max_length=300, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["station", "period"]
        constraints = [models.UniqueConstraint(fields=["station", "period"], name="degree_days_unique")]

    def __str__(self) -> str:
        return f"{self.station} {self.period}"


class Gateway(models.Model):
    """A meter gateway; its token (stored hashed) may post readings only for its own buildings."""

    name = models.CharField(max_length=100, unique=True)
    token_sha256 = models.CharField(max_length=64, unique=True)
    buildings = models.ManyToManyField(Building, related_name="gateways")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
