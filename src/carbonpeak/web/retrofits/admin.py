from django.contrib import admin

from carbonpeak.web.retrofits.models import OccupantCount, ProjectResult, RetrofitProject


@admin.register(RetrofitProject)
class RetrofitProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "building", "retrofitted_area_m2", "reporting_end", "contract_type", "synthetic")
    search_fields = ("code", "name", "building__code")


@admin.register(ProjectResult)
class ProjectResultAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("project", "computed_at", "status", "savings_fraction", "fsu", "gates_passed")


@admin.register(OccupantCount)
class OccupantCountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("building", "year", "occupants", "synthetic")
