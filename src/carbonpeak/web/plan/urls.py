from django.urls import path

from carbonpeak.web.plan import views

app_name = "plan"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("units/", views.units, name="units"),
    path("units/<slug:code>/", views.unit_detail, name="unit"),
]
