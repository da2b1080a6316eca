from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonpeak.core.credits.ledger import (
    EXPIRED,
    POOL,
    AccountKind,
    IssueLine,
    Ledger,
    LedgerError,
    Lot,
    Transaction,
    account_kind,
    add_months,
    balances,
    citizen_account,
    flows,
    issue,
    partner_account,
)

A, B, C = (citizen_account(x) for x in ("alice", "bob", "carol"))
SHOP = partner_account("shop")
D0 = date(2026, 1, 1)


def test_issue_balances_and_draws_on_pool():
    tx = issue(txid="t1", on=D0, lines=[IssueLine(A, 970, D0, "metro"), IssueLine(B, 30, D0, "metro")])
    assert tx.balanced
    assert balances(tx.postings) == {A: 970, B: 30, POOL: -1000}


def test_redeem_is_fifo_by_vintage():
    ledger = Ledger()
    ledger.issue(date(2026, 3, 1), [IssueLine(A, 500, date(2026, 3, 1), "bus")])
    ledger.issue(date(2026, 1, 1), [IssueLine(A, 300, date(2026, 1, 1), "metro")])
    tx = ledger.redeem(date(2026, 4, 1), A, SHOP, 400)
    assert tx is not None
    taken = {p.lot: -p.amount_gco2e for p in tx.postings if p.account == A}
    assert taken == {Lot(date(2026, 1, 1), "metro"): 300, Lot(date(2026, 3, 1), "bus"): 100}
    assert ledger.balance(A) == 400
    assert ledger.balance(SHOP) == 400


def test_expiry_takes_only_lots_past_the_period():
    ledger = Ledger()
    ledger.issue(
        D0, [IssueLine(A, 100, date(2026, 1, 31), "metro"), IssueLine(A, 50, date(2026, 3, 1), "bus")]
    )
    assert ledger.expire(date(2026, 2, 27), period_months=1) is None
    tx = ledger.expire(date(2026, 2, 28), period_months=1)  # 31 Jan + 1 month = 28 Feb
    assert tx is not None
    assert ledger.balance(A) == 50
    assert ledger.balance(EXPIRED) == 100
    with pytest.raises(LedgerError, match="period"):
        ledger.expire(D0, period_months=0)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_insufficient_credits_and_bad_accounts_refused():
    ledger = Ledger()
    ledger.issue(D0, [IssueLine(A, 100, D0, "metro")])
    with pytest.raises(LedgerError, match="fewer than"):
        ledger.transfer(D0, A, B, 101)
    with pytest.raises(LedgerError, match="not a citizen"):
        ledger.transfer(D0, A, SHOP, 1)
    with pytest.raises(LedgerError, match="same account"):
        ledger.transfer(D0, A, A, 1)
    with pytest.raises(LedgerError, match="whole number"):
        ledger.issue(D0, [IssueLine(A, 0, D0, "metro")])
    with pytest.raises(LedgerError, match="not an account"):
        account_kind("bank:x")
    with pytest.raises(LedgerError, match="pseudonymous"):
        citizen_account("138 0000")


def test_reversal_mirrors_and_cannot_repeat():
    ledger = Ledger()
    tx = ledger.issue(D0, [IssueLine(A, 100, D0, "metro")])
    assert tx is not None
    ledger.reverse(tx.txid, D0)
    assert ledger.balance(A) == 0
    assert ledger.balance(POOL) == 0
    with pytest.raises(LedgerError, match="already reversed"):
        ledger.reverse(tx.txid, D0)
    with pytest.raises(LedgerError, match="is a reversal"):
        ledger.reverse(ledger.transactions[-1].txid, D0)
    assert len(ledger.transactions) == 2  # nothing was removed


def test_reversal_refused_when_credits_were_spent():
    ledger = Ledger()
    tx = ledger.issue(D0, [IssueLine(A, 100, D0, "metro")])
    ledger.redeem(D0, A, SHOP, 60)
    assert tx is not None
    with pytest.raises(LedgerError, match="fewer than the 100 g"):
        ledger.reverse(tx.txid, D0)


def test_round_trip():
    tx = issue(txid="t1", on=D0, lines=[IssueLine(A, 5, D0, "metro", "p/a1")])
    assert Transaction.from_dict(tx.to_dict()) == tx


CITIZENS = (A, B, C)
operation = st.one_of(
    st.tuples(
        st.just("issue"),
        st.sampled_from(CITIZENS),
        st.integers(1, 5000),
        st.integers(0, 400),
        st.sampled_from(["metro", "bus"]),
    ),
    st.tuples(
        st.just("transfer"), st.sampled_from(CITIZENS), st.sampled_from(CITIZENS), st.integers(1, 6000)
    ),
    st.tuples(st.just("redeem"), st.sampled_from(CITIZENS), st.integers(1, 6000)),
    st.tuples(st.just("expire"), st.integers(0, 400), st.integers(1, 12)),
    st.tuples(st.just("reverse"), st.integers(0, 60)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(operation, max_size=60))
def test_invariants_over_random_operation_sequences(ops):
    ledger = Ledger()
    for op in ops:
        try:
            if op[0] == "issue":
                _, who, grams, day, methodology = op
                vintage = D0 + timedelta(days=day)
                ledger.issue(vintage, [IssueLine(who, grams, vintage, methodology)])
            elif op[0] == "transfer":
                ledger.transfer(D0, op[1], op[2], op[3])
            elif op[0] == "redeem":
                ledger.redeem(D0, op[1], SHOP, op[2])
            elif op[0] == "expire":
                ledger.expire(D0 + timedelta(days=op[1]), op[2])
            elif ledger.transactions:
                ledger.reverse(ledger.transactions[op[1] % len(ledger.transactions)].txid, D0)
        except LedgerError:
            continue  # a refused operation appends nothing
    # every entry (transaction) balances
    assert all(tx.balanced for tx in ledger.transactions)
    # balances are the sums of entries, and the whole ledger nets to zero
    totals = balances(ledger.postings())
    assert sum(totals.values()) == 0
    for account, lots in ledger.book.items():
        assert sum(lots.values()) == totals.get(account, 0)
        if account_kind(account) is AccountKind.CITIZEN:
            assert all(g >= 0 for g in lots.values())  # no citizen lot is ever overdrawn
    # citizens hold what was issued less what was redeemed and expired, reversals netted
    f = flows(ledger.transactions)
    citizens = sum(g for acct, g in totals.items() if account_kind(acct) is AccountKind.CITIZEN)
    assert citizens == f.issued_gco2e - f.redeemed_gco2e - f.expired_gco2e
    assert f.issued_gco2e == -totals.get(POOL, 0)
    assert f.redeemed_gco2e == totals.get(SHOP, 0)
    assert f.expired_gco2e == totals.get(EXPIRED, 0)
