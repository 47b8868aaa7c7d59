"""URLs of the exchange app (mounted under /<initiative_slug>/): reciprocal talent exchange: offers and wants, matching into pairs and short cycles, confirm/decline, did it happen."""

from django.urls import path

from verbinding.exchange import views

app_name = "exchange"

urlpatterns = [
    path("me/exchange/", views.mine, name="mine"),
    path("me/exchange/offers/add/", views.offer_add, name="offer-add"),
    path("me/exchange/offers/<int:pk>/remove/", views.offer_remove, name="offer-remove"),
    path("me/exchange/wants/add/", views.want_add, name="want-add"),
    path("me/exchange/wants/<int:pk>/remove/", views.want_remove, name="want-remove"),
    path("me/exchange/lessons/<int:pk>/answer/", views.match_answer, name="match-answer"),
    path("me/exchange/lessons/<int:pk>/happened/", views.match_happened, name="match-happened"),
    path("manage/exchange/", views.manage, name="manage"),
    path("manage/exchange/run/", views.run, name="run"),
    path("manage/exchange/rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("manage/exchange/rounds/<int:pk>/progress/", views.round_progress, name="round-progress"),
]
