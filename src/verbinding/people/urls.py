"""URLs of the people app (mounted under /<initiative_slug>/): joining, one's own profile and
data, and the coordinator's views of members, partner organisations, roles and the audit log."""

from django.urls import path

from verbinding.people import views, views_manage

app_name = "people"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("me/", views.profile, name="profile"),
    path("me/languages/", views.languages, name="languages"),
    path("me/about-me/", views.self_description, name="self-description"),
    path("me/export.json", views.export_json, name="export-json"),
    path("me/export.csv", views.export_csv, name="export-csv"),
    path("me/erase/", views.erase, name="erase"),
    path("manage/people/", views_manage.person_list, name="manage-list"),
    path("manage/people/<int:pk>/", views_manage.person_detail, name="manage-detail"),
    path("manage/people/<int:pk>/roles/", views_manage.person_roles, name="manage-roles"),
    path("manage/partners/", views_manage.partner_list, name="partners"),
    path("manage/partners/<int:pk>/toggle/", views_manage.partner_toggle, name="partner-toggle"),
    path("manage/audit/", views_manage.audit_log, name="audit"),
    path("manage/kiosks/new/", views_manage.kiosk_create, name="kiosk-create"),
    path("manage/partner-logins/", views_manage.partner_logins, name="partner-logins"),
    path("manage/partner-logins/<int:pk>/stop/", views_manage.partner_login_stop,
         name="partner-login-stop"),
]
