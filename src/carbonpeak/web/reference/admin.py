"""Admin: reference data is read-only here; it changes only by loading a new table version."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from carbonpeak.web.reference.models import ReferenceRow, ReferenceTableVersion


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReferenceTableVersion)
class ReferenceTableVersionAdmin(ReadOnlyAdmin):
    list_display = ("name", "version", "kind", "row_count", "loaded_at", "sha256")
    list_filter = ("kind", "name")


@admin.register(ReferenceRow)
class ReferenceRowAdmin(ReadOnlyAdmin):
    list_display = ("table_version", "row_number", "key", "evidence")
    list_filter = ("evidence", "table_version__name")
    search_fields = ("key",)
