"""Admin: activity data and runs are read-only records."""

from django.contrib import admin

from carbonpeak.web.inventory.models import ActivityDataset, InventoryRun
from carbonpeak.web.reference.admin import ReadOnlyAdmin


@admin.register(ActivityDataset)
class ActivityDatasetAdmin(ReadOnlyAdmin):
    list_display = ("name", "source_file", "synthetic", "imported_at")


@admin.register(InventoryRun)
class InventoryRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "dataset", "electricity_series", "region", "created_at")
    exclude = ("document", "row_results")
