from django.urls import path

from carbonpeak.web.tracking import views

app_name = "tracking"
urlpatterns = [
    path("", views.targets, name="list"),
    path("queue/", views.queue, name="queue"),
    path("overdue/", views.overdue, name="overdue"),
    path("audit/", views.audit, name="audit"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("report/<int:year>.<str:fmt>", views.annual_report, name="annual_report"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("targets/<slug:code>/", views.detail, name="detail"),
    path("targets/<slug:code>/report/", views.report, name="report"),
    path("targets/<slug:code>/review/", views.review, name="review"),
    path("targets/<slug:code>/allocate/", views.allocate, name="allocate"),
    path("targets/<slug:code>/milestones/", views.milestone, name="milestone"),
    path("targets/<slug:code>/milestones/review/", views.milestone_review, name="milestone_review"),
]
