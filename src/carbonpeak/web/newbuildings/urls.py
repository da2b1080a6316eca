from django.urls import path

from carbonpeak.web.newbuildings import views

app_name = "newbuildings"
urlpatterns = [
    path("", views.district, name="district"),
    path("projects/", views.project_list, name="list"),
    path("projects/<str:code>/", views.project_detail, name="detail"),
    path("projects/<str:code>/compare/", views.compare, name="compare"),
    path("import/", views.import_projects, name="import"),
]
