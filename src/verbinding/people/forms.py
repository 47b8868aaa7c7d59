"""Forms of the people app. They parse and check input; services do the writing.

Names are checked for characters that have no place in a name (markup, control and
direction-override characters such as U+202E, which can make text lie about itself).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from verbinding.accounts.forms import KioskForm
from verbinding.accounts.validators import PasswordOrPinValidator, validate_plain_name
from verbinding.people.models import PartnerOrganisation, SelfDescription
from verbinding.people.services import ASSIGNABLE_ROLES
from verbinding.people.vocab import (
    AVAILABILITY_SLOTS,
    Day,
    DayPart,
    Interest,
    Language,
    LanguageLevel,
    Talent,
)


class NameField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("label", _("Name you go by"))
        kwargs.setdefault("help_text", _("A first name or nickname is enough."))
        # The person's own name (join, profile): lets the browser fill it in (WCAG 1.3.5).
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "nickname"}))
        super().__init__(validators=[validate_plain_name], **kwargs)


class PhoneField(forms.RegexField):
    def __init__(self, **kwargs):
        super().__init__(
            regex=r"^\+?[0-9 ()\-]{6,25}\Z", max_length=30, required=False,
            label=_("Phone (optional)"),
            error_messages={"invalid": _("Use digits, spaces and + only, e.g. +31 6 12345678.")},
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **kwargs,
        )


def referral_choices(initiative) -> list[tuple[str, str]]:
    partners = PartnerOrganisation.objects.filter(initiative=initiative, active=True).order_by(
        "name", "id"
    )
    return [
        ("", _("— choose if you like —")),
        ("self", _("I found it myself")),
        ("member", _("A friend or member brought me")),
        *[(f"partner-{p.pk}", p.name) for p in partners],
    ]


class ReferralMixin(forms.Form):
    brought_by = forms.ChoiceField(label=_("Who brought you here?"), required=False)
    member_login = forms.CharField(
        label=_("Their login name (optional)"), max_length=150, required=False,
        help_text=_("Only if you want them to know. We do not show a list of members."),
    )

    def setup_referral(self, initiative) -> None:
        self.fields["brought_by"].choices = referral_choices(initiative)


class JoinForm(ReferralMixin, forms.Form):
    display_name = NameField()
    username = forms.RegexField(
        label=_("Login name"), regex=r"^[\w.@+-]+\Z", max_length=150,
        help_text=_("You use this to log in. Letters and digits, no spaces."),
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only, without spaces.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password or PIN"), max_length=200, strip=False,
        help_text=PasswordOrPinValidator().get_help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField()
    consent = forms.BooleanField(
        label=_("I agree that this meeting place keeps my profile so I can take part. "
                "I can see, download or delete it at any time."),
        error_messages={"required": _("Please tick the box to say you agree.")},
    )
    field_order = ["display_name", "username", "password", "email", "phone", "brought_by",
                   "member_login", "consent"]

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_referral(initiative)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class OwnNameLanguageSelect(forms.Select):
    """Each language is written in its own name and script, marked with lang and dir so a
    screen reader pronounces it right and Arabic reads right-to-left inside a Dutch page."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            info = get_language_info(value)
            option["attrs"]["lang"] = value
            option["attrs"]["dir"] = "rtl" if info["bidi"] else "ltr"
        return option


def own_name_language_choices() -> list[tuple[str, str]]:
    return [("", _("— the meeting place's language —"))] + [
        (code, get_language_info(code)["name_local"]) for code, _label in settings.LANGUAGES
    ]


class ProfileForm(ReferralMixin, forms.Form):
    display_name = NameField()
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField()
    preferred_language = forms.ChoiceField(
        label=_("Language for messages to you"), required=False,
        choices=own_name_language_choices, widget=OwnNameLanguageSelect,
        help_text=_("Emails about your sign-ups are written in this language."),
    )
    talents = forms.MultipleChoiceField(
        label=_("Talents you can offer"), choices=Talent.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.MultipleChoiceField(
        label=_("What you are interested in"), choices=Interest.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you usually free?"), required=False,
        choices=[(slot, slot) for slot in AVAILABILITY_SLOTS],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_referral(initiative)

    def availability_rows(self):
        """Rows of (day label, [(slot, part label, checked)]) for the 7×3 grid."""
        chosen = set(self["availability"].value() or [])
        return [
            (day.label, [(f"{day.value}-{part.value}", part.label, f"{day.value}-{part.value}"
                          in chosen) for part in DayPart])
            for day in Day
        ]


LEVEL_CHOICES = [("", _("No")), *LanguageLevel.choices]


class LanguagesForm(forms.Form):
    """One select per language (do you speak it, how well) and a checkbox grid of languages
    you want to learn or practise."""

    wants = forms.MultipleChoiceField(
        label=_("Languages you want to learn or practise"), choices=Language.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class SelfDescriptionForm(forms.Form):
    group = forms.ChoiceField(
        label=_("How long have you lived in the Netherlands?"),
        choices=SelfDescription.Group.choices, widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=SelfDescription.Gender.choices, widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("I agree that the meeting place uses these two answers to form balanced teams, "
                "to let me into women-only activities, and for counts that never show a person."),
        error_messages={"required": _("Please tick the box to say you agree.")},
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete my profile and my login. I understand this cannot be undone."),
        error_messages={"required": _("Please tick the box to confirm.")},
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=60, required=False)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(name.value, name.label) for name in ASSIGNABLE_ROLES],
    )


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=120,
                           validators=[validate_plain_name])
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerOrganisation.Kind.choices)


class PartnerLoginForm(KioskForm):
    """A new login for a partner organisation (it sees only aggregated, protected figures)."""

    username = forms.RegexField(
        label=_("Login name for the partner"), regex=r"^[\w.@+-]+\Z", max_length=150,
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only, without spaces.")},
    )


class PartnerShareForm(forms.Form):
    """The login name of a partner that already sees the figures of another meeting place."""

    username = forms.CharField(label=_("Login name of the partner"), max_length=150)
