"""``carbonpeak credits``: partner activity import, balances, methodologies and the office's approval.

``--format json`` output is strict JSON. The command line acts as the office (it has the database).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from carbonpeak.cli.base import _Parser, fail, group_help, requires_database


def _dump(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, allow_nan=False, indent=2))


def _partner(code: str) -> Any:
    from carbonpeak.web.credits.models import Partner

    return Partner.objects.filter(code=code).first()


@requires_database
def cmd_import(args: argparse.Namespace) -> int:
    """Import a partner's activity file: all rows or none; re-importing credits nothing again."""
    from carbonpeak.web.credits.services import activity_file_import, reference_ensure

    path = Path(args.file)
    if not path.is_file():
        return fail(f"{path}: no such file")
    reference_ensure()
    partner = _partner(args.partner)
    if partner is None:
        return fail(f"unknown partner '{args.partner}' (create it with 'carbonpeak credits partner-create')")
    outcome = activity_file_import(partner=partner, path=path)
    if outcome.errors:
        for error in outcome.errors[1:]:
            print(f"carbonpeak: error: {error}", file=sys.stderr)
        return fail(f"{outcome.errors[0]} ({len(outcome.errors)} rows with errors; nothing was imported)")
    if args.format == "json":
        _dump(outcome.to_dict())
        return 0
    print(
        f"{path.name}: {outcome.received:,} received, {outcome.credited:,} credited "
        f"({outcome.credited_gco2e / 1000:,.3f} kgCO2e), {outcome.held:,} held, {outcome.refused:,} refused, "
        f"{outcome.duplicates:,} already received "
        f"({outcome.conflicts:,} with changed content, not re-credited)"
    )
    for activity_id, _code, reason in outcome.refusals[:50]:
        print(f"  {activity_id}: {reason}")
    return 0


@requires_database
def cmd_balance(args: argparse.Namespace) -> int:
    """Print a citizen account's balance and entries."""
    from carbonpeak.core.credits.ledger import LedgerError
    from carbonpeak.web.credits.models import CitizenAccount
    from carbonpeak.web.credits.selectors import statement

    try:
        grams, entries = statement(args.account)
    except LedgerError as exc:
        return fail(str(exc))
    if not CitizenAccount.objects.filter(pseudonym=args.account).exists():
        return fail(f"unknown account '{args.account}'")
    rows = [
        {
            "booked_on": e.booked_on.isoformat(),
            "operation": e.operation,
            "amount_kgco2e": e.amount_gco2e / 1000,
            "vintage": e.vintage.isoformat(),
            "methodology": e.methodology,
            "activity_id": e.activity,
        }
        for e in entries
    ]
    if args.format == "json":
        _dump({"account": args.account, "balance_kgco2e": grams / 1000, "entries": rows})
        return 0
    print(f"{args.account}: {grams / 1000:,.3f} kgCO2e")
    for r in rows:
        print(
            f"  {r['booked_on']}  {r['operation']:<8} {r['amount_kgco2e']:>12,.3f}  "
            f"{r['methodology']}  {r['activity_id']}"
        )
    return 0


@requires_database
def cmd_methodologies(args: argparse.Namespace) -> int:
    """List the methodologies with their credit per unit and status (approved or unconfirmed)."""
    from carbonpeak.web.credits.selectors import methodology_views
    from carbonpeak.web.credits.services import reference_ensure

    reference_ensure()
    rows = [
        {
            "code": v.methodology.code,
            "behaviour": v.methodology.behaviour,
            "unit": v.methodology.activity_unit,
            "credit_kgco2e_per_unit": v.methodology.credit_kgco2e_per_unit,
            "status": v.status.value,
        }
        for v in methodology_views()
    ]
    if args.format == "json":
        _dump(rows)
        return 0
    for r in rows:
        credit = "—" if r["credit_kgco2e_per_unit"] is None else f"{r['credit_kgco2e_per_unit']:.4g}"
        print(f"{r['code']:<24} {r['behaviour']:<14} {credit:>8} kgCO2e/{r['unit']:<5} {r['status']}")
    return 0


@requires_database
def cmd_approve(args: argparse.Namespace) -> int:
    """Record the office's approval of a methodology (and credit the activities held for it)."""
    from carbonpeak.web.credits.services import CreditsError, methodology_approve, reference_ensure

    reference_ensure()
    try:
        credited = methodology_approve(code=args.code, label=args.by, note=args.note)
    except CreditsError as exc:
        return fail(str(exc))
    print(f"{args.code}: approved by {args.by}; {credited:,} held activities credited")
    return 0


@requires_database
def cmd_partner_create(args: argparse.Namespace) -> int:
    """Create a partner with its methodologies and print its token (shown once)."""
    from carbonpeak.web.credits.services import CreditsError, partner_create, reference_ensure

    reference_ensure()
    codes = [c.strip() for c in args.methodologies.split(",") if c.strip()]
    try:
        partner, token = partner_create(code=args.code, name=args.name or args.code, methodologies=codes)
    except (CreditsError, ValueError) as exc:
        return fail(str(exc))
    if args.format == "json":
        _dump({"partner": partner.code, "methodologies": codes, "token": token})
        return 0
    print(f"partner {partner.code} created for {', '.join(codes) or 'no methodologies'}")
    print(f"token (shown once, stored hashed): {token}")
    return 0


@requires_database
def cmd_expire(args: argparse.Namespace) -> int:
    """Expire every citizen lot older than the period (first in, first out)."""
    from carbonpeak.core.credits.ledger import LedgerError
    from carbonpeak.web.credits.services import credits_expire

    try:
        on = date.fromisoformat(args.on) if args.on else date.today()
        tx = credits_expire(on=on, period_months=args.months)
    except (LedgerError, ValueError) as exc:
        return fail(str(exc))
    if tx is None:
        print("nothing expires")
    else:
        print(f"expired: transaction {tx.pk}")
    return 0


@requires_database
def cmd_demo(args: argparse.Namespace) -> int:
    """Load the SYNTHETIC demo partners and a month of their activities."""
    from carbonpeak.web.credits.services import demo_credits_load

    print(demo_credits_load(seed=args.seed))
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``credits`` group."""
    credits = commands.add_parser(
        "credits", help="citizens' carbon credits (碳普惠): activities and the ledger"
    )
    actions = credits.add_subparsers(dest="credits_command", metavar="ACTION", parser_class=_Parser)
    credits.set_defaults(func=group_help(credits))

    imp = actions.add_parser("import", help="import a partner's activity file (.csv/.xlsx)")
    imp.add_argument("file")
    imp.add_argument("--partner", required=True, help="partner code")
    imp.add_argument("--format", choices=["json", "table"], default="table")
    imp.set_defaults(func=cmd_import)

    bal = actions.add_parser("balance", help="a citizen account's balance and entries")
    bal.add_argument("--account", required=True, help="pseudonymous account id")
    bal.add_argument("--format", choices=["json", "table"], default="table")
    bal.set_defaults(func=cmd_balance)

    meth = actions.add_parser("methodologies", help="methodologies, credit per unit and status")
    meth.add_argument("--format", choices=["json", "table"], default="table")
    meth.set_defaults(func=cmd_methodologies)

    approve = actions.add_parser("approve", help="record the office's approval of a methodology")
    approve.add_argument("code")
    approve.add_argument("--by", default="office (command line)", help="who approves (recorded)")
    approve.add_argument("--note", default="", help="why (recorded)")
    approve.set_defaults(func=cmd_approve)

    partner = actions.add_parser("partner-create", help="create a partner and print its token")
    partner.add_argument("code")
    partner.add_argument("--name", default="")
    partner.add_argument("--methodologies", required=True, help="comma-separated methodology codes")
    partner.add_argument("--format", choices=["json", "table"], default="table")
    partner.set_defaults(func=cmd_partner_create)

    expire = actions.add_parser("expire", help="expire credits older than a period, oldest first")
    expire.add_argument("--months", type=int, required=True, help="validity period of a credit in months")
    expire.add_argument("--on", default="", help="date (YYYY-MM-DD), default today")
    expire.set_defaults(func=cmd_expire)

    demo = actions.add_parser("demo", help="load SYNTHETIC demo partners and a month of activities")
    demo.add_argument("--seed", type=int, default=0)
    demo.set_defaults(func=cmd_demo)
