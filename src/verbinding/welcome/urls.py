"""URLs of the welcome app (mounted under /<initiative_slug>/): the host's welcome panel, registering someone on their behalf, and personal QR cards."""

from django.urls import path  # noqa: F401

app_name = "welcome"

urlpatterns: list = []
