"""Writes of the credits app: partners, approvals, exclusions, activity imports and ledger operations.

Ledger writes only ever insert (see ``models``): every operation is built by the pure rules in
:mod:`carbonpeak.core.credits.ledger`, checked to balance, and stored as one transaction with its entries.
Activity imports are idempotent: an activity is keyed by (partner, the partner's own id), so a re-sent
activity is recognised and never credited twice.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from carbonpeak.core.credits import ledger as rules
from carbonpeak.core.credits.ledger import IssueLine, LedgerError, Transaction, citizen_account
from carbonpeak.core.credits.methodology import (
    ActivityClaim,
    Methodology,
    MethodologyError,
    MethodologyStatus,
    Refusal,
    decide_credit,
    methodology_status,
)
from carbonpeak.io.credits import read_activity_file
from carbonpeak.io.tabular import RowError
from carbonpeak.web.buildings.services import token_hash
from carbonpeak.web.credits import selectors
from carbonpeak.web.credits.models import (
    Activity,
    CitizenAccount,
    Exclusion,
    ImportBatch,
    LedgerEntry,
    LedgerTransaction,
    MethodologyApproval,
    Partner,
    PartnerMethodology,
)
from carbonpeak.web.portal.uploads import tabular_upload_check

CHUNK = 20_000
"""Rows per bulk insert."""


class CreditsError(MethodologyError):
    """A credits operation refused (unknown partner or methodology, nothing to approve, ...)."""


def reference_ensure() -> None:
    """Load the packaged reference data when the methodology table is not loaded yet."""
    if selectors.methodology_table_version() is not None:
        return
    from carbonpeak.data import DATA_DIR
    from carbonpeak.io.reference import read_reference_data
    from carbonpeak.web.reference.services import reference_data_load

    reference_data_load(reference=read_reference_data(DATA_DIR))


def _methodology(code: str) -> Methodology:
    for m in selectors.methodologies():
        if m.code == code:
            return m
    raise CreditsError(f"unknown methodology '{code}'")


# --- partners, citizens, exclusions -------------------------------------------------------------------


def partner_create(
    *, code: str, name: str, methodologies: Sequence[str], synthetic: bool = False
) -> tuple[Partner, str]:
    """Create a partner with its methodologies; return it with its token (shown once, stored hashed)."""
    rules.partner_account(code)  # refuses codes that cannot name an account
    known = {m.code for m in selectors.methodologies()}
    unknown = sorted(set(methodologies) - known)
    if unknown:
        raise CreditsError(f"unknown methodologies: {', '.join(unknown)}")
    if Partner.objects.filter(code=code).exists():
        raise CreditsError(f"partner '{code}' already exists")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        partner = Partner.objects.create(
            code=code,
            name=name,
            token_sha256=token_hash(token),
            synthetic=synthetic,
            created_at=timezone.now(),
        )
        PartnerMethodology.objects.bulk_create(
            PartnerMethodology(partner=partner, code=c) for c in methodologies
        )
    return partner, token


def citizen_token_issue(*, partner: Partner, pseudonym: str) -> str:
    """A new token for a citizen account the partner has sent activities for (the old token stops working)."""
    account = CitizenAccount.objects.filter(pseudonym=pseudonym).first()
    if account is None or not Activity.objects.filter(partner=partner, account=pseudonym).exists():
        raise CreditsError(f"partner {partner.code} has no account '{pseudonym}'")
    token = secrets.token_urlsafe(32)
    CitizenAccount.objects.filter(pk=account.pk).update(token_sha256=token_hash(token))
    return token


def exclusion_add(
    *,
    scheme: str,
    reason: str,
    partner: Partner | None = None,
    activity_id: str = "",
    account: str = "",
    methodology: str = "",
) -> Exclusion:
    """Add an entry to the exclusion list (activities already claimed under another scheme)."""
    if not reason.strip():
        raise CreditsError("an exclusion needs a reason")
    if not (partner or activity_id or account or methodology):
        raise CreditsError("an exclusion must name a partner, an activity, an account or a methodology")
    return Exclusion.objects.create(
        scheme=scheme,
        reason=reason.strip(),
        partner=partner,
        activity_id=activity_id,
        account=account,
        methodology=methodology,
        created_at=timezone.now(),
    )


def _exclusion_matcher(partner: Partner) -> Any:
    entries = list(Exclusion.objects.filter(partner__isnull=True)) + list(
        Exclusion.objects.filter(partner=partner)
    )
    if not entries:
        return lambda claim: None

    def match(claim: ActivityClaim) -> str | None:
        for e in entries:
            if (
                (not e.activity_id or e.activity_id == claim.activity_id)
                and (not e.account or e.account == claim.account)
                and (not e.methodology or e.methodology == claim.methodology)
            ):
                return f"{e.scheme}: {e.reason}"
        return None

    return match


# --- ledger storage -------------------------------------------------------------------------------------


def _insert(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, skip_conflicts_on: str = ""
) -> None:
    """Bulk insert with one prepared statement (no per-row ORM saves).

    ``skip_conflicts_on`` names a unique column whose clashing rows are left out (``ON CONFLICT DO
    NOTHING``, on SQLite and PostgreSQL alike).
    """
    # table and column names are this app's own constants, quoted; values go through parameters
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608
    if skip_conflicts_on:
        sql += f" ON CONFLICT ({connection.ops.quote_name(skip_conflicts_on)}) DO NOTHING"
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _store(
    tx: Transaction,
    *,
    batch: ImportBatch | None = None,
    reverses: LedgerTransaction | None = None,
    synthetic: bool = False,
    activity_ids: dict[str, int] | None = None,
) -> LedgerTransaction:
    """Insert a core transaction and its entries (it must balance)."""
    if not tx.balanced:
        raise LedgerError(f"{tx.operation}: postings do not balance, nothing was stored")
    header = LedgerTransaction.objects.create(
        operation=tx.operation.value,
        booked_on=tx.on,
        created_at=timezone.now(),
        reverses=reverses,
        memo=tx.memo[:300],
        batch=batch,
        synthetic=synthetic,
    )
    ids = activity_ids or {}
    adapt = connection.ops.adapt_datefield_value
    _insert(
        LedgerEntry._meta.db_table,
        ("transaction_id", "account", "amount_gco2e", "vintage", "methodology", "activity_id"),
        (
            (header.pk, p.account, p.amount_gco2e, adapt(p.vintage), p.methodology, ids.get(p.activity))
            for p in tx.postings
        ),
    )
    return header


def _as_core(header: LedgerTransaction) -> Transaction:
    entries = LedgerEntry.objects.filter(transaction=header).select_related("activity").order_by("id")
    return Transaction(
        str(header.pk),
        rules.Operation(header.operation),
        header.booked_on,
        tuple(
            rules.Posting(
                e.account,
                e.amount_gco2e,
                e.vintage,
                e.methodology,
                str(e.activity_id) if e.activity_id else "",
            )
            for e in entries
        ),
        str(header.reverses_id or ""),
        header.memo,
    )


def _lock_citizens(pseudonyms: Iterable[str]) -> None:
    list(CitizenAccount.objects.select_for_update().filter(pseudonym__in=list(pseudonyms)).values_list("id"))


def _pseudonym(account: str) -> str:
    if rules.account_kind(account) is not rules.AccountKind.CITIZEN:
        raise CreditsError(f"{account} is not a citizen account")
    return account.split(":", 1)[1]


def credits_transfer(
    *, source: str, target: str, amount_gco2e: int, on: date, memo: str = ""
) -> LedgerTransaction:
    """Transfer credits between two citizens (pseudonyms), oldest vintage first."""
    a, b = citizen_account(source), citizen_account(target)
    with transaction.atomic():
        _lock_citizens([source, target])
        tx = rules.transfer(
            selectors.lots([a]), txid="new", on=on, source=a, target=b, amount_gco2e=amount_gco2e, memo=memo
        )
        return _store(tx)


def credits_redeem(
    *, pseudonym: str, partner: Partner, amount_gco2e: int, on: date, memo: str = ""
) -> LedgerTransaction:
    """Redeem a citizen's credits for a partner's reward (they end in the partner's account)."""
    account = citizen_account(pseudonym)
    with transaction.atomic():
        _lock_citizens([pseudonym])
        tx = rules.redeem(
            selectors.lots([account]),
            txid="new",
            on=on,
            account=account,
            partner=rules.partner_account(partner.code),
            amount_gco2e=amount_gco2e,
            memo=memo,
        )
        return _store(tx)


def credits_expire(*, on: date, period_months: int) -> LedgerTransaction | None:
    """Expire every citizen lot older than ``period_months`` on ``on`` (FIFO by vintage); ``None`` if none."""
    with transaction.atomic():
        tx = rules.expire(selectors.citizen_lots(), txid="new", on=on, period_months=period_months)
        return None if tx is None else _store(tx)


def transaction_reverse(*, transaction_id: int, on: date, memo: str = "") -> LedgerTransaction:
    """Reverse a whole ledger transaction by a mirror transaction (never an edit or a delete)."""
    with transaction.atomic():
        original = LedgerTransaction.objects.select_for_update().filter(pk=transaction_id).first()
        if original is None:
            raise CreditsError(f"no ledger transaction {transaction_id}")
        core = _as_core(original)
        accounts = {p.account for p in core.postings}
        already = LedgerTransaction.objects.filter(reverses=original).exists()
        tx = rules.reverse(
            selectors.lots(accounts), core, txid="new", on=on, already_reversed=already, memo=memo
        )
        ids = {p.activity: int(p.activity) for p in tx.postings if p.activity}
        header = _store(tx, reverses=original, activity_ids=ids)
        if core.operation is rules.Operation.ISSUE:
            Activity.objects.filter(pk__in=list(ids.values())).update(status=Activity.REVERSED)
        return header


def activity_credit_reverse(*, activity: Activity, on: date, memo: str = "") -> LedgerTransaction:
    """Reverse the credit of one activity (a correction): its citizen entry and the matching pool entry."""
    with transaction.atomic():
        entry = (
            LedgerEntry.objects.select_related("transaction")
            .filter(activity=activity, transaction__operation="issue")
            .first()
        )
        if entry is None or activity.status != Activity.CREDITED:
            raise CreditsError(f"activity {activity} has no credit to reverse")
        original = Transaction(
            f"{entry.transaction_id}/{activity.pk}",
            rules.Operation.ISSUE,
            entry.transaction.booked_on,
            (
                rules.Posting(
                    entry.account, entry.amount_gco2e, entry.vintage, entry.methodology, str(activity.pk)
                ),
                rules.Posting(rules.POOL, -entry.amount_gco2e, entry.vintage, entry.methodology),
            ),
        )
        tx = rules.reverse(
            selectors.lots([entry.account]), original, txid="new", on=on, memo=memo or f"reverse {activity}"
        )
        header = _store(tx, activity_ids={str(activity.pk): activity.pk})
        Activity.objects.filter(pk=activity.pk).update(status=Activity.REVERSED)
        return header


# --- activities ---------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import did: counts, the refused and held activities with their reasons, and row errors."""

    received: int = 0
    credited: int = 0
    held: int = 0
    refused: int = 0
    duplicates: int = 0
    conflicts: int = 0
    credited_gco2e: int = 0
    refusals: list[tuple[str, str, str]] = field(default_factory=list)
    """(activity id, refusal code, reason) of refused and held activities (the first 1,000)."""
    conflicting: list[str] = field(default_factory=list)
    """Activity ids re-sent with different content (the first 1,000): never re-credited."""
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the import was accepted (row errors reject the whole file)."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "received": self.received,
            "credited": self.credited,
            "held": self.held,
            "refused": self.refused,
            "duplicates": self.duplicates,
            "conflicts": self.conflicts,
            "credited_kgco2e": self.credited_gco2e / 1000,
            "refusals": [{"activity_id": a, "refusal": r, "reason": why} for a, r, why in self.refusals],
            "conflicting": list(self.conflicting),
            "errors": [str(e) for e in self.errors],
        }


def _fingerprint(claim: ActivityClaim) -> str:
    text = "|".join(
        (
            claim.account,
            claim.methodology,
            repr(claim.quantity),
            claim.unit,
            claim.occurred_at.isoformat(),
            claim.claimed_elsewhere,
        )
    )
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _existing(partner: Partner, ids: Sequence[str]) -> dict[str, str]:
    """Fingerprints of the partner's already stored activities among ``ids``."""
    qs = Activity.objects.filter(partner=partner)
    if len(ids) > 5_000:
        return dict(qs.values_list("activity_id", "fingerprint").iterator(chunk_size=50_000))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        found.update(
            qs.filter(activity_id__in=ids[start : start + 500]).values_list("activity_id", "fingerprint")
        )
    return found


def _datetime_adapter() -> Any:
    """How an aware datetime is passed to a raw insert (SQLite: Django's UTC text)."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    utc = ZoneInfo("UTC")

    def to_text(moment: datetime) -> str:
        # the form Django's SQLite backend stores (naive UTC, ISO with a space)
        return moment.astimezone(utc).replace(tzinfo=None).isoformat(" ")

    return to_text


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def activities_import(
    *, partner: Partner, claims: Sequence[ActivityClaim], label: str, synthetic: bool = False
) -> ImportOutcome:
    """Store a partner's activities and issue the credits they earn, in one database transaction.

    An activity whose (partner, activity id) is already stored is a duplicate and earns nothing again; if its
    content differs it is also listed as a conflict. Refused activities (claimed under the ETS or CCER, on the
    exclusion list, a methodology not assigned to the partner, ...) are stored with their reason; activities
    of an unconfirmed methodology are held and credited when the office approves it.

    Parameters
    ----------
    partner : Partner
        The partner the activities come from (authenticated by its token or named by the office).
    claims : sequence of ActivityClaim
        The activities (validated by :mod:`carbonpeak.io.credits`).
    label : str
        Where they came from (file name, ``api``).
    """
    outcome = ImportOutcome(received=len(claims))
    if not claims:
        return outcome
    views = {v.methodology.code: v for v in selectors.methodology_views()}
    assigned = set(PartnerMethodology.objects.filter(partner=partner).values_list("code", flat=True))
    excluded = _exclusion_matcher(partner)
    zone = ZoneInfo(settings.TIME_ZONE)
    adapt_dt = _datetime_adapter()
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).values_list("id").first()
        existing = _existing(partner, [c.activity_id for c in claims])
        now = timezone.now()
        batch = ImportBatch.objects.create(
            partner=partner, label=label[:200], received_at=now, synthetic=synthetic
        )
        partner_pk, batch_pk = partner.pk, batch.pk
        activity_rows: list[tuple[Any, ...]] = []
        lines: list[IssueLine] = []
        accounts: set[str] = set()
        for claim in claims:
            print_ = _fingerprint(claim)
            stored = existing.get(claim.activity_id)
            if stored is not None:
                outcome.duplicates += 1
                if stored != print_:
                    outcome.conflicts += 1
                    if len(outcome.conflicting) < 1000:
                        outcome.conflicting.append(claim.activity_id)
                continue
            view = views.get(claim.methodology)
            decision = decide_credit(
                claim,
                view.methodology if view else None,
                status=view.status if view else MethodologyStatus.UNCONFIRMED,
                assigned=claim.methodology in assigned,
                excluded_reason=excluded(claim),
            )
            occurred = _aware(claim.occurred_at, zone)
            if decision.credited:
                status = Activity.CREDITED
                outcome.credited += 1
                outcome.credited_gco2e += decision.credit_gco2e
                if decision.credit_gco2e > 0:
                    lines.append(
                        IssueLine(
                            f"citizen:{claim.account}",  # a pseudonym the reader validated
                            decision.credit_gco2e,
                            occurred.astimezone(zone).date(),
                            claim.methodology,
                            claim.activity_id,
                        )
                    )
            elif decision.refusal is Refusal.METHODOLOGY_UNCONFIRMED:
                status = Activity.HELD
                outcome.held += 1
            else:
                status = Activity.REFUSED
                outcome.refused += 1
            if decision.refusal is not None and len(outcome.refusals) < 1000:
                outcome.refusals.append((claim.activity_id, decision.refusal.value, decision.reason))
            accounts.add(claim.account)
            activity_rows.append(
                (
                    partner_pk,
                    claim.activity_id,
                    claim.account,
                    claim.methodology,
                    view.methodology.version if view else "",
                    claim.quantity,
                    claim.unit,
                    adapt_dt(occurred),
                    claim.claimed_elsewhere,
                    print_,
                    status,
                    decision.refusal.value if decision.refusal else "",
                    decision.reason[:300],
                    decision.credit_gco2e,
                    batch_pk,
                    synthetic,
                )
            )
        stamp = adapt_dt(now)
        _insert(
            CitizenAccount._meta.db_table,
            ("pseudonym", "created_at", "synthetic"),
            ((a, stamp, synthetic) for a in sorted(accounts)),
            skip_conflicts_on="pseudonym",
        )
        _insert(
            Activity._meta.db_table,
            (
                "partner_id",
                "activity_id",
                "account",
                "methodology",
                "methodology_version",
                "quantity",
                "unit",
                "occurred_at",
                "claimed_elsewhere",
                "fingerprint",
                "status",
                "refusal",
                "reason",
                "credit_gco2e",
                "batch_id",
                "synthetic",
            ),
            activity_rows,
        )
        if lines:
            ids = dict(
                Activity.objects.filter(
                    batch=batch, status=Activity.CREDITED, credit_gco2e__gt=0
                ).values_list("activity_id", "id")
            )
            tx = rules.issue(
                txid="new", on=now.astimezone(zone).date(), lines=lines, memo=f"{partner.code}: {label}"
            )
            _store(tx, batch=batch, synthetic=synthetic, activity_ids=ids)
        ImportBatch.objects.filter(pk=batch.pk).update(
            received=outcome.received,
            credited=outcome.credited,
            held=outcome.held,
            refused=outcome.refused,
            duplicates=outcome.duplicates,
            conflicts=outcome.conflicts,
        )
    return outcome


def activity_file_import(
    *, partner: Partner, path: Path, content: bytes | None = None, synthetic: bool = False
) -> ImportOutcome:
    """Read an activity file and import it (a file with any bad row imports nothing; each is named)."""
    parsed = read_activity_file(path, partner.code, content)
    if parsed.errors:
        errors = list(parsed.errors)
        if parsed.more_errors:
            errors.append(
                RowError(path.name, None, (("", f"and {parsed.more_errors} more rows with errors"),))
            )
        return ImportOutcome(received=0, errors=errors)
    return activities_import(partner=partner, claims=parsed.claims, label=path.name, synthetic=synthetic)


def activity_upload_import(*, partner: Partner, filename: str, content: bytes) -> ImportOutcome:
    """Check an uploaded file (.csv/.xlsx within the size limit) and import it."""
    tabular_upload_check(filename=filename, content=content)
    return activity_file_import(partner=partner, path=Path(filename), content=content)


# --- approvals ----------------------------------------------------------------------------------------


def methodology_approve(*, code: str, user: User | None = None, label: str = "", note: str = "") -> int:
    """Record the office's approval of the current version of ``code`` and credit its held activities.

    Returns
    -------
    int
        Number of held activities credited.

    Raises
    ------
    CreditsError
        If the methodology is unknown, already approved or published, or its factors are not known.
    """
    methodology = _methodology(code)
    if not methodology.factors_complete:
        raise CreditsError(
            f"methodology {code}: its factors are not known (evidence X); "
            "fill them in the reference data first"
        )
    existing = MethodologyApproval.objects.filter(code=code, version=methodology.version).first()
    if existing is not None or methodology_status(methodology, approved=False) is MethodologyStatus.APPROVED:
        raise CreditsError(f"methodology {code} {methodology.version} is already approved")
    who = label or (user.get_username() if user is not None else "office")
    zone = ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        MethodologyApproval.objects.create(
            code=code,
            version=methodology.version,
            approved_by=user,
            approved_by_label=who[:150],
            approved_at=timezone.now(),
            note=note[:500],
        )
        return _credit_held(methodology, zone)


def _credit_held(methodology: Methodology, zone: ZoneInfo) -> int:
    held = list(
        Activity.objects.filter(status=Activity.HELD, methodology=methodology.code).select_related("partner")
    )
    if not held:
        return 0
    today = timezone.now().astimezone(zone).date()
    by_partner: dict[int, list[Activity]] = {}
    for a in held:
        by_partner.setdefault(a.partner_id, []).append(a)
    credited = 0
    for activities in by_partner.values():
        lines = []
        amounts: dict[int, int] = {}
        for a in activities:
            claim = ActivityClaim(
                a.partner.code,
                a.activity_id,
                a.account,
                a.methodology,
                a.quantity,
                a.unit,
                a.occurred_at,
                a.claimed_elsewhere,
            )
            decision = decide_credit(claim, methodology, status=MethodologyStatus.APPROVED, assigned=True)
            if not decision.credited:
                continue
            amounts[a.pk] = decision.credit_gco2e
            if decision.credit_gco2e > 0:
                lines.append(
                    IssueLine(
                        citizen_account(a.account),
                        decision.credit_gco2e,
                        a.occurred_at.astimezone(zone).date(),
                        a.methodology,
                        str(a.pk),
                    )
                )
        if lines:
            tx = rules.issue(txid="new", on=today, lines=lines, memo=f"approval of {methodology.code}")
            _store(tx, activity_ids={str(pk): pk for pk in amounts}, synthetic=activities[0].synthetic)
        for pk, grams in amounts.items():
            Activity.objects.filter(pk=pk).update(
                status=Activity.CREDITED,
                refusal="",
                reason="",
                credit_gco2e=grams,
                methodology_version=methodology.version,
            )
        credited += len(amounts)
    return credited


# --- demo ---------------------------------------------------------------------------------------------


def demo_credits_load(*, seed: int) -> str:
    """Load the SYNTHETIC demo partners and a month of their activities (idempotent); return a summary.

    Nothing is approved: every shipped methodology is unconfirmed, so the activities are held until the
    office approves a methodology (metro and bus trips can be approved; EV charging and recycling factors
    for Shanghai were not found, so those stay held).
    """
    from carbonpeak.demo.credits import PARTNERS, demo_activities

    reference_ensure()
    activities = demo_activities(seed=seed)
    credited = held = refused = duplicates = 0
    for demo in PARTNERS:
        partner = Partner.objects.filter(code=demo.code).first()
        if partner is None:
            partner, _token = partner_create(
                code=demo.code, name=demo.name, methodologies=demo.methodologies, synthetic=True
            )
        outcome = activities_import(
            partner=partner, claims=activities[demo.code], label="SYNTHETIC demo month", synthetic=True
        )
        credited += outcome.credited
        held += outcome.held
        refused += outcome.refused
        duplicates += outcome.duplicates
    return (
        f"SYNTHETIC: {len(PARTNERS)} partners, {credited} activities credited, {held} held for approval, "
        f"{refused} refused (claimed under CCER), {duplicates} already loaded"
    )
