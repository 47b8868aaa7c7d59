"""URLs of the volunteers app (mounted under /<initiative_slug>/): the volunteer path derived from data: stages, funnel, who might take the next step, and the newcomer/local balance."""

from django.urls import path

from verbinding.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("manage/volunteers/", views.funnel, name="funnel"),
    path("me/path/", views.my_path, name="my-path"),
]
