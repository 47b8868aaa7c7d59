from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelcomeConfig(AppConfig):
    name = "verbinding.welcome"
    label = "welcome"
    verbose_name = _("Welcome")

    def ready(self) -> None:
        # Erasing a person (people.services.erase_person) deletes their cards: a token that
        # still pointed at the empty shell would be something left that links back.
        from verbinding.people.hooks import register_before_erase
        from verbinding.welcome.services import delete_cards_before_erase

        register_before_erase(delete_cards_before_erase)
