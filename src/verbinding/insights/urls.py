"""URLs of the insights app (mounted under /<initiative_slug>/): the coordinator's dashboard,
the partner view, exports and the printable report — all rendered from stored snapshots."""


app_name = "insights"

urlpatterns: list = []
