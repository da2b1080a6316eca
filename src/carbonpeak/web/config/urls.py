"""Root URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from carbonpeak.web.config.api import api
from carbonpeak.web.portal import views as portal_views

urlpatterns = [
    path("", include("carbonpeak.web.portal.urls")),
    path("healthz", portal_views.healthz, name="healthz"),
    path("reference/", include("carbonpeak.web.reference.urls")),
    path("plan/", include("carbonpeak.web.plan.urls")),
    path("inventory/", include("carbonpeak.web.inventory.urls")),
    path("buildings/", include("carbonpeak.web.buildings.urls")),
    path("projection/", include("carbonpeak.web.projection.urls")),
    path("tracking/", include("carbonpeak.web.tracking.urls")),
    path("renewables/", include("carbonpeak.web.renewables.urls")),
    path("areas/", include("carbonpeak.web.areas.urls")),
    path("waste/", include("carbonpeak.web.waste.urls")),
    path("credits/", include("carbonpeak.web.credits.urls")),
    path("spatial/", include("carbonpeak.web.spatial.urls")),
    path("flex/", include("carbonpeak.web.flex.urls")),
    path("newbuildings/", include("carbonpeak.web.newbuildings.urls")),
    path("retrofits/", include("carbonpeak.web.retrofits.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
