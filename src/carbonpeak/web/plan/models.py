"""Loaded plan versions. A version is immutable: a revised plan is stored as a new version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanVersion(models.Model):
    """One version of one plan, with the canonical document it was built from."""

    plan_code = models.CharField(_("plan"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    document_no = models.CharField(_("document number"), max_length=100)
    district_zh = models.CharField(max_length=100)
    district_en = models.CharField(max_length=100)
    synthetic = models.BooleanField(default=False)
    sha256 = models.CharField(max_length=64)
    document = models.JSONField(_("canonical document"))
    source_file = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan_code", "version"], name="plan_version_unique"),
            models.UniqueConstraint(fields=["plan_code", "sha256"], name="plan_content_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_code} v{self.version}"


class CurrentPlanChoice(models.Model):
    """A choice of the plan the platform runs on; the latest choice is the current plan (kept as history)."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="choices")
    chosen_at = models.DateTimeField(_("chosen at"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("current plan choice")
        verbose_name_plural = _("current plan choices")
        ordering = ["-chosen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_version} ({self.reason})"


class PlanUnit(models.Model):
    """A responsible unit (责任单位) of a plan version."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    collective = models.BooleanField(default=False)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan_version", "position"]
        constraints = [models.UniqueConstraint(fields=["plan_version", "code"], name="plan_unit_unique")]

    def __str__(self) -> str:
        return self.name_zh


class PlanIndicator(models.Model):
    """An indicator (指标) of a plan version."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    definition = models.TextField()
    method = models.CharField(max_length=20)

    class Meta:
        ordering = ["plan_version", "code"]
        constraints = [models.UniqueConstraint(fields=["plan_version", "code"], name="plan_indicator_unique")]

    def __str__(self) -> str:
        return self.code


class PlanAction(models.Model):
    """An action (行动) or the governance section of a plan version."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(max_length=100)
    clause = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan_version", "position"]
        constraints = [models.UniqueConstraint(fields=["plan_version", "code"], name="plan_action_unique")]

    def __str__(self) -> str:
        return f"{self.clause} {self.title_zh}"


class PlanGoal(models.Model):
    """An overall-goal paragraph (section 二) of a plan version."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(max_length=100)
    clause = models.CharField(max_length=40)
    period = models.CharField(max_length=40)
    summary_zh = models.TextField()
    summary_en = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan_version", "position"]

    def __str__(self) -> str:
        return f"{self.clause} {self.period}"


class PlanTask(models.Model):
    """A task (任务) of an action."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(max_length=100)
    clause = models.CharField(max_length=40)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=300)
    summary_zh = models.TextField()
    summary_en = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["action", "position"]

    def __str__(self) -> str:
        return f"{self.clause} {self.title_zh}"


class PlanTaskUnit(models.Model):
    """A unit responsible for a task: the lead (the first the plan names) or a co-responsible unit."""

    LEAD = "lead"
    CO = "co"

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="task_units")
    unit = models.ForeignKey(PlanUnit, on_delete=models.CASCADE, related_name="task_roles")
    role = models.CharField(max_length=4, choices=[(LEAD, _("lead")), (CO, _("co-responsible"))])
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["task", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="plan_task_unit_unique")]

    def __str__(self) -> str:
        return f"{self.task.clause} {self.role} {self.unit.name_zh}"


class PlanTarget(models.Model):
    """A target (目标) of a task or of an overall goal."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="targets")
    task = models.ForeignKey(
        PlanTask, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    goal = models.ForeignKey(
        PlanGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(PlanIndicator, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(max_length=120)
    clause = models.CharField(max_length=40)
    comparator = models.CharField(max_length=30)
    quantitative = models.BooleanField()
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    value_note = models.TextField(blank=True)
    baseline_year = models.PositiveIntegerField(null=True, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    deadline = models.CharField(max_length=40)
    deadline_kind = models.CharField(max_length=10)
    deadline_first_year = models.PositiveIntegerField()
    deadline_last_year = models.PositiveIntegerField()
    scope = models.TextField(blank=True)
    scope_en = models.TextField(blank=True)
    quote = models.TextField()
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan_version", "position"]
        constraints = [models.UniqueConstraint(fields=["plan_version", "code"], name="plan_target_unique")]

    def __str__(self) -> str:
        return self.code
