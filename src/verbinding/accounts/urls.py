"""URLs of the accounts app (mounted under /<initiative_slug>/): login, logout, two-factor,
and the coordinator's page for the initiative's own settings."""

from django.urls import path

from verbinding.accounts import views, views_manage

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/verify/", views.verify_otp, name="verify-otp"),
    path("logout/", views.logout, name="logout"),
    path("account/two-factor/", views.two_factor_setup, name="two-factor"),
    path("manage/", views_manage.manage_home, name="manage-home"),
    path("manage/initiative/", views_manage.initiative_settings, name="initiative-settings"),
]
