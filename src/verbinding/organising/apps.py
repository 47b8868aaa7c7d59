from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisingConfig(AppConfig):
    name = "verbinding.organising"
    label = "organising"
    verbose_name = _("Organising")
