from django.urls import path

from carbonpeak.web.buildings import views

app_name = "buildings"
urlpatterns = [
    path("", views.building_list, name="list"),
    path("map/", views.district_map, name="map"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("disclosure.xlsx", views.disclosure_export, name="disclosure_export"),
    path("import/", views.import_files, name="import"),
    path("audits/", views.audit_list, name="audits"),
    path("<slug:code>/", views.building_detail, name="detail"),
]
