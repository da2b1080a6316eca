from django.contrib import admin

from carbonpeak.web.newbuildings.models import LcaVariant, NewBuildingProject


@admin.register(NewBuildingProject)
class NewBuildingProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "use", "sub_area", "green_rating", "energy_standard", "completion_date")
    search_fields = ("code", "name")


@admin.register(LcaVariant)
class LcaVariantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("project", "name", "source_file", "computed_at")
