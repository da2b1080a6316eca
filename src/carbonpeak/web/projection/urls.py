from django.urls import path

from carbonpeak.web.projection import views

app_name = "projection"
urlpatterns = [
    path("", views.index, name="index"),
    path("scenarios/save/", views.save, name="save"),
]
