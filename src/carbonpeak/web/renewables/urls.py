from django.urls import path

from carbonpeak.web.renewables import views

app_name = "renewables"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("pv/", views.pv, name="pv"),
    path("charging/", views.charging, name="charging"),
    path("import/", views.import_files, name="import"),
]
