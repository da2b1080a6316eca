from django.urls import path

from carbonpeak.web.credits import views

app_name = "credits"
urlpatterns = [
    path("", views.public, name="public"),
    path("methodologies/", views.methodologies, name="methodologies"),
    path("methodologies/<str:code>/approve/", views.approve, name="approve"),
    path("activities/", views.activities, name="activities"),
]
