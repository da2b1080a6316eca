"""Admin: driver sets and scenario versions are read-only records."""

from django.contrib import admin

from carbonpeak.web.projection.models import DriverSet, Scenario
from carbonpeak.web.reference.admin import ReadOnlyAdmin


@admin.register(DriverSet)
class DriverSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "source_file", "synthetic", "imported_at")


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("name", "version", "created_by", "created_at")
