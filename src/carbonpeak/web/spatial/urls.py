from django.urls import path

from carbonpeak.web.spatial import views

app_name = "spatial"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("import/", views.import_files, name="import"),
]
