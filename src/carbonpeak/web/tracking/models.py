"""Tracking records: unit memberships, reported values (append-only), unit tokens, calendar, audit log.

Reported values are never changed: each step (a draft, its submission, the office's approval or return, a
correction) is a new :class:`ReportedValue` row with who, when and why. The rows of one target and period
form its history; the newest row is its current state and the newest *approved* row is the published
value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitMembership(models.Model):
    """A user's role in one responsible unit (责任单位): reporter (writes its values) or viewer (reads)."""

    REPORTER = "reporter"
    VIEWER = "viewer"
    ROLES = [(REPORTER, _("unit reporter")), (VIEWER, _("unit viewer"))]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_roles")
    unit_code = models.CharField(_("unit"), max_length=100)
    role = models.CharField(_("role"), max_length=10, choices=ROLES)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        ordering = ["unit_code", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit_code"], name="tracking_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.unit_code}"


class ReportedValue(models.Model):
    """One version of a reported value of a target for one period. Rows are only ever added."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    STATES = [
        (DRAFT, _("draft")),
        (SUBMITTED, _("pending approval")),
        (APPROVED, _("approved")),
        (RETURNED, _("returned")),
    ]

    plan_code = models.CharField(max_length=100)
    target_code = models.CharField(_("target"), max_length=120)
    indicator_code = models.CharField(max_length=100)
    unit_code = models.CharField(_("unit"), max_length=100, help_text="The responsible unit it belongs to")
    period_end = models.DateField(_("period end"))
    version = models.PositiveIntegerField(_("version"))
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=STATES)
    reason = models.TextField(_("reason"), blank=True, help_text="Why this version was made")
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_path = models.CharField(max_length=300, blank=True, help_text="Relative to the data directory")
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("when"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_via = models.CharField(max_length=120, blank=True, help_text="web, api token name, or cli")

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["plan_code", "target_code", "period_end", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_code", "target_code", "period_end", "version"], name="tracking_value_version"
            )
        ]
        indexes = [models.Index(fields=["unit_code", "state"])]

    def __str__(self) -> str:
        return f"{self.target_code} {self.period_end} v{self.version} {self.state}"

    @property
    def year(self) -> int:
        """Calendar year the period ends in."""
        return self.period_end.year


class UnitToken(models.Model):
    """An API token of one responsible unit (stored hashed); it may submit only that unit's values."""

    name = models.CharField(max_length=100, unique=True)
    unit_code = models.CharField(max_length=100)
    token_sha256 = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_code})"


class ReportingCalendar(models.Model):
    """When an indicator's annual report is due: the value for year Y on (due_month, due_day) of Y + 1.

    Without a row the default applies: 31 January of the next year.
    """

    indicator_code = models.CharField(_("indicator"), max_length=100, unique=True)
    due_month = models.PositiveSmallIntegerField(_("due month"), default=1)
    due_day = models.PositiveSmallIntegerField(_("due day"), default=31)

    class Meta:
        verbose_name = _("reporting calendar entry")
        verbose_name_plural = _("reporting calendar")
        ordering = ["indicator_code"]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.due_month:02d}-{self.due_day:02d}"


class AuditEntry(models.Model):
    """One write: who (user or token), when, what, on which object, and a before/after summary."""

    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"


class MilestoneVersion(models.Model):
    """One version of a milestone of a qualitative target (定性任务): name, due date, date done.

    Like reported values, milestones are append-only: the lead unit submits a version, the office approves
    or returns it, and the status uses the newest approved version of each milestone.
    """

    SUBMITTED = ReportedValue.SUBMITTED
    APPROVED = ReportedValue.APPROVED
    RETURNED = ReportedValue.RETURNED

    plan_code = models.CharField(max_length=100)
    target_code = models.CharField(_("target"), max_length=120)
    unit_code = models.CharField(_("unit"), max_length=100)
    number = models.PositiveIntegerField(_("milestone"), help_text="1, 2, ... within the target")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    done = models.DateField(_("done"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReportedValue.STATES)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_via = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("milestone version")
        verbose_name_plural = _("milestone versions")
        ordering = ["plan_code", "target_code", "number", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_code", "target_code", "number", "version"], name="tracking_milestone_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_code} #{self.number} v{self.version} {self.state}"


class AllocatedTargetValue(models.Model):
    """A target value the plan leaves to a higher level (e.g. 确保完成本市下达指标), entered by the office
    with the document that allocates it. Append-only: a correction is a new version; the latest counts."""

    plan_code = models.CharField(max_length=100)
    target_code = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    value = models.FloatField(_("value"))
    source_document = models.CharField(_("source document"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("allocated target value")
        verbose_name_plural = _("allocated target values")
        ordering = ["plan_code", "target_code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_code", "target_code", "version"], name="allocated_value_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_code} v{self.version}: {self.value:g} ({self.source_document})"
