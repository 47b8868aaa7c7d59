from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoorConfig(AppConfig):
    name = "verbinding.door"
    label = "door"
    verbose_name = _("At the door")
