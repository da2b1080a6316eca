"""Checks every tabular upload passes before it is read: type (by name and by content) and size."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from carbonpeak.core.errors import CarbonpeakError

TABULAR_SUFFIXES = (".csv", ".xlsx")


class UploadRejectedError(CarbonpeakError):
    """An upload of the wrong type or size."""


def tabular_upload_check(*, filename: str, content: bytes) -> None:
    """Refuse anything but a .csv or .xlsx file within ``CARBONPEAK_MAX_UPLOAD_MB``.

    The content is checked as well as the name: an .xlsx file must be a zip container, and a .csv file must
    not be binary.

    Raises
    ------
    UploadRejectedError
        Naming the file and what is wrong with it.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in TABULAR_SUFFIXES:
        raise UploadRejectedError(f"{filename}: only .csv and .xlsx files are accepted")
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if len(content) > limit:
        raise UploadRejectedError(
            f"{filename}: {len(content)} bytes is over the {settings.MAX_UPLOAD_MB} MB limit"
        )
    if suffix == ".xlsx" and not content.startswith(b"PK\x03\x04"):
        raise UploadRejectedError(f"{filename}: is not an Excel workbook (.xlsx files are zip containers)")
    if suffix == ".csv" and b"\x00" in content[:4096]:
        raise UploadRejectedError(f"{filename}: is not a text file")
