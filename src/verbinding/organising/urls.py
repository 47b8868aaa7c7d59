"""URLs of the organising app (mounted under /<initiative_slug>/): organisers' view of their sessions: registrations, attendance afterwards, cancel, message participants, who is new."""

from django.urls import path  # noqa: F401

app_name = "organising"

urlpatterns: list = []
