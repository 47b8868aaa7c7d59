"""URLs of the volunteers app (mounted under /<initiative_slug>/): the volunteer path derived from data: stages, funnel, who might take the next step, and the newcomer/local balance."""

from django.urls import path  # noqa: F401

app_name = "volunteers"

urlpatterns: list = []
