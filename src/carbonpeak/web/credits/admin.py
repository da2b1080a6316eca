from django.contrib import admin

from carbonpeak.web.credits.models import Exclusion, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "active", "synthetic", "created_at")
    exclude = ("token_sha256",)


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("scheme", "partner", "activity_id", "account", "methodology", "reason", "created_at")
