"""URLs of the attendance app (mounted under /<initiative_slug>/): sign-up, enrolment, my sign-ups."""

from django.urls import path

from verbinding.attendance import views

app_name = "attendance"

urlpatterns = [
    path("sessions/<int:pk>/signup/", views.session_signup, name="session-signup"),
    path("sessions/<int:pk>/cancel-signup/", views.session_cancel_signup, name="session-cancel-signup"),
    path("activities/<int:pk>/enrol/", views.project_enrol, name="enrol"),
    path("activities/<int:pk>/leave/", views.project_leave, name="leave"),
    path("sessions/<int:pk>/registrations/", views.session_registrations, name="session-registrations"),
    path("me/signups/", views.my_signups, name="my-signups"),
    path("me/calendar/<str:token>.ics", views.my_ics, name="my-ics"),
]
