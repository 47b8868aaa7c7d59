"""URLs of the reports app (mounted under /<initiative_slug>/): what leaves an initiative —
the partner view, CSV exports and the printable report — always disclosure-controlled."""

from django.urls import path

from verbinding.reports import views

app_name = "reports"

urlpatterns = [
    path("partner/", views.partner, name="partner"),
    path("partner/figures.csv", views.partner_csv, name="partner-csv"),
    path("report/", views.report_index, name="report-index"),
    path("report/<str:period>/<str:lang>.pdf", views.report_pdf, name="report-pdf"),
]
