"""Forms of the organising app. They parse shape (numbers, choices, lengths); the text rules
(plain text, no hidden characters) live in services.clean_text, whose DomainErrors the views
attach back to the field."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from verbinding.attendance.models import GuestTally
from verbinding.core.errors import DomainError, message_for
from verbinding.organising.services import MARK_MAX, MESSAGE_MAX

_message = lazy(message_for, str)


def attach_domain_error(form: forms.Form, error: DomainError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, message_for(error.code))


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MESSAGE_MAX, strip=False,
        help_text=_("Plain text, at most 2000 characters. Everyone signed up sees it on "
                    "“My sign-ups”; those with an email address also get it by email."),
        error_messages={"required": _message("organising_message_required"),
                        "max_length": _message("organising_message_too_long")},
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 6, "maxlength": MESSAGE_MAX}),
    )


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the people signed up (optional)"), max_length=MESSAGE_MAX,
        required=False, strip=False,
        help_text=_("For example why, or when you meet next. They are told in any case."),
        error_messages={"max_length": _message("organising_message_too_long")},
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 4, "maxlength": MESSAGE_MAX}),
    )


class IdListField(forms.Field):
    """A list of positive ids from ticked checkboxes (`?person=3&person=7`)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, (list, tuple)) or len(value) > MARK_MAX:
            raise forms.ValidationError(message_for("organising_person_not_here"))
        ids = []
        for item in value:
            text = str(item)
            if not (text.isascii() and text.isdigit() and 0 < len(text) <= 18):
                raise forms.ValidationError(message_for("organising_person_not_here"))
            ids.append(int(text))
        return ids


class PresentForm(forms.Form):
    """Ticked people (ids); the service checks they belong to this meeting place."""

    person = IdListField(error_messages={"required": _message("organising_nobody_chosen")})


class UndoForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=10**18,
                                error_messages={"required": _message("organising_person_not_here"),
                                                "invalid": _message("organising_person_not_here")})


class GuestForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many guests?"), min_value=1, max_value=500, initial=1,
        error_messages={"required": _message("guest_count_invalid"),
                        "invalid": _message("guest_count_invalid"),
                        "min_value": _message("guest_count_invalid"),
                        "max_value": _message("guest_count_invalid")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    group = forms.ChoiceField(
        label=_("They said they are"), choices=GuestTally.Group.choices,
        initial=GuestTally.Group.UNSPECIFIED, widget=forms.RadioSelect,
        error_messages={"required": _message("guest_group_invalid"),
                        "invalid_choice": _message("guest_group_invalid")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a member by name"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "dir": "auto",
                                                      "autocomplete": "off"}))
