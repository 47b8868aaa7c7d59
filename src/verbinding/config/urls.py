"""URL map. Everything tenant-specific lives under /<initiative_slug>/ (see core.tenancy)."""

from django.urls import include, path
from django.views.i18n import set_language

tenant = "<slug:initiative_slug>/"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("verbinding.core.urls")),
    path(tenant, include("verbinding.accounts.urls")),
    path(tenant, include("verbinding.people.urls")),
    path(tenant, include("verbinding.attendance.urls")),
    path(tenant, include("verbinding.door.urls")),
    path(tenant, include("verbinding.welcome.urls")),
    path(tenant, include("verbinding.organising.urls")),
    path(tenant, include("verbinding.volunteers.urls")),
    path(tenant, include("verbinding.matching.urls")),
    path(tenant, include("verbinding.exchange.urls")),
    path(tenant, include("verbinding.surveys.urls")),
    path(tenant, include("verbinding.insights.urls")),
    path(tenant, include("verbinding.reports.urls")),
    path(tenant, include("verbinding.activities.urls")),
]

handler400 = "verbinding.core.views.bad_request"
handler403 = "verbinding.core.views.permission_denied"
handler404 = "verbinding.core.views.page_not_found"
handler500 = "verbinding.core.views.server_error"
