from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "carbonpeak.web.credits"
    label = "credits"
    verbose_name = _("Carbon credits (碳普惠)")

    def ready(self) -> None:
        # registers this module's computed indicators with the tracking registry (none yet, see the module)
        from carbonpeak.web.credits import indicators  # noqa: F401
