"""Admin for buildings: the office marks buildings publishable and manages gateways."""

from django.contrib import admin

from carbonpeak.web.buildings.models import Building, Gateway, Meter, QuarantinedReading


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "code",
        "name",
        "primary_use",
        "floor_area_m2",
        "public_institution",
        "publishable",
        "synthetic",
    )
    list_filter = ("primary_use", "public_institution", "publishable", "synthetic")
    list_editable = ("publishable",)
    search_fields = ("code", "name")


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "building", "energy_class", "category", "kind", "unit")
    list_filter = ("energy_class", "category", "kind")


@admin.register(QuarantinedReading)
class QuarantineAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("meter_code", "ts", "raw", "reason", "source", "received_at")
    list_filter = ("source",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Gateway)
class GatewayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "active", "created_at")
    exclude = ("token_sha256",)
    filter_horizontal = ("buildings",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are issued by `carbonpeak gateway create`, which shows them once
