"""URLs of the surveys app (mounted under /<initiative_slug>/): the pulse after a session, at
the kiosk (one-time link from the check-in) and on a member's phone, and the member's page."""

from django.urls import path

from verbinding.surveys import views

app_name = "surveys"

urlpatterns = [
    path("pulse/", views.mine, name="mine"),
    path("pulse/linking/", views.linking, name="linking"),
    path("pulse/sessions/<int:pk>/", views.phone_pulse, name="phone-pulse"),
    path("pulse/kiosk/", views.kiosk_pulse, name="kiosk-pulse"),
]
