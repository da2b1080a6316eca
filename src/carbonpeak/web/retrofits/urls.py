from django.urls import path

from carbonpeak.web.retrofits import views

app_name = "retrofits"
urlpatterns = [
    path("", views.district, name="district"),
    path("import/", views.import_files, name="import"),
    path("<str:code>/", views.project, name="project"),
    path("<str:code>/compute/", views.compute, name="compute"),
    path("<str:code>/evidence/", views.evidence, name="evidence"),
    path("<str:code>/events/", views.event, name="event"),
]
