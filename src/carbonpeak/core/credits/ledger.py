"""The carbon-credit ledger: append-only, double-entry, in whole grams of CO2e.

Every transaction is a set of postings that sums to zero. Balances are never stored: an account's balance
is the sum of its postings, and a *lot* is the sum of an account's postings of one vintage (the day the
credited activity took place) and one methodology. Accounts:

* ``citizen:<pseudonym>``: a citizen, known only by a pseudonymous id (the partner keeps any mapping to a
  phone number);
* ``partner:<code>``: a partner; credits a citizen redeems for a partner's reward end here and stay there
  (retired: partner accounts never send, except when a redemption is reversed);
* ``pool``: the district pool every issue is drawn from (its balance is minus the credits outstanding);
* ``expired``: credits that reached the end of their validity period.

Operations: ``issue`` (pool to citizens), ``transfer`` (citizen to citizen), ``redeem`` (citizen to the
rewarding partner), ``expire`` (citizen lots older than the period, first in first out, to ``expired``) and
``reverse`` (the mirror of an earlier transaction; a correction is always a reversal, never an edit).
Transfers and redemptions consume the oldest vintage first.

References
----------
.. [1] 上海市碳普惠管理办法 (沪环规〔2025〕10号): credits (碳普惠减排量) are recorded in accounts,
   redeemed for rewards and may be given a validity period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from carbonpeak.core.errors import CarbonpeakError

POOL = "pool"
"""Account every issue is drawn from."""
EXPIRED = "expired"
"""Account expired credits go to."""


class LedgerError(CarbonpeakError, ValueError):
    """An operation the ledger refuses (insufficient credits, unbalanced postings, a second reversal, ...)."""


class Operation(StrEnum):
    """Ledger operations."""

    ISSUE = "issue"
    TRANSFER = "transfer"
    REDEEM = "redeem"
    EXPIRE = "expire"
    REVERSE = "reverse"


class AccountKind(StrEnum):
    """Kinds of account."""

    CITIZEN = "citizen"
    PARTNER = "partner"
    POOL = "pool"
    EXPIRED = "expired"


def citizen_account(pseudonym: str) -> str:
    """Account id of a citizen (``citizen:<pseudonym>``); the pseudonym must be non-empty, without spaces."""
    if not pseudonym or any(c.isspace() for c in pseudonym) or ":" in pseudonym:
        raise LedgerError(f"'{pseudonym}' is not a pseudonymous account id (no spaces or ':')")
    return f"citizen:{pseudonym}"


def partner_account(code: str) -> str:
    """Account id of a partner (``partner:<code>``)."""
    if not code or any(c.isspace() for c in code) or ":" in code:
        raise LedgerError(f"'{code}' is not a partner code")
    return f"partner:{code}"


def account_kind(account: str) -> AccountKind:
    """The kind of an account id; unknown forms are refused."""
    if account == POOL:
        return AccountKind.POOL
    if account == EXPIRED:
        return AccountKind.EXPIRED
    head, sep, tail = account.partition(":")
    if sep and tail:
        if head == "citizen":
            return AccountKind.CITIZEN
        if head == "partner":
            return AccountKind.PARTNER
    raise LedgerError(f"'{account}' is not an account id (citizen:<id>, partner:<code>, pool, expired)")


@dataclass(frozen=True, slots=True, order=True)
class Lot:
    """Credits of one vintage [date of the activity] and one methodology; ordered oldest first."""

    vintage: date
    methodology: str


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of a transaction: ``amount_gco2e`` [g CO2e] added to ``account`` (negative: taken)."""

    account: str
    amount_gco2e: int
    vintage: date
    methodology: str
    activity: str = ""
    """Reference of the activity an issue posting credits (empty otherwise)."""

    @property
    def lot(self) -> Lot:
        """The lot this posting belongs to."""
        return Lot(self.vintage, self.methodology)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "account": self.account,
            "amount_gco2e": self.amount_gco2e,
            "vintage": self.vintage.isoformat(),
            "methodology": self.methodology,
            "activity": self.activity,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Posting:
        """Inverse of :meth:`to_dict`."""
        return cls(
            str(data["account"]),
            int(data["amount_gco2e"]),
            date.fromisoformat(str(data["vintage"])),
            str(data["methodology"]),
            str(data.get("activity", "")),
        )


@dataclass(frozen=True, slots=True)
class Transaction:
    """A balanced set of postings made by one operation on one day."""

    txid: str
    operation: Operation
    on: date
    postings: tuple[Posting, ...]
    reverses: str = ""
    """The transaction a reversal mirrors."""
    memo: str = ""

    @property
    def balanced(self) -> bool:
        """Whether the postings sum to zero (every valid transaction does)."""
        return sum(p.amount_gco2e for p in self.postings) == 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "txid": self.txid,
            "operation": self.operation.value,
            "on": self.on.isoformat(),
            "postings": [p.to_dict() for p in self.postings],
            "reverses": self.reverses,
            "memo": self.memo,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transaction:
        """Inverse of :meth:`to_dict`."""
        return cls(
            str(data["txid"]),
            Operation(data["operation"]),
            date.fromisoformat(str(data["on"])),
            tuple(Posting.from_dict(p) for p in data["postings"]),
            str(data.get("reverses", "")),
            str(data.get("memo", "")),
        )


LotBook = Mapping[str, Mapping[Lot, int]]
"""Lots of the accounts an operation touches: account -> lot -> g CO2e (sums of postings)."""


def _checked(tx: Transaction) -> Transaction:
    if not tx.postings:
        raise LedgerError(f"{tx.operation} {tx.txid}: has no postings")
    if not tx.balanced:
        raise LedgerError(f"{tx.operation} {tx.txid}: postings do not balance")
    for p in tx.postings:
        account_kind(p.account)
    return tx


def _positive(amount: int, what: str) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise LedgerError(f"{what}: amount {amount!r} must be a whole number of grams above zero")


@dataclass(frozen=True, slots=True)
class IssueLine:
    """One citizen's credit in an issue: ``amount_gco2e`` [g] of ``methodology``, vintage ``vintage``."""

    account: str
    amount_gco2e: int
    vintage: date
    methodology: str
    activity: str = ""


def issue(*, txid: str, on: date, lines: Sequence[IssueLine], memo: str = "") -> Transaction:
    """Issue credits from the district pool to citizens.

    Parameters
    ----------
    txid : str
        Identifier of the new transaction.
    on : date
        Booking date.
    lines : sequence of IssueLine
        One line per credited activity (many activities may share one transaction).

    Returns
    -------
    Transaction
        Citizen postings ``+amount`` and one pool posting ``-sum`` per lot.
    """
    pool: dict[Lot, int] = defaultdict(int)
    postings: list[Posting] = []
    for line in lines:
        _positive(line.amount_gco2e, "issue")
        if account_kind(line.account) is not AccountKind.CITIZEN:
            raise LedgerError(f"issue: {line.account} is not a citizen account")
        postings.append(
            Posting(line.account, line.amount_gco2e, line.vintage, line.methodology, line.activity)
        )
        pool[Lot(line.vintage, line.methodology)] += line.amount_gco2e
    postings += [Posting(POOL, -amount, lot.vintage, lot.methodology) for lot, amount in sorted(pool.items())]
    return _checked(Transaction(txid, Operation.ISSUE, on, tuple(postings), memo=memo))


def _take_fifo(book: LotBook, account: str, amount: int) -> list[tuple[Lot, int]]:
    lots = sorted((lot, g) for lot, g in book.get(account, {}).items() if g > 0)
    available = sum(g for _, g in lots)
    if available < amount:
        raise LedgerError(f"{account} holds {available} g CO2e, fewer than the {amount} g asked for")
    taken: list[tuple[Lot, int]] = []
    for lot, g in lots:
        if amount == 0:
            break
        part = min(g, amount)
        taken.append((lot, part))
        amount -= part
    return taken


def _move(book: LotBook, source: str, target: str, amount: int) -> tuple[Posting, ...]:
    postings: list[Posting] = []
    for lot, part in _take_fifo(book, source, amount):
        postings.append(Posting(source, -part, lot.vintage, lot.methodology))
        postings.append(Posting(target, part, lot.vintage, lot.methodology))
    return tuple(postings)


def transfer(
    book: LotBook, *, txid: str, on: date, source: str, target: str, amount_gco2e: int, memo: str = ""
) -> Transaction:
    """Move ``amount_gco2e`` [g] from one citizen to another, oldest vintage first."""
    _positive(amount_gco2e, "transfer")
    for account in (source, target):
        if account_kind(account) is not AccountKind.CITIZEN:
            raise LedgerError(f"transfer: {account} is not a citizen account")
    if source == target:
        raise LedgerError("transfer: source and target are the same account")
    postings = _move(book, source, target, amount_gco2e)
    return _checked(Transaction(txid, Operation.TRANSFER, on, postings, memo=memo))


def redeem(
    book: LotBook, *, txid: str, on: date, account: str, partner: str, amount_gco2e: int, memo: str = ""
) -> Transaction:
    """Redeem ``amount_gco2e`` [g] of a citizen's credits for a partner's reward, oldest vintage first."""
    _positive(amount_gco2e, "redeem")
    if account_kind(account) is not AccountKind.CITIZEN:
        raise LedgerError(f"redeem: {account} is not a citizen account")
    if account_kind(partner) is not AccountKind.PARTNER:
        raise LedgerError(f"redeem: {partner} is not a partner account")
    postings = _move(book, account, partner, amount_gco2e)
    return _checked(Transaction(txid, Operation.REDEEM, on, postings, memo=memo))


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months (the last day of a shorter month when the day does not exist)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expire(book: LotBook, *, txid: str, on: date, period_months: int, memo: str = "") -> Transaction | None:
    """Expire every citizen lot whose vintage plus ``period_months`` is on or before ``on``.

    Parameters
    ----------
    book : LotBook
        Lots of the citizen accounts to consider.
    period_months : int
        Validity period of a credit [months], at least 1 (configurable; no default in code).

    Returns
    -------
    Transaction or None
        Postings moving each expired lot to ``expired``; ``None`` when nothing expires.
    """
    if isinstance(period_months, bool) or not isinstance(period_months, int) or period_months < 1:
        raise LedgerError(f"expire: period {period_months!r} must be a whole number of months, 1 or more")
    postings: list[Posting] = []
    for account in sorted(book):
        if account_kind(account) is not AccountKind.CITIZEN:
            continue
        for lot, g in sorted(book[account].items()):
            if g > 0 and add_months(lot.vintage, period_months) <= on:
                postings.append(Posting(account, -g, lot.vintage, lot.methodology))
                postings.append(Posting(EXPIRED, g, lot.vintage, lot.methodology))
    if not postings:
        return None
    return _checked(Transaction(txid, Operation.EXPIRE, on, tuple(postings), memo=memo))


def reverse(
    book: LotBook,
    original: Transaction,
    *,
    txid: str,
    on: date,
    already_reversed: bool = False,
    memo: str = "",
) -> Transaction:
    """The reversal of ``original``: every posting mirrored, so the pair nets to nothing.

    Refused when ``original`` is itself a reversal or was already reversed, or when the mirror would take
    more from an account's lot than the lot now holds (reverse the later operations first).
    """
    if original.operation is Operation.REVERSE:
        raise LedgerError(f"reverse: {original.txid} is a reversal; make a new operation instead")
    if already_reversed:
        raise LedgerError(f"reverse: {original.txid} is already reversed")
    needed: dict[tuple[str, Lot], int] = defaultdict(int)
    for p in original.postings:
        if p.amount_gco2e > 0 and account_kind(p.account) is not AccountKind.POOL:
            needed[(p.account, p.lot)] += p.amount_gco2e
    for (account, lot), g in sorted(needed.items()):
        held = book.get(account, {}).get(lot, 0)
        if held < g:
            raise LedgerError(
                f"reverse: {account} holds {held} g of {lot.methodology} {lot.vintage.isoformat()}, "
                f"fewer than the {g} g to take back"
            )
    postings = tuple(
        Posting(p.account, -p.amount_gco2e, p.vintage, p.methodology, p.activity) for p in original.postings
    )
    return _checked(Transaction(txid, Operation.REVERSE, on, postings, reverses=original.txid, memo=memo))


def apply(book: Mapping[str, Mapping[Lot, int]], tx: Transaction) -> dict[str, dict[Lot, int]]:
    """A new lot book with ``tx``'s postings added (``tx`` must balance)."""
    _checked(tx)
    result = {account: dict(lots) for account, lots in book.items()}
    for p in tx.postings:
        lots = result.setdefault(p.account, {})
        lots[p.lot] = lots.get(p.lot, 0) + p.amount_gco2e
    return result


def balances(postings: Iterable[Posting]) -> dict[str, int]:
    """Balance of every account [g CO2e]: the sum of its postings."""
    totals: dict[str, int] = defaultdict(int)
    for p in postings:
        totals[p.account] += p.amount_gco2e
    return dict(totals)


@dataclass(frozen=True, slots=True)
class Flows:
    """Credits issued, redeemed and expired [g CO2e], each net of its reversals."""

    issued_gco2e: int
    redeemed_gco2e: int
    expired_gco2e: int

    @property
    def outstanding_gco2e(self) -> int:
        """Issued minus redeemed minus expired: what citizens hold."""
        return self.issued_gco2e - self.redeemed_gco2e - self.expired_gco2e


def flows(transactions: Sequence[Transaction]) -> Flows:
    """Issued, redeemed and expired credits over ``transactions``, reversals netted [g CO2e]."""
    by_id = {tx.txid: tx for tx in transactions}
    totals: dict[Operation, int] = defaultdict(int)
    for tx in transactions:
        # a reversal's postings are the mirror of its original's, so adding them nets it out
        operation = by_id[tx.reverses].operation if tx.operation is Operation.REVERSE else tx.operation
        if operation is Operation.ISSUE:
            kind = AccountKind.CITIZEN
        elif operation is Operation.REDEEM:
            kind = AccountKind.PARTNER
        elif operation is Operation.EXPIRE:
            kind = AccountKind.EXPIRED
        else:
            continue
        totals[operation] += sum(p.amount_gco2e for p in tx.postings if account_kind(p.account) is kind)
    return Flows(totals[Operation.ISSUE], totals[Operation.REDEEM], totals[Operation.EXPIRE])


@dataclass
class Ledger:
    """An in-memory ledger: the reference implementation of the rules (the web app stores the same postings).

    Operations append a transaction and return it; nothing is ever changed or removed.
    """

    transactions: list[Transaction] = field(default_factory=list)
    book: dict[str, dict[Lot, int]] = field(default_factory=dict)
    reversed_ids: set[str] = field(default_factory=set)

    def _next(self) -> str:
        return f"t{len(self.transactions) + 1}"

    def _append(self, tx: Transaction | None) -> Transaction | None:
        if tx is None:
            return None
        self.book = apply(self.book, tx)
        self.transactions.append(tx)
        if tx.reverses:
            self.reversed_ids.add(tx.reverses)
        return tx

    def issue(self, on: date, lines: Sequence[IssueLine]) -> Transaction | None:
        """Append an issue."""
        return self._append(issue(txid=self._next(), on=on, lines=lines))

    def transfer(self, on: date, source: str, target: str, amount_gco2e: int) -> Transaction | None:
        """Append a transfer."""
        tx = transfer(
            self.book, txid=self._next(), on=on, source=source, target=target, amount_gco2e=amount_gco2e
        )
        return self._append(tx)

    def redeem(self, on: date, account: str, partner: str, amount_gco2e: int) -> Transaction | None:
        """Append a redemption."""
        tx = redeem(
            self.book, txid=self._next(), on=on, account=account, partner=partner, amount_gco2e=amount_gco2e
        )
        return self._append(tx)

    def expire(self, on: date, period_months: int) -> Transaction | None:
        """Append an expiry (``None`` when nothing expires)."""
        return self._append(expire(self.book, txid=self._next(), on=on, period_months=period_months))

    def reverse(self, txid: str, on: date) -> Transaction | None:
        """Append the reversal of transaction ``txid``."""
        original = next((t for t in self.transactions if t.txid == txid), None)
        if original is None:
            raise LedgerError(f"reverse: no transaction {txid}")
        tx = reverse(
            self.book, original, txid=self._next(), on=on, already_reversed=txid in self.reversed_ids
        )
        return self._append(tx)

    def balance(self, account: str) -> int:
        """Balance of ``account`` [g CO2e]."""
        return sum(self.book.get(account, {}).values())

    def postings(self) -> list[Posting]:
        """Every posting, in order."""
        return [p for tx in self.transactions for p in tx.postings]
