"""Carbon credits (碳普惠): partners, citizen accounts, activities and the append-only ledger.

Ledger transactions and entries are append-only: their querysets refuse ``update`` and ``delete``, an
instance refuses to be saved twice or deleted, and a correction is a reversal transaction (services).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An attempt to change or remove a ledger record."""


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """A queryset that cannot update or delete."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the credits ledger is append-only: make a reversal instead of an update")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("the credits ledger is append-only: make a reversal instead of a delete")


class AppendOnlyModel(models.Model):
    """Base of ledger records: inserted once, never changed or removed."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the credits ledger is append-only: a stored record cannot be saved again")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the credits ledger is append-only: make a reversal instead of a delete")


class MethodologyApproval(AppendOnlyModel):
    """The office's decision that one version of a methodology may issue credits (who, when, why)."""

    code = models.CharField(_("methodology"), max_length=64)
    version = models.CharField(_("version"), max_length=40)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by_label = models.CharField(_("approved by"), max_length=150)
    approved_at = models.DateTimeField(_("approved at"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("methodology approval")
        verbose_name_plural = _("methodology approvals")
        ordering = ["code", "-approved_at"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="credits_approval_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class Partner(models.Model):
    """A partner (recycling app, charging operator) that posts its users' activities with its token."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    token_sha256 = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class PartnerMethodology(models.Model):
    """A methodology (scenario) assigned to a partner: a partner may claim credits only under these."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="methodologies")
    code = models.CharField(_("methodology"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "code"], name="credits_partner_methodology_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.code}"


class CitizenAccount(models.Model):
    """A citizen's account: a pseudonymous id only (any phone number mapping stays with the partner)."""

    pseudonym = models.CharField(_("account"), max_length=64, unique=True)
    token_sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")

    def __str__(self) -> str:
        return self.pseudonym


class Exclusion(models.Model):
    """An exclusion-list entry: activities it matches are already claimed elsewhere and earn nothing.

    Every non-empty field must match (an empty one matches anything).
    """

    scheme = models.CharField(_("scheme"), max_length=20)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT)
    activity_id = models.CharField(_("activity id"), max_length=100, blank=True)
    account = models.CharField(_("account"), max_length=64, blank=True)
    methodology = models.CharField(_("methodology"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusion list")

    def __str__(self) -> str:
        return f"{self.scheme}: {self.reason}"


class ImportBatch(models.Model):
    """One file or API call of activities from a partner, with what became of them."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="batches")
    label = models.CharField(_("source"), max_length=200)
    received_at = models.DateTimeField(_("received at"))
    received = models.PositiveIntegerField(default=0)
    credited = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.label}"


class Activity(models.Model):
    """One activity as a partner sent it, keyed by (partner, the partner's own activity id)."""

    CREDITED = "credited"
    HELD = "held"
    REFUSED = "refused"
    REVERSED = "reversed"
    STATUSES = [
        (CREDITED, _("credited")),
        (HELD, _("held until the methodology is approved")),
        (REFUSED, _("refused")),
        (REVERSED, _("credit reversed")),
    ]
    # no index of its own: the unique (partner, activity_id) constraint leads with it
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="activities", db_index=False)
    activity_id = models.CharField(_("partner's activity id"), max_length=100)
    account = models.CharField(_("account"), max_length=64, db_index=True)
    methodology = models.CharField(_("methodology"), max_length=64)
    methodology_version = models.CharField(max_length=40, blank=True)
    quantity = models.FloatField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20)
    occurred_at = models.DateTimeField(_("occurred at"))
    claimed_elsewhere = models.CharField(_("claimed elsewhere"), max_length=20, blank=True)
    fingerprint = models.CharField(max_length=16)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES)
    refusal = models.CharField(_("refusal"), max_length=30, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    credit_gco2e = models.BigIntegerField(_("credit g CO2e"), default=0)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="activities")
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["partner", "activity_id"], name="credits_activity_unique")
        ]
        indexes = [models.Index(fields=["status", "methodology"], name="credits_activity_status")]

    def __str__(self) -> str:
        return f"{self.partner_id}/{self.activity_id}"


class LedgerTransaction(AppendOnlyModel):
    """One balanced ledger transaction (its entries sum to zero)."""

    OPERATIONS = [
        ("issue", _("issue")),
        ("transfer", _("transfer")),
        ("redeem", _("redeem")),
        ("expire", _("expire")),
        ("reverse", _("reverse")),
    ]
    operation = models.CharField(_("operation"), max_length=10, choices=OPERATIONS)
    booked_on = models.DateField(_("booked on"))
    created_at = models.DateTimeField(_("created at"))
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT)
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")

    def __str__(self) -> str:
        return f"{self.operation} {self.pk}"


class LedgerEntry(AppendOnlyModel):
    """One posting: ``amount_gco2e`` grams CO2e added to (negative: taken from) ``account``."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(_("account"), max_length=80)
    amount_gco2e = models.BigIntegerField(_("amount g CO2e"))
    vintage = models.DateField(_("vintage"))
    methodology = models.CharField(_("methodology"), max_length=64)
    # not indexed: read only to reverse one activity's credit and by whole-table reports
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["account", "vintage"], name="credits_entry_account")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_gco2e}"
