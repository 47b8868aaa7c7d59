"""URLs of the door app (mounted under /<initiative_slug>/): kiosk check-in at the door: today's sessions, tap your name or scan your card, count walk-in guests."""

from django.urls import path  # noqa: F401

app_name = "door"

urlpatterns: list = []
