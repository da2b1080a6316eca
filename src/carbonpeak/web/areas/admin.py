from django.contrib import admin

from carbonpeak.web.areas.models import SubArea


@admin.register(SubArea)
class SubAreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name_zh", "name_en", "parent", "synthetic")
    list_filter = ("synthetic",)
    search_fields = ("code", "name_zh", "name_en")
    readonly_fields = ("boundary",)  # boundaries come through the validated import only
