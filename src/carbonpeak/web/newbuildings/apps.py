from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewBuildingsConfig(AppConfig):
    name = "carbonpeak.web.newbuildings"
    label = "newbuildings"
    verbose_name = _("New buildings")

    def ready(self) -> None:
        # registers this module's computed indicators with the tracking registry
        from carbonpeak.web.newbuildings import indicators  # noqa: F401
