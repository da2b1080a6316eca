"""Tabular uploads: the checks every file passes before it is read (type by name and content, size), and the
upload page the import views share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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


def upload_page(
    request: HttpRequest,
    *,
    permissions: Mapping[str, str],
    template: str,
    choose_kind: str,
    run: Callable[[str, str, bytes], tuple[list[str], str]],
    done_url: str,
) -> HttpResponse:
    """A file-upload page: the kinds of file the user may import (``permissions``: kind → permission), the
    upload, and either every error (HTTP 400, nothing imported) or a success message and a redirect.

    ``run(kind, filename, content)`` imports the file and returns (errors, success message).
    """
    allowed = [kind for kind, perm in permissions.items() if request.user.has_perm(perm)]
    if not allowed:
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if kind not in permissions:
            errors = [choose_kind]
        elif kind not in allowed:
            raise PermissionDenied
        elif upload is None:
            errors = [_("Choose a file.")]
        else:
            try:
                errors, done = run(kind, upload.name or "upload", upload.read())
            except UploadRejectedError as exc:
                errors = [str(exc)]
            else:
                if not errors:
                    messages.success(request, done)
                    return redirect(done_url)
    return render(request, template, {"kinds": allowed, "errors": errors}, status=400 if errors else 200)
