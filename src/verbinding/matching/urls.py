"""URLs of the matching app (mounted under /<initiative_slug>/): project team formation: coordinator runs the solver in the background, reviews, adjusts and publishes teams; members see their team."""

from django.urls import path  # noqa: F401

app_name = "matching"

urlpatterns: list = []
