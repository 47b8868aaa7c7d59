"""URLs of the exchange app (mounted under /<initiative_slug>/): reciprocal talent exchange: offers and wants, matching into pairs and short cycles, confirm/decline, did it happen."""

from django.urls import path  # noqa: F401

app_name = "exchange"

urlpatterns: list = []
