"""URLs of the reports app (mounted under /<initiative_slug>/): what leaves an initiative —
the partner view, CSV exports and the printable report — always disclosure-controlled."""

app_name = "reports"

urlpatterns: list = []
