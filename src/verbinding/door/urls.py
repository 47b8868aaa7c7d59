"""URLs of the door app (mounted under /<initiative_slug>/): kiosk check-in at the door: today's
sessions, tap your name or scan your card, count walk-in guests."""

from django.urls import path

from verbinding.door import views

app_name = "door"

urlpatterns = [
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/sessions/<int:pk>/", views.session, name="session"),
    path("kiosk/sessions/<int:pk>/search/", views.search, name="search"),
    path("kiosk/sessions/<int:pk>/checkin/", views.checkin, name="checkin"),
    path("kiosk/sessions/<int:pk>/scan/", views.scan, name="scan"),
    path("kiosk/sessions/<int:pk>/guest/", views.guest, name="guest"),
]
