from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "verbinding.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        # Erasing a person (people.services.erase_person) cancels their future sign-ups here;
        # people may not import attendance, so attendance registers the hook.
        from verbinding.attendance.services import cancel_future_sign_ups_before_erase
        from verbinding.people.hooks import register_before_erase

        register_before_erase(cancel_future_sign_ups_before_erase)
