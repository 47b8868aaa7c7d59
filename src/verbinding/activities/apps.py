from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "verbinding.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        # Erasing a person (people.services.erase_person) takes their proposals with them;
        # people may not import activities, so activities registers the hook.
        from verbinding.activities.proposals import export_proposals, forget_proposals_before_erase
        from verbinding.people.hooks import register_before_erase, register_export

        register_before_erase(forget_proposals_before_erase)
        register_export(export_proposals)
