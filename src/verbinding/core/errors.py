"""DomainError: the one exception services raise for a rule a user broke.

Each error carries a stable `code`; views turn codes into translated messages through
`message_for`, so services stay free of presentation and tests can assert on codes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "session_full": _("This session is full. You are on the waiting list."),
    "session_cancelled": _("This session has been cancelled."),
    "session_past": _("This session has already taken place."),
    "already_registered": _("You are already signed up."),
    "not_registered": _("You are not signed up for this."),
    "project_enrol_whole": _("This is a project: you join the whole series at once."),
    "not_eligible_women_only": _(
        "This activity is for women. If that is you, say so in your profile (only you and the "
        "coordinators can see it)."
    ),
    "members_only": _("This activity is for members. Please log in or join first."),
    "activity_not_open": _("This activity is not open for sign-up."),
    "rule_invalid": _("This repeat rule is not valid."),
    "rule_too_frequent": _("Activities can repeat daily, weekly or monthly, not more often."),
    "rule_too_many": _("This rule makes too many sessions. Give it an end date or a count."),
    "end_before_start": _("The end must be after the start."),
    "forbidden_field": _("This field may not be stored: we never keep this kind of information."),
    "session_has_attendance": _("This session has sign-ups or attendance and is kept."),
    "consent_required": _("Please tick the box to say you agree."),
    "last_coordinator": _("An initiative needs at least one coordinator."),
    "login_failed": _("This login name and password do not match. Please try again."),
    "login_rate_limited": _(
        "Too many attempts. For your safety, please wait a quarter of an hour and try again."
    ),
    "otp_invalid": _("This code is not right or has expired. Please try the newest code."),
    "username_taken": _("This login name is already taken. Please choose another one."),
    "slug_taken": _("There is already a meeting place with this web address."),
    "no_login": _("This person has no login, so they cannot have roles."),
    "role_unknown": _("This role does not exist."),
    "partner_exists": _("This organisation is already on the list."),
    "not_a_project": _("Sign up for a single session of this activity instead."),
    "project_ended": _("This project has ended."),
    "title_required": _("Give the activity a title in at least one language."),
    "title_too_long": _("A title can be at most 200 characters."),
    "description_too_long": _("A description can be at most 5000 characters."),
    "capacity_invalid": _("The number of places must be 1 or more, or left empty."),
    "duration_invalid": _("A session lasts between 5 minutes and 24 hours."),
    "price_required": _("Give a price of 0 euros or more for a fixed price."),
    "organiser_not_here": _("Organisers must be members of this meeting place."),
    "planned_sessions_invalid": _("A project has between 1 and 20 sessions."),
    "team_size_invalid": _("A team has between 2 and 30 people."),
    "start_invalid": _("Choose a start date and time within the coming years."),
    "choice_invalid": _("Choose one of the options."),
    "session_cancelled_cannot_move": _("A cancelled session cannot be moved."),
}


class DomainError(Exception):
    """A business rule was broken; `code` says which (see MESSAGES)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return str(message_for(self.code))


def register_messages(messages: dict) -> None:
    """Let an app add its own codes (its strings then live in that app's locale). A code may be
    registered once; registering a different message under an existing code is a bug."""
    for code, message in messages.items():
        if code in MESSAGES and MESSAGES[code] is not message:
            raise ValueError(f"error code {code!r} is already registered")
        MESSAGES[code] = message


def message_for(code: str) -> str:
    return str(MESSAGES.get(code, _("Something went wrong. Please try again.")))
