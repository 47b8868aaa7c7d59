"""URLs of the reports app (mounted under /<initiative_slug>/): what leaves an initiative —
the partner view, CSV exports and the printable report — always disclosure-controlled."""

from django.urls import path

from verbinding.reports import views

app_name = "reports"

urlpatterns = [
    path("partner/", views.partner, name="partner"),
    path("partner/figures.csv", views.partner_csv, name="partner-csv"),
    path("report/", views.report_index, name="report-index"),
    # Period and language are query parameters: they choose among fixed values, not objects.
    path("report/download.pdf", views.report_pdf, name="report-pdf"),
]
