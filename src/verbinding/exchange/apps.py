from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "verbinding.exchange"
    label = "exchange"
    verbose_name = _("Talent exchange")

    def ready(self) -> None:
        # A person's data export includes their offers, wants and lessons.
        from verbinding.exchange.services import export_exchange
        from verbinding.people.hooks import register_export

        register_export(export_exchange)
