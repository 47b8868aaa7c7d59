"""Forms of the coordinator's pages in the accounts app: the initiative's own settings.

The form checks shape (lengths, a real time zone, known languages, no characters that make text
lie about itself); update_initiative in services.py checks the same rules again before writing.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from verbinding.accounts.services import (
    INITIATIVE_ADDRESS_MAX,
    INITIATIVE_DISTRICT_MAX,
    INITIATIVE_NAME_MAX,
    OPENING_HOURS_MAX,
    TAGLINE_MAX,
)
from verbinding.accounts.validators import ALLOWED_FORMAT_CHARS, validate_plain_name
from verbinding.core.errors import DomainError, message_for

# Left-to-right and right-to-left marks are harmless and help mixed Arabic/Latin text.
ALLOWED_IN_TEXT = ALLOWED_FORMAT_CHARS | {"\u200e", "\u200f", "\n", "\r", "\t"}

ERROR_MESSAGES = {
    "initiative_name_required": _("Give the meeting place a name."),
    "initiative_text_too_long": _("This text is too long."),
    "time_zone_unknown": _("Choose a time zone from the list."),
    "languages_required": _("Tick at least one language."),
    "language_unknown": _("Choose languages from the list."),
}


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


def validate_plain_text(value: str) -> None:
    """Free text shown to visitors (rendered escaped): no hidden control characters, such as
    U+202E, which turns the text after it around."""
    for char in value:
        if unicodedata.category(char).startswith("C") and char not in ALLOWED_IN_TEXT:
            raise ValidationError(
                _("This text contains an invisible control character. Please type it again."),
                code="text_characters",
            )


def site_languages() -> list[tuple[str, str]]:
    return [(code, label) for code, label in settings.LANGUAGES]


class InitiativeSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the meeting place"), max_length=INITIATIVE_NAME_MAX,
                           validators=[validate_plain_name])
    address = forms.CharField(
        label=_("Address of the place"), max_length=INITIATIVE_ADDRESS_MAX, required=False,
        validators=[validate_plain_name],
        help_text=_("Street and town, so visitors can find you. Shown on every public page."),
    )
    district = forms.CharField(label=_("District"), max_length=INITIATIVE_DISTRICT_MAX,
                               required=False, validators=[validate_plain_name])
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, initial="Europe/Amsterdam",
        error_messages={"invalid_choice": ERROR_MESSAGES["time_zone_unknown"]},
        help_text=_("Times of activities are shown in this time zone."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the place works in"), choices=site_languages,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_MESSAGES["languages_required"],
                        "invalid_choice": ERROR_MESSAGES["language_unknown"]},
    )
    main_language = forms.ChoiceField(
        label=_("Main language"), choices=site_languages,
        error_messages={"invalid_choice": ERROR_MESSAGES["language_unknown"]},
        help_text=_("When a text is missing in a visitor's language, this one is shown first."),
    )

    def __init__(self, *args, initiative, **kwargs):
        self.initiative = initiative
        if "initial" not in kwargs:
            kwargs["initial"] = initial_for(initiative)
        super().__init__(*args, **kwargs)
        for code, label in site_languages():
            self.fields[f"tagline_{code}"] = forms.CharField(
                label=_("Short welcome (%(language)s)") % {"language": label}, required=False,
                max_length=TAGLINE_MAX, validators=[validate_plain_text],
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )
            self.fields[f"opening_hours_{code}"] = forms.CharField(
                label=_("Opening hours (%(language)s)") % {"language": label}, required=False,
                max_length=OPENING_HOURS_MAX, validators=[validate_plain_text],
                widget=forms.Textarea(attrs={"lang": code, "dir": "auto", "rows": 3}),
            )

    def tagline_fields(self):
        return [self[f"tagline_{code}"] for code, _label in site_languages()]

    def opening_hours_fields(self):
        return [self[f"opening_hours_{code}"] for code, _label in site_languages()]

    def clean(self):
        data = super().clean()
        languages = data.get("languages")
        main = data.get("main_language")
        if languages and main and main not in languages:
            self.add_error("main_language", _("Tick the main language among the languages too."))
        return data

    def service_kwargs(self) -> dict:
        """The cleaned form as keyword arguments for update_initiative."""
        data = self.cleaned_data
        codes = [code for code, _label in site_languages()]
        main = data["main_language"]
        return {
            "name": data["name"],
            "address": data["address"],
            "district": data["district"],
            "time_zone": data["time_zone"],
            "languages": [main, *(c for c in codes if c in data["languages"] and c != main)],
            "tagline": {code: data.get(f"tagline_{code}", "") for code in codes},
            "opening_hours": {
                code: data.get(f"opening_hours_{code}", "").replace("\r\n", "\n")
                for code in codes
            },
        }

    def attach_domain_error(self, error: DomainError) -> None:
        field = error.params.get("field")
        if field not in self.fields:
            field = {"initiative_name_required": "name", "time_zone_unknown": "time_zone",
                     "languages_required": "languages", "language_unknown": "languages"}.get(
                error.code)
        message = ERROR_MESSAGES.get(error.code) or message_for(error.code)
        self.add_error(field, message)


def initial_for(initiative) -> dict:
    languages = list(initiative.languages or [])
    initial = {
        "name": initiative.name,
        "address": initiative.address,
        "district": initiative.district,
        "time_zone": initiative.time_zone,
        "languages": languages,
        "main_language": languages[0] if languages else settings.LANGUAGE_CODE,
    }
    for code, _label in site_languages():
        initial[f"tagline_{code}"] = (initiative.tagline or {}).get(code, "")
        initial[f"opening_hours_{code}"] = (initiative.opening_hours or {}).get(code, "")
    return initial
