from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "verbinding.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        # Erasing a person deletes their survey link (their answers stay, unlinked) and their
        # "answered" markers; people may not import surveys, so surveys registers the hook.
        from verbinding.people.hooks import register_before_erase, register_export
        from verbinding.surveys.services import export_sections, unlink_before_erase

        register_before_erase(unlink_before_erase)
        register_export(export_sections)
