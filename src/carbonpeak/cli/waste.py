"""``carbonpeak waste``: import street waste statistics, print the rates of a year, feed the waste
emissions into an inventory data set."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from carbonpeak.cli.base import _fail, group_help, requires_database


@requires_database
def cmd_waste_import(args: argparse.Namespace) -> int:
    """Import a waste statistics file (layout recognised by its header): all rows or none, idempotent."""
    from carbonpeak.web.portal.uploads import UploadRejectedError
    from carbonpeak.web.waste.services import waste_dataset_import

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file")
    try:
        result = waste_dataset_import(
            filename=path.name, content=path.read_bytes(), name=args.name or "", synthetic=args.synthetic
        )
    except UploadRejectedError as exc:
        return _fail(str(exc))
    if result.errors:
        for error in result.errors:
            print(f"carbonpeak: error: {error}", file=sys.stderr)
        return 1
    dataset = result.dataset
    assert dataset is not None
    label = " (SYNTHETIC)" if dataset.synthetic else ""
    if result.created:
        print(
            f"{path.name}: {dataset.row_count} rows of {dataset.layout} imported "
            f"as data set {dataset.pk}{label}"
        )
    else:
        print(f"{path.name}: already imported as data set {dataset.pk}, nothing changed{label}")
    return 0


@requires_database
def cmd_waste_rates(args: argparse.Namespace) -> int:
    """Print the district's and the streets' recovery and compliance rates of a year."""
    from carbonpeak.web.waste.selectors import rates_document, waste_years

    years = waste_years()
    if args.year not in years:
        have = ", ".join(str(y) for y in sorted(years)) or "none"
        return _fail(f"no waste statistics for {args.year} (years with statistics: {have})")
    document = rates_document(year=args.year)
    if args.format == "json":
        print(json.dumps(document, ensure_ascii=False, allow_nan=False, indent=2))
        return 0
    d = document["district"]

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f} %"

    if document["synthetic"]:
        print("SYNTHETIC data, not official statistics")
    print(
        f"district {args.year}: recovery {pct(d['recovery_rate'])}, "
        f"compliance {pct(d['sorting_compliance_rate'])}"
    )
    for s in document["streets"]:
        print(
            f"  {s['street']}: recovery {pct(s['recovery_rate'])} (rank {s['recovery_rank'] or '—'}), "
            f"compliance {pct(s['sorting_compliance_rate'])} (rank {s['compliance_rank'] or '—'})"
        )
    return 0


@requires_database
def cmd_waste_inventory(args: argparse.Namespace) -> int:
    """Make an inventory data set whose waste rows are the computed waste emissions."""
    from carbonpeak.core.errors import CarbonpeakError
    from carbonpeak.web.inventory.models import ActivityDataset
    from carbonpeak.web.waste.services import waste_inventory_dataset_create

    base = ActivityDataset.objects.filter(pk=args.dataset).first()
    if base is None:
        return _fail(f"no activity data set {args.dataset}")
    try:
        result = waste_inventory_dataset_create(base=base, area=args.area or None)
    except CarbonpeakError as exc:
        return _fail(str(exc))
    assert result.dataset is not None
    rows = result.dataset.rows.filter(sector="waste").order_by("year")
    state = "created" if result.created else "already existed"
    print(f"activity data set {result.dataset.pk} ({result.dataset.name}) {state}")
    for row in rows:
        value = f"{row.quantity:.3f} tCO2e" if row.quantity is not None else row.notation or "NE"
        print(f"  {row.year} waste: {value}" + (f" ({row.note})" if row.note else ""))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``waste`` group: ``import``, ``rates`` and ``inventory``."""
    parser = subparsers.add_parser("waste", help="household waste sorting and recovery statistics")
    parser.set_defaults(func=group_help(parser))
    actions = parser.add_subparsers(dest="waste_command", metavar="ACTION")
    imp = actions.add_parser(
        "import",
        help="import a street statistics file (.csv/.xlsx): quantities, inspections or population",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--name", help="data set name (default: the file name)")
    imp.add_argument("--synthetic", action="store_true", help="mark the data set synthetic")
    imp.set_defaults(func=cmd_waste_import)
    rates = actions.add_parser("rates", help="district and street rates of a year")
    rates.add_argument("--year", type=int, required=True)
    rates.add_argument("--format", choices=("json", "table"), default="table")
    rates.set_defaults(func=cmd_waste_rates)
    inv = actions.add_parser(
        "inventory", help="derive an inventory data set whose waste rows are the computed waste emissions"
    )
    inv.add_argument("--dataset", type=int, required=True, help="id of the activity data set to derive from")
    inv.add_argument("--area", help="the district's area code (needed when the data set has several)")
    inv.set_defaults(func=cmd_waste_inventory)
