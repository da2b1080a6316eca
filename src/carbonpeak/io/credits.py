"""Read carbon-credit activity files (CSV UTF-8 or Excel .xlsx) from partners, validated row by row.

Columns: ``activity_id, account, methodology, quantity, unit, occurred_at`` and an optional
``claimed_elsewhere`` (``ETS``, ``CCER`` or empty). Every problem names the file, the spreadsheet row and
the field; one bad row rejects the file (no rows come back), so an import stores all rows or none.
The CSV path avoids per-cell overhead: a million rows parse in a few seconds.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from carbonpeak.core.credits.methodology import ActivityClaim
from carbonpeak.io.tabular import RowError, check_header, read_tables, table_rows

REQUIRED = ("activity_id", "account", "methodology", "quantity", "unit", "occurred_at")
OPTIONAL = ("claimed_elsewhere",)
SCHEMES = ("ETS", "CCER")
"""Schemes an activity may already be claimed under (沪环规〔2025〕10号 Art. 3)."""
_NOT_CLAIMED = {"", "no", "false", "0", "none", "否"}
MAX_QUANTITY = 100_000.0
"""Largest quantity one activity may report (a larger one is implausible for one citizen and refused)."""
MAX_ID = 100
_PSEUDONYM = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
MAX_ERRORS = 200
"""Errors listed before a file is given up on (the count of the rest is reported)."""


@dataclass
class ActivityFile:
    """The activities of one file, or the errors that reject it."""

    path: Path
    claims: list[ActivityClaim] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        """Whether the file can be imported."""
        return not self.errors and bool(self.claims)


def parse_occurred_at(raw: str) -> datetime:
    """An ISO date or date-time (``2026-10-03``, ``2026-10-03 08:15``, ``2026-10-03T08:15:00+08:00``)."""
    text = raw.strip()
    if len(text) == 10:
        return datetime.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_claimed(raw: str) -> str | None:
    """The scheme an activity is claimed under ('' for none), ``None`` if the value is not recognised."""
    text = raw.strip()
    if text.lower() in _NOT_CLAIMED:
        return ""
    upper = text.upper()
    return upper if upper in SCHEMES else None


def claim_from_values(
    values: dict[str, str], number: int, label: str, partner: str
) -> ActivityClaim | RowError:
    """Validate one activity (a file row or an API item) into a claim, or the row's errors."""
    problems: list[tuple[str, str]] = []
    activity_id = values.get("activity_id", "").strip()
    if not activity_id:
        problems.append(("activity_id", "is missing"))
    elif len(activity_id) > MAX_ID:
        problems.append(("activity_id", f"is longer than {MAX_ID} characters"))
    account = values.get("account", "").strip()
    if not _PSEUDONYM.match(account):
        problems.append(
            ("account", f"'{account}' is not a pseudonymous id (1-64 letters, digits, '_', '.', '-')")
        )
    methodology = values.get("methodology", "").strip()
    if not _CODE.match(methodology):
        problems.append(("methodology", f"'{methodology}' is not a methodology code"))
    raw_quantity = values.get("quantity", "").strip()
    quantity = 0.0
    try:
        quantity = float(raw_quantity)
    except ValueError:
        problems.append(("quantity", f"'{raw_quantity}' is not a number"))
    else:
        if not math.isfinite(quantity) or quantity <= 0:
            problems.append(("quantity", f"{raw_quantity} must be a finite number above zero"))
        elif quantity > MAX_QUANTITY:
            problems.append(
                ("quantity", f"{raw_quantity} is implausible for one activity (over {MAX_QUANTITY:,.0f})")
            )
    unit = values.get("unit", "").strip()
    if not unit:
        problems.append(("unit", "is missing"))
    raw_when = values.get("occurred_at", "").strip()
    occurred_at = datetime(1900, 1, 1)
    try:
        occurred_at = parse_occurred_at(raw_when)
    except ValueError:
        problems.append(("occurred_at", f"'{raw_when}' is not a date or date-time (YYYY-MM-DD[ HH:MM])"))
    else:
        if not 2000 <= occurred_at.year <= 2100:
            problems.append(("occurred_at", f"'{raw_when}' is outside 2000-2100"))
    claimed = parse_claimed(values.get("claimed_elsewhere", ""))
    if claimed is None:
        problems.append(
            ("claimed_elsewhere", f"'{values.get('claimed_elsewhere')}' is not ETS, CCER or empty")
        )
    if problems:
        return RowError(label, number, tuple(problems))
    return ActivityClaim(
        partner, activity_id, account, methodology, quantity, unit, occurred_at, claimed or ""
    )


def read_activity_file(path: Path, partner: str, content: bytes | None = None) -> ActivityFile:
    """Read and validate an activity file for ``partner``.

    Parameters
    ----------
    path : Path
        The file (``.csv`` UTF-8 or ``.xlsx``); only its name is used when ``content`` is given.
    partner : str
        Code of the partner the activities come from.
    content : bytes, optional
        The file's bytes (an upload).

    Returns
    -------
    ActivityFile
        The claims, or every error (file, row, field) with no claims.
    """
    label = path.name
    result = ActivityFile(path)
    data = content if content is not None else path.read_bytes()
    if path.suffix.lower() == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            result.errors.append(
                RowError(label, None, (("", f"is not UTF-8 text ({exc.reason} at byte {exc.start})"),))
            )
            return result
        reader = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(reader, [])]
        numbered: Iterator[tuple[int, dict[str, str]]] = (
            (n, dict(zip(header, cells, strict=False)))
            for n, cells in enumerate(reader, start=2)
            if any(cells)
        )
    else:
        tables, error = read_tables(path, data)
        if error is not None:
            result.errors.append(error)
            return result
        header, rows = table_rows(next(iter(tables.values()), []))
        numbered = iter(rows)
    header_error = check_header(header, REQUIRED, OPTIONAL, label)
    if header_error is not None:
        result.errors.append(header_error)
        return result
    seen: dict[str, int] = {}
    for number, values in numbered:
        parsed = claim_from_values(values, number, label, partner)
        raw_id = values.get("activity_id", "").strip()
        first = seen.setdefault(raw_id, number) if raw_id else number
        if first != number:
            repeat = (("activity_id", f"'{raw_id}' repeats row {first}"),)
            problems = repeat + (parsed.problems if isinstance(parsed, RowError) else ())
            parsed = RowError(label, number, problems)
        if isinstance(parsed, RowError):
            if len(result.errors) < MAX_ERRORS:
                result.errors.append(parsed)
            else:
                result.more_errors += 1
            continue
        result.claims.append(parsed)
    if result.errors:
        result.claims = []
    elif not result.claims:
        result.errors.append(RowError(label, None, (("", "has no activity rows"),)))
    return result
