"""Admin: plan versions are read-only; a revised plan is loaded as a new version."""

from __future__ import annotations

from django.contrib import admin

from carbonpeak.web.plan.models import PlanTarget, PlanVersion
from carbonpeak.web.reference.admin import ReadOnlyAdmin


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("plan_code", "version", "title_zh", "document_no", "loaded_at", "synthetic")
    exclude = ("document",)


@admin.register(PlanTarget)
class PlanTargetAdmin(ReadOnlyAdmin):
    list_display = ("code", "clause", "comparator", "value", "unit", "deadline", "plan_version")
    list_filter = ("plan_version", "comparator", "quantitative", "deadline")
    search_fields = ("code", "quote")
