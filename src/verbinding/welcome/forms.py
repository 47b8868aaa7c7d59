"""Forms of the welcome app. They parse and check input; services do the writing.

The registration form reuses the people app's field rules (plain names, phone numbers, the
language select that names each language in itself) so a name typed at the door obeys the
same rules as one typed at /join/.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from verbinding.people.forms import LEVEL_CHOICES, NameField, OwnNameLanguageSelect, PhoneField
from verbinding.people.models import ConsentRecord
from verbinding.people.vocab import Interest, Language, Talent

P = ConsentRecord.Purpose


def site_language_choices() -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_local"]) for code, _label in settings.LANGUAGES]


class RegisterForm(forms.Form):
    display_name = NameField(
        label=_("Name they go by"),
        help_text=_("A first name or nickname is enough. Ask how they like to be called."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirm_new_name = forms.BooleanField(
        label=_("Yes, this is a different person with the same name."), required=False,
    )
    preferred_language = forms.ChoiceField(
        label=_("Their language"), choices=site_language_choices, widget=OwnNameLanguageSelect,
        help_text=_("Their card is printed in this language, and messages are written in it."),
    )
    interests = forms.MultipleChoiceField(
        label=_("What they are interested in"), choices=Interest.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    talents = forms.MultipleChoiceField(
        label=_("Talents they can offer"), choices=Talent.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = PhoneField()
    consent_profile = forms.BooleanField(
        label=_("They agree that we keep their profile so they can take part."),
        error_messages={"required": _("Please tick this box: without it we cannot register them.")},
    )
    consent_card = forms.BooleanField(
        label=_("They want a personal card to check in at the door."), required=False,
    )
    consent_contact = forms.BooleanField(
        label=_("They agree to be contacted by email or phone about their sign-ups."),
        required=False,
    )
    check_in_session = forms.ChoiceField(label=_("Check them in now"), required=False)

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            current = (get_language() or "").split("-")[0]
            if current in dict(settings.LANGUAGES):
                self.fields["preferred_language"].initial = current
        self.sessions = {str(session.pk): session for session in sessions}
        self.fields["check_in_session"].choices = [("", _("No, not now"))] + [
            (pk, f"{time_format(timezone.localtime(session.start), 'TIME_FORMAT')} · "
                 f"{session.activity.title_text()}")
            for pk, session in self.sessions.items()
        ]
        for code, label in Language.choices:
            self.fields[f"speaks_{code}"] = forms.ChoiceField(
                label=label, choices=LEVEL_CHOICES, required=False
            )

    def speak_fields(self):
        return [self[f"speaks_{code}"] for code in Language.values]

    def speaks(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"speaks_{code}"]
            for code in Language.values if self.cleaned_data.get(f"speaks_{code}")
        }

    def consents(self) -> list[str]:
        data = self.cleaned_data
        return [purpose for purpose, field in (
            (P.PROFILE, "consent_profile"), (P.CARD, "consent_card"),
            (P.CONTACT, "consent_contact"),
        ) if data.get(field)]

    def chosen_session(self):
        return self.sessions.get(self.cleaned_data.get("check_in_session") or "")

    def clean(self):
        data = super().clean()
        if (data.get("email") or data.get("phone")) and not data.get("consent_contact"):
            self.add_error("consent_contact", _(
                "You gave an email or phone number: tick that they agree to be contacted, or "
                "leave the contact empty."
            ))
        return data


class CardIssueForm(forms.Form):
    consent = forms.BooleanField(
        label=_("They agree to a personal card: a random code that checks them in at the door."),
        required=False,
    )
