"""Forms for proposals: a member's idea (also used by a coordinator to correct it), and the
coordinator's decision (approve with an optional message, decline with a required one).

Forms check shape (lengths, choices, hidden characters); the rules live in proposals.py, whose
DomainErrors the views attach back to the fields named in FIELD_FOR_ERROR.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from verbinding.activities import proposals
from verbinding.activities.models import Activity, Proposal
from verbinding.core.errors import DomainError, message_for
from verbinding.people.vocab import Language

FIELD_FOR_ERROR = {
    "proposal_title_required": "title",
    "proposal_title_too_long": "title",
    "proposal_description_required": "description",
    "proposal_description_too_long": "description",
    "proposal_when_required": "when",
    "proposal_when_too_long": "when",
    "proposal_response_too_long": "response",
    "proposal_decline_needs_message": "response",
    "price_required": "price",
}


def attach_domain_error(form: forms.Form, error: DomainError) -> None:
    field = FIELD_FOR_ERROR.get(error.code)
    if error.code == "choice_invalid":
        field = error.params.get("field")
    form.add_error(field if field in form.fields else None, message_for(error.code))


def validate_no_hidden_characters(value: str) -> None:
    if proposals.has_hidden_characters(value):
        raise ValidationError(message_for("proposal_text_characters"), code="text_characters")


def _too_long_now(limit: int) -> str:
    return gettext("This text is too long: at most %(limit)s characters.") % {"limit": limit}


# Error messages are built when the form class is defined (at import), so they must stay lazy:
# translated in the language of the request that shows them.
_too_long = lazy(_too_long_now, str)
_message = lazy(message_for, str)


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Name of your idea"), max_length=proposals.TITLE_MAX,
        help_text=_("Short and clear, for example “Sewing café” or “Cooking from Eritrea”."),
        validators=[validate_no_hidden_characters],
        error_messages={"required": _message("proposal_title_required"),
                        "max_length": _too_long(proposals.TITLE_MAX)},
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("What will you do together?"), max_length=proposals.DESCRIPTION_MAX,
        help_text=_("A few sentences are enough. What do people do, and what do they bring?"),
        validators=[validate_no_hidden_characters],
        error_messages={"required": _message("proposal_description_required"),
                        "max_length": _too_long(proposals.DESCRIPTION_MAX)},
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 5}),
    )
    when = forms.CharField(
        label=_("When?"), max_length=proposals.WHEN_MAX,
        help_text=_("In your own words, for example “Friday evenings” or “Saturday morning, every two weeks”."),
        validators=[validate_no_hidden_characters],
        error_messages={"required": _message("proposal_when_required"),
                        "max_length": _too_long(proposals.WHEN_MAX)},
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Which languages will be spoken?"), choices=Language.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _message("choice_invalid")},
    )
    cost = forms.ChoiceField(
        label=_("Does it cost anything?"), choices=Activity.Cost.choices, widget=forms.RadioSelect,
        initial=Activity.Cost.FREE,
        error_messages={"invalid_choice": _message("choice_invalid"),
                        "required": _message("choice_invalid")},
    )
    price = forms.DecimalField(
        label=_("Price in euros"), required=False, min_value=Decimal(0),
        max_value=Decimal(proposals.PRICE_MAX_CENTS) / 100, max_digits=7, decimal_places=2,
        help_text=_("Only for a fixed price."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )

    def __init__(self, *args, proposal: Proposal | None = None, **kwargs):
        if proposal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": proposal.title, "description": proposal.description,
                "when": proposal.when, "languages": proposal.languages, "cost": proposal.cost,
                "price": (Decimal(proposal.cost_cents) / 100
                          if proposal.cost_cents is not None else None),
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("cost") == Activity.Cost.AMOUNT and data.get("price") is None \
                and "price" not in self.errors:
            self.add_error("price", message_for("price_required"))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        price = data.get("price")
        return {
            "title": data["title"], "description": data["description"], "when": data["when"],
            "languages": list(data.get("languages") or []), "cost": data["cost"],
            "cost_cents": int(price * 100) if price is not None else None,
        }


class DecisionForm(forms.Form):
    """The coordinator's message to the proposer; required for a decline (checked here and in
    the service), optional for an approval."""

    response = forms.CharField(
        label=_("Message to the proposer"), max_length=proposals.RESPONSE_MAX, required=False,
        help_text=_("They see it on their proposals page and, if they gave an email address, by email."),
        validators=[validate_no_hidden_characters],
        error_messages={"max_length": _too_long(proposals.RESPONSE_MAX)},
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 3}),
    )

    def __init__(self, *args, require_message: bool = False, **kwargs):
        self.require_message = require_message
        super().__init__(*args, **kwargs)

    def clean_response(self):
        text = (self.cleaned_data.get("response") or "").strip()
        if self.require_message and not text:
            raise ValidationError(message_for("proposal_decline_needs_message"), code="required")
        return text
