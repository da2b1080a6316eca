from django.contrib import admin

from carbonpeak.web.waste.models import WasteDataset


@admin.register(WasteDataset)
class WasteDatasetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "layout", "row_count", "synthetic", "imported_at")
    readonly_fields = ("sha256",)
