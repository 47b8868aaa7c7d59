"""Forms of the exchange: shape only (choices, lengths, hidden characters); the rules live in
services.py, whose DomainErrors the views attach back to a field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from verbinding.core.errors import DomainError, message_for
from verbinding.exchange import services, subjects
from verbinding.exchange.models import Answer, Happened
from verbinding.people.vocab import Language

_message = lazy(message_for, str)

FIELD_FOR_ERROR = {
    "exchange_subject_invalid": "subject",
    "exchange_offer_exists": "subject",
    "exchange_want_exists": "subject",
    "exchange_too_many_offers": "subject",
    "exchange_too_many_wants": "subject",
    "exchange_language_invalid": "languages",
    "exchange_title_too_long": "title",
    "exchange_title_characters": "title",
}


def attach_domain_error(form: forms.Form, error: DomainError) -> None:
    field = FIELD_FOR_ERROR.get(error.code)
    form.add_error(field if field in form.fields else None, message_for(error.code))


def _no_hidden(value: str) -> None:
    if services.has_hidden_characters(value):
        raise ValidationError(message_for("exchange_title_characters"), code="characters")


class SubjectField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=subjects.subject_choices, **kwargs)


class WantForm(forms.Form):
    subject = SubjectField(
        label=_("What would you like to learn?"),
        error_messages={"required": _message("exchange_subject_invalid"),
                        "invalid_choice": _message("exchange_subject_invalid")},
    )
    languages = forms.MultipleChoiceField(
        label=_("In which languages can you learn?"), required=False, choices=Language.choices,
        help_text=_("Leave empty to use the languages in your profile."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _message("exchange_language_invalid")},
    )

    def service_kwargs(self) -> dict:
        return {"subject": self.cleaned_data["subject"], "languages": self.cleaned_data["languages"]}


class OfferForm(WantForm):
    title = forms.CharField(
        label=_("A few words about the skill (optional)"), required=False,
        max_length=services.TITLE_MAX, validators=[_no_hidden],
        help_text=_("For example “Syrian home cooking” or “Fixing flat tyres”. About the skill, not about you."),
        error_messages={"max_length": _message("exchange_title_too_long")},
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].label = _("What can you teach?")
        self.fields["languages"].label = _("In which languages can you teach?")

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "title": self.cleaned_data["title"]}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[(Answer.YES, Answer.YES.label), (Answer.NO, Answer.NO.label)],
                               error_messages={"required": _message("exchange_answer_invalid"),
                                               "invalid_choice": _message("exchange_answer_invalid")})


class HappenedForm(forms.Form):
    happened = forms.ChoiceField(choices=[(Happened.YES, Happened.YES.label), (Happened.NO, Happened.NO.label)],
                                 error_messages={"required": _message("exchange_answer_invalid"),
                                                 "invalid_choice": _message("exchange_answer_invalid")})
