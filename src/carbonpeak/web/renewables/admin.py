from django.contrib import admin

from carbonpeak.web.renewables.models import ChargingSite, PvInstallation


@admin.register(PvInstallation)
class PvInstallationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "building", "capacity_kwp", "kind", "commissioned", "synthetic")
    list_filter = ("kind", "synthetic")
    search_fields = ("code", "owner")


@admin.register(ChargingSite)
class ChargingSiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "site_kind", "access", "fast_count", "slow_count", "commissioned")
    list_filter = ("site_kind", "access", "synthetic")
    search_fields = ("code", "name")
