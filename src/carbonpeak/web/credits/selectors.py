"""Reads of the credits app: methodologies with their status, balances, lots and reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from carbonpeak.core.credits.ledger import EXPIRED, POOL, Lot, citizen_account
from carbonpeak.core.credits.methodology import Methodology, MethodologyStatus, methodology_status
from carbonpeak.specs.reference import CreditMethodologyRow
from carbonpeak.web.credits.models import (
    Activity,
    CitizenAccount,
    LedgerEntry,
    MethodologyApproval,
    Partner,
    PartnerMethodology,
)
from carbonpeak.web.reference.models import ReferenceRow, ReferenceTableVersion

TABLE_KIND = "credit_methodologies"


def methodology_table_version() -> ReferenceTableVersion | None:
    """The most recently loaded version of the methodology table."""
    return ReferenceTableVersion.objects.filter(kind=TABLE_KIND).order_by("-loaded_at", "-id").first()


def methodologies() -> list[Methodology]:
    """The methodologies of the current table version (empty when the table is not loaded)."""
    version = methodology_table_version()
    if version is None:
        return []
    rows = ReferenceRow.objects.filter(table_version=version).order_by("row_number")
    return [
        replace(CreditMethodologyRow.model_validate(r.data).to_record(), version=version.version)
        for r in rows
    ]


def approvals() -> dict[tuple[str, str], MethodologyApproval]:
    """The office's approvals by (code, version)."""
    return {(a.code, a.version): a for a in MethodologyApproval.objects.all()}


@dataclass(frozen=True)
class MethodologyView:
    """A methodology with its status and its approval, if any."""

    methodology: Methodology
    status: MethodologyStatus
    approval: MethodologyApproval | None

    @property
    def approvable(self) -> bool:
        """Whether the office can approve it now (factors complete and not yet approved)."""
        return self.status is MethodologyStatus.UNCONFIRMED and self.methodology.factors_complete


def methodology_views() -> list[MethodologyView]:
    """Every current methodology with its status."""
    approved = approvals()
    result = []
    for m in methodologies():
        approval = approved.get((m.code, m.version))
        result.append(MethodologyView(m, methodology_status(m, approved=approval is not None), approval))
    return result


def partner_names_for(methodology: str) -> list[str]:
    """Names of the partners a methodology is assigned to."""
    return sorted(PartnerMethodology.objects.filter(code=methodology).values_list("partner__name", flat=True))


def lots(accounts: Iterable[str]) -> dict[str, dict[Lot, int]]:
    """Lots (sums of entries by vintage and methodology) of ``accounts`` [g CO2e]."""
    book: dict[str, dict[Lot, int]] = {}
    rows = (
        LedgerEntry.objects.filter(account__in=list(accounts))
        .values("account", "vintage", "methodology")
        .annotate(total=Sum("amount_gco2e"))
    )
    for row in rows:
        if row["total"]:
            book.setdefault(row["account"], {})[Lot(row["vintage"], row["methodology"])] = int(row["total"])
    return book


def citizen_lots() -> dict[str, dict[Lot, int]]:
    """Lots of every citizen account that holds credits [g CO2e]."""
    book: dict[str, dict[Lot, int]] = {}
    rows = (
        LedgerEntry.objects.filter(account__startswith="citizen:")
        .values("account", "vintage", "methodology")
        .annotate(total=Sum("amount_gco2e"))
    )
    for row in rows:
        if row["total"]:
            book.setdefault(row["account"], {})[Lot(row["vintage"], row["methodology"])] = int(row["total"])
    return book


def balance_gco2e(account: str) -> int:
    """Balance of an account id [g CO2e]: the sum of its entries."""
    total = LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount_gco2e"))["total"]
    return int(total or 0)


@dataclass(frozen=True)
class EntryView:
    """One entry of an account statement."""

    booked_on: date
    operation: str
    amount_gco2e: int
    vintage: date
    methodology: str
    activity: str


def statement(pseudonym: str, *, limit: int = 500) -> tuple[int, list[EntryView]]:
    """A citizen's balance [g CO2e] and latest entries (newest first)."""
    account = citizen_account(pseudonym)
    entries = (
        LedgerEntry.objects.filter(account=account)
        .select_related("transaction", "activity")
        .order_by("-transaction__booked_on", "-id")[:limit]
    )
    views = [
        EntryView(
            e.transaction.booked_on,
            e.transaction.operation,
            e.amount_gco2e,
            e.vintage,
            e.methodology,
            e.activity.activity_id if e.activity else "",
        )
        for e in entries
    ]
    return balance_gco2e(account), views


def citizen_by_token(token_sha256: str) -> CitizenAccount | None:
    """The citizen account a token hash belongs to."""
    return CitizenAccount.objects.filter(token_sha256=token_sha256).first()


def partner_by_token(token_sha256: str) -> Partner | None:
    """The active partner a token hash belongs to."""
    return Partner.objects.filter(token_sha256=token_sha256, active=True).first()


@dataclass(frozen=True)
class Totals:
    """District totals [g CO2e] and counts."""

    issued_gco2e: int
    redeemed_gco2e: int
    expired_gco2e: int
    citizens: int
    activities_credited: int
    activities_refused: int
    activities_held: int
    synthetic: bool

    @property
    def outstanding_gco2e(self) -> int:
        """Credits citizens hold: issued less redeemed and expired."""
        return self.issued_gco2e - self.redeemed_gco2e - self.expired_gco2e


def totals() -> Totals:
    """District totals: issued (minus the pool), redeemed (held by partners), expired; reversals netted."""
    sums = LedgerEntry.objects.aggregate(
        pool=Sum("amount_gco2e", filter=Q(account=POOL)),
        partners=Sum("amount_gco2e", filter=Q(account__startswith="partner:")),
        expired=Sum("amount_gco2e", filter=Q(account=EXPIRED)),
    )
    counts = Activity.objects.aggregate(
        credited=Count("id", filter=Q(status=Activity.CREDITED)),
        refused=Count("id", filter=Q(status=Activity.REFUSED)),
        held=Count("id", filter=Q(status=Activity.HELD)),
    )
    citizens = LedgerEntry.objects.filter(account__startswith="citizen:").values("account").distinct().count()
    return Totals(
        issued_gco2e=-int(sums["pool"] or 0),
        redeemed_gco2e=int(sums["partners"] or 0),
        expired_gco2e=int(sums["expired"] or 0),
        citizens=citizens,
        activities_credited=counts["credited"],
        activities_refused=counts["refused"],
        activities_held=counts["held"],
        synthetic=Activity.objects.filter(synthetic=True).exists(),
    )


@dataclass(frozen=True)
class MonthRow:
    """Credits of one methodology in one month [g CO2e], reversals netted."""

    month: date
    methodology: str
    issued_gco2e: int
    redeemed_gco2e: int


def monthly_by_methodology() -> list[MonthRow]:
    """Credits issued and redeemed by methodology and booking month."""
    issued = (
        LedgerEntry.objects.filter(account=POOL)
        .annotate(month=TruncMonth("transaction__booked_on"))
        .values("month", "methodology")
        .annotate(total=Sum("amount_gco2e"))
    )
    redeemed = (
        LedgerEntry.objects.filter(account__startswith="partner:")
        .annotate(month=TruncMonth("transaction__booked_on"))
        .values("month", "methodology")
        .annotate(total=Sum("amount_gco2e"))
    )
    table: dict[tuple[date, str], list[int]] = {}
    for row in issued:
        table.setdefault((row["month"], row["methodology"]), [0, 0])[0] -= int(row["total"] or 0)
    for row in redeemed:
        table.setdefault((row["month"], row["methodology"]), [0, 0])[1] += int(row["total"] or 0)
    return [MonthRow(month, code, i, r) for (month, code), (i, r) in sorted(table.items())]


@dataclass(frozen=True)
class ScenarioRow:
    """A scenario (a partner's methodology) by the credits it issued [g CO2e], reversals netted."""

    partner: str
    methodology: str
    activities: int
    issued_gco2e: int


def top_scenarios(limit: int = 10) -> list[ScenarioRow]:
    """Scenarios with the most credits issued."""
    rows = (
        LedgerEntry.objects.filter(account__startswith="citizen:", activity__isnull=False)
        .values("activity__partner__code", "methodology")
        .annotate(total=Sum("amount_gco2e"), n=Count("activity", distinct=True))
        .order_by("-total")[:limit]
    )
    return [
        ScenarioRow(r["activity__partner__code"], r["methodology"], int(r["n"]), int(r["total"] or 0))
        for r in rows
        if r["total"]
    ]


def refused_activities(*, limit: int = 200) -> list[Activity]:
    """Refused activities with their reasons (newest first)."""
    return list(
        Activity.objects.filter(status=Activity.REFUSED)
        .select_related("partner")
        .order_by("-batch__received_at", "-id")[:limit]
    )


def refused_count() -> int:
    """Number of refused activities."""
    return Activity.objects.filter(status=Activity.REFUSED).count()


@dataclass(frozen=True)
class HeldRow:
    """Activities held for a methodology's approval, by partner."""

    partner: str
    methodology: str
    activities: int


def held_summary() -> list[HeldRow]:
    """Held activities counted by partner and methodology (credited when the office approves)."""
    rows = (
        Activity.objects.filter(status=Activity.HELD)
        .values("partner__name", "methodology")
        .annotate(n=Count("id"))
        .order_by("methodology", "partner__name")
    )
    return [HeldRow(r["partner__name"], r["methodology"], int(r["n"])) for r in rows]
