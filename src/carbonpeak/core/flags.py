"""Data-quality results returned as values, never only logged.

A :class:`DataIssue` names the file, the 1-based data row and the field, so the person who owns the file
can fix it. Row numbers count the header as row 1, as a spreadsheet does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a data issue is."""

    ERROR = "error"
    WARNING = "warning"


class Evidence(StrEnum):
    """Evidence tag of a reference number (see ``shared/reference/FACTS.md``).

    ``V`` verified in an official text or a report quoting it; ``S`` secondary (third-party tables);
    ``R`` recalled placeholder to be confirmed; ``X`` not found: the value is deliberately empty.
    """

    VERIFIED = "V"
    SECONDARY = "S"
    RECALLED = "R"
    NOT_FOUND = "X"


@dataclass(frozen=True, slots=True)
class DataIssue:
    """One problem found in a data file.

    Parameters
    ----------
    file : str
        File name (or table name) the problem is in.
    row : int or None
        Spreadsheet-style row number (the header is row 1); ``None`` for a problem with the whole file.
    field : str or None
        Column name; ``None`` for a problem with the whole row or file.
    message : str
        What is wrong, in words the file's owner can act on.
    severity : Severity
        ``error`` makes the table invalid; ``warning`` does not.
    key : str or None
        Key of the row concerned, when the check that found it knows the key but not the row number
        (cross-table checks); the reader maps it to a row number.
    """

    file: str
    row: int | None
    field: str | None
    message: str
    severity: Severity = Severity.ERROR
    key: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field {self.field}"
        return f"{where}: {self.message}"
