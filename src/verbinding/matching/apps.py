from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "verbinding.matching"
    label = "matching"
    verbose_name = _("Teams")

    def ready(self) -> None:
        # A person's data export includes their team places; people may not import matching.
        from verbinding.matching.services import export_team_places
        from verbinding.people.hooks import register_export

        register_export(export_team_places)
