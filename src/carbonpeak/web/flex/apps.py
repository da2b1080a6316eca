from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlexConfig(AppConfig):
    name = "carbonpeak.web.flex"
    label = "flex"
    verbose_name = _("Demand response and virtual power plant")
