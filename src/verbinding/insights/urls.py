"""URLs of the insights app (mounted under /<initiative_slug>/): the coordinator's dashboard
and its recompute button, rendered from stored snapshots. The partner view, exports and the
printable report live in the `reports` app."""

from django.urls import path

from verbinding.insights import views

app_name = "insights"

urlpatterns = [
    path("manage/insights/", views.dashboard, name="dashboard"),
    path("manage/insights/recompute/", views.recompute, name="recompute"),
]
