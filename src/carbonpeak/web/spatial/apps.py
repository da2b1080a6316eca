from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpatialConfig(AppConfig):
    name = "carbonpeak.web.spatial"
    label = "spatial"
    verbose_name = _("Green space and transport map")

    def ready(self) -> None:
        # registers this module's computed indicators with the tracking registry
        from carbonpeak.web.spatial import indicators  # noqa: F401
