"""Shared reading of tabular files (CSV UTF-8 or Excel .xlsx) and per-row errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class RowError:
    """Every problem of one rejected row (``row`` is ``None`` for a problem with the whole file or sheet)."""

    file: str
    row: int | None
    problems: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}: " + "; ".join(f"field {f}: {m}" if f else m for f, m in self.problems)


def cell_text(value: Any) -> str:
    """A cell as text: ``None`` is empty, whole floats lose their ``.0``, text is stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat())
    return str(value).strip()


def table_rows(table: list[list[Any]]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (spreadsheet row number, column -> text) for each non-blank row."""
    header = [cell_text(h) for h in table[0]] if table else []
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = [cell_text(c) for c in cells]
        if not any(values):
            continue
        rows.append((number, dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))))
    return header, rows


def check_header(
    header: list[str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    label: str,
    *,
    allow_extra: bool = False,
) -> RowError | None:
    """A header error naming each missing required column and each unknown column."""
    problems = [(c, "required column is missing") for c in required if c not in header]
    if not allow_extra:
        problems += [(c, "unknown column") for c in header if c and c not in required + optional]
    return RowError(label, 1, tuple(problems)) if problems else None


def read_tables(
    path: Path, content: bytes | None = None, *, sheets: tuple[str, ...] = ()
) -> tuple[dict[str, list[list[Any]]], RowError | None]:
    """Read a CSV (one table, keyed ``""``) or the named sheets of an .xlsx (all, when none are named)."""
    label = path.name
    data = content if content is not None else path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return {}, RowError(
                label,
                None,
                (("", f"is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as CSV UTF-8"),),
            )
        return {"": [list(r) for r in csv.reader(io.StringIO(text))]}, None
    if suffix != ".xlsx":
        return {}, RowError(label, None, (("", f"'{suffix}' files are not supported: use .csv or .xlsx"),))
    if not data.startswith(b"PK\x03\x04"):
        return {}, RowError(label, None, (("", "is not an Excel .xlsx workbook"),))
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        return {}, RowError(label, None, (("", f"cannot be read as .xlsx: {exc}"),))
    names = [s for s in (sheets or tuple(book.sheetnames)) if s in book.sheetnames]
    tables = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in names}
    book.close()
    return tables, None


@dataclass
class ParsedRows:
    """Validated rows (dicts of typed values) of a registry-style file, or the errors that reject it."""

    path: Path
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    """The file's columns: an update touches only the fields the file carries."""

    @property
    def ok(self) -> bool:
        """Whether the file can be imported."""
        return not self.errors and bool(self.rows)


def parse_rows(
    path: Path,
    content: bytes | None,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    parse: Callable[[dict[str, str], int, str], dict[str, Any] | RowError],
    key_field: str = "id",
) -> ParsedRows:
    """Read the file's first table and parse every row; all rows or none.

    ``parse(row, number, label)`` returns the typed row (with an ``id`` key) or its :class:`RowError`. A
    repeated ``id`` is an error on ``key_field``; a file with no data rows is an error too.
    """
    result = ParsedRows(path)
    tables, problem = read_tables(path, content)
    if problem is not None:
        result.errors.append(problem)
        return result
    header, rows = table_rows(next(iter(tables.values()), []))
    result.columns = [c for c in header if c]
    header_error = check_header(header, required, optional, path.name)
    if header_error is not None:
        result.errors.append(header_error)
        return result
    seen: dict[str, int] = {}
    for number, row in rows:
        parsed = parse(row, number, path.name)
        if isinstance(parsed, RowError):
            result.errors.append(parsed)
        elif parsed["id"] in seen:
            result.errors.append(
                RowError(path.name, number, ((key_field, f"duplicates row {seen[parsed['id']]}"),))
            )
        else:
            seen[parsed["id"]] = number
            result.rows.append(parsed)
    if result.errors:
        result.rows.clear()
    elif not result.rows:
        result.errors.append(RowError(path.name, None, (("", "has no data rows"),)))
    return result
