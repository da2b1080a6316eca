from django.urls import path

from carbonpeak.web.waste import views

app_name = "waste"
urlpatterns = [
    path("", views.streets, name="streets"),
    path("import/", views.import_file, name="import"),
]
