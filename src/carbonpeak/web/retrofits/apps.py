from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetrofitsConfig(AppConfig):
    name = "carbonpeak.web.retrofits"
    label = "retrofits"
    verbose_name = _("Retrofits and measured savings")

    def ready(self) -> None:
        # registers this module's computed indicators with the tracking registry
        from carbonpeak.web.retrofits import indicators  # noqa: F401
