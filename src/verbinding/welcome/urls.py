"""URLs of the welcome app (mounted under /<initiative_slug>/): the host's welcome panel,
registering someone on their behalf, and personal QR cards. Staff pages, all under /manage/."""

from django.urls import path

from verbinding.welcome import views

app_name = "welcome"

urlpatterns = [
    path("manage/welcome/", views.panel, name="panel"),
    path("manage/welcome/arrivals/", views.arrivals, name="arrivals"),
    path("manage/welcome/arrivals/<int:pk>/welcomed/", views.welcomed, name="welcomed"),
    path("manage/welcome/register/", views.register, name="register"),
    path("manage/people/<int:pk>/card/", views.card, name="card"),
    path("manage/people/<int:pk>/card/reissue/", views.card_reissue, name="card-reissue"),
    path("manage/people/<int:pk>/card/revoke/", views.card_revoke, name="card-revoke"),
    path("manage/cards/<int:pk>/print/", views.card_print, name="card-print"),
]
