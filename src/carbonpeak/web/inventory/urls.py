from django.urls import path

from carbonpeak.web.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("runs/<int:run_id>/cell/", views.cell, name="cell"),
    path("runs/<int:run_id>/compare/", views.compare, name="compare"),
    path("runs/<int:run_id>/export.xlsx", views.export, name="export"),
]
