from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisingConfig(AppConfig):
    name = "verbinding.organising"
    label = "organising"
    verbose_name = _("Organising")

    def ready(self) -> None:
        # Whoever cancels a session (an organiser here, a coordinator on the activity's sessions
        # page, a changed repeat rule), everyone signed up is told: activities may not import
        # organising, so organising registers the hook.
        from verbinding.activities.hooks import register_after_session_cancelled
        from verbinding.organising.services import notify_cancelled

        register_after_session_cancelled(notify_cancelled)
