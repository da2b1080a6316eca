from django.urls import path

from carbonpeak.web.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:name>/", views.table_detail, name="table"),
]
