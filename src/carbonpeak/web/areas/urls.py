from django.urls import path

from carbonpeak.web.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("<slug:code>/", views.area_detail, name="detail"),
]
