from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewablesConfig(AppConfig):
    name = "carbonpeak.web.renewables"
    label = "renewables"
    verbose_name = _("PV and charging")

    def ready(self) -> None:
        # registers this module's computed indicators with the tracking registry
        from carbonpeak.web.renewables import indicators  # noqa: F401
