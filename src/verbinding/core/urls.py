"""URLs outside any initiative: the list of initiatives and health check."""

from django.urls import path

from verbinding.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
