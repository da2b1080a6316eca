from django.urls import path

from carbonpeak.web.flex import views

app_name = "flex"
urlpatterns = [
    path("", views.vpp, name="vpp"),
    path("resources/", views.resources, name="resources"),
    path("import/", views.import_resources, name="import"),
    path("events/", views.events, name="events"),
    path("events/<str:code>/", views.event, name="event"),
    path("events/<str:code>/action/", views.event_action, name="event_action"),
    path("events/<str:code>/statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
    path("compare/", views.compare, name="compare"),
]
