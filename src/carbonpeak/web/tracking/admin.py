"""Admin: reported values, tokens and the audit log are read-only here (they change only through the
tracking services, which audit every write). Unit memberships and the reporting calendar are edited here;
Django's admin keeps its own change log of them."""

from __future__ import annotations

from django.contrib import admin

from carbonpeak.web.reference.admin import ReadOnlyAdmin
from carbonpeak.web.tracking.models import (
    AuditEntry,
    MilestoneVersion,
    ReportedValue,
    ReportingCalendar,
    UnitMembership,
    UnitToken,
)


@admin.register(ReportedValue)
class ReportedValueAdmin(ReadOnlyAdmin):
    list_display = ("target_code", "period_end", "version", "state", "value", "unit_code", "created_at")
    list_filter = ("state", "unit_code")
    search_fields = ("target_code",)


@admin.register(MilestoneVersion)
class MilestoneVersionAdmin(ReadOnlyAdmin):
    list_display = ("target_code", "number", "version", "state", "name", "due", "done", "created_at")
    list_filter = ("state", "unit_code")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id")
    list_filter = ("action",)


@admin.register(UnitToken)
class UnitTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit_code", "active", "created_at")
    exclude = ("token_sha256",)


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "unit_code", "role")
    list_filter = ("role", "unit_code")


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("indicator_code", "due_month", "due_day")
