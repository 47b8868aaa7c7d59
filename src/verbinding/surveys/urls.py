"""URLs of the surveys app (mounted under /<initiative_slug>/): the three-tap pulse after a
session (kiosk and phone) and the periodic modules."""


app_name = "surveys"

urlpatterns: list = []
