from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WasteConfig(AppConfig):
    name = "carbonpeak.web.waste"
    label = "waste"
    verbose_name = _("Household waste")

    def ready(self) -> None:
        # registers this module's computed indicators with the tracking registry
        from carbonpeak.web.waste import indicators  # noqa: F401
