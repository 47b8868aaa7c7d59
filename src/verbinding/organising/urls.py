"""URLs of the organising app (mounted under /<initiative_slug>/): organisers' view of their
sessions: registrations, attendance afterwards, who is new, guests, cancel, message participants."""

from django.urls import path

from verbinding.organising import views

app_name = "organising"

urlpatterns = [
    path("manage/organise/", views.session_list, name="sessions"),
    path("manage/organise/sessions/<int:pk>/", views.session_detail, name="session"),
    path("manage/organise/sessions/<int:pk>/present/", views.mark_present, name="present"),
    path("manage/organise/sessions/<int:pk>/undo/", views.undo_present, name="undo"),
    path("manage/organise/sessions/<int:pk>/guests/", views.add_guests, name="guests"),
    path("manage/organise/sessions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("manage/organise/sessions/<int:pk>/message/", views.message, name="message"),
]
