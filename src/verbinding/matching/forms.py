"""Forms of the team screens: the run's parameters, pair rules, and the edit actions.

Every id comes in as a bounded integer; whether it belongs to this run or project is checked
by the services (DomainError), so a hostile or stale id never writes anything."""

from __future__ import annotations

import dataclasses

from django import forms
from django.utils.translation import gettext_lazy as _

from verbinding.matching.explain import isolate
from verbinding.matching.models import PairRule
from verbinding.matching.services import BALANCE_TOLERANCE_RANGE, TEAM_SIZE_RANGE
from verbinding.matching.solver.model import Parameters

MAX_ID = 2**31 - 1
SIZE_LOW, SIZE_HIGH = TEAM_SIZE_RANGE


class ParamsForm(forms.Form):
    min_size = forms.IntegerField(label=_("Smallest team"), min_value=SIZE_LOW, max_value=SIZE_HIGH)
    max_size = forms.IntegerField(label=_("Largest team"), min_value=SIZE_LOW, max_value=SIZE_HIGH)
    balance = forms.BooleanField(label=_("Balance newcomers and locals in every team"), required=False)
    balance_tolerance = forms.IntegerField(
        label=_("Largest difference between newcomers and locals in a team"),
        min_value=BALANCE_TOLERANCE_RANGE[0], max_value=BALANCE_TOLERANCE_RANGE[1],
    )
    gender = forms.BooleanField(label=_("No single woman or man in a mixed team"), required=False)
    slot = forms.BooleanField(label=_("One weekly time the whole team can make"), required=False)
    language = forms.BooleanField(
        label=_("Everyone without Dutch has a teammate who speaks Dutch and their language"),
        required=False,
    )
    women_only_min_size = forms.IntegerField(
        label=_("Smallest women-only team (empty: the same as other teams)"),
        min_value=SIZE_LOW, max_value=SIZE_HIGH, required=False,
    )
    time_limit = forms.IntegerField(label=_("Time for the computer (seconds)"), min_value=2,
                                    max_value=120)
    seed = forms.IntegerField(label=_("Seed (the same seed gives the same teams)"), min_value=0,
                              max_value=1_000_000)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_size"), data.get("max_size")
        if low is not None and high is not None and low > high:
            self.add_error("max_size", _("The largest team cannot be smaller than the smallest."))
        return data

    @classmethod
    def initial_from(cls, params: Parameters) -> dict:
        return {
            "min_size": params.min_size, "max_size": params.max_size, "balance": params.balance,
            "gender": params.gender, "slot": params.slot, "language": params.language,
            "balance_tolerance": params.balance_tolerance,
            "women_only_min_size": params.women_only_min_size,
            "time_limit": int(params.time_limit), "seed": params.seed,
        }

    def to_params(self, base: Parameters) -> Parameters:
        d = self.cleaned_data
        return dataclasses.replace(
            base, min_size=d["min_size"], max_size=d["max_size"], balance=d["balance"],
            gender=d["gender"], slot=d["slot"], language=d["language"],
            balance_tolerance=d["balance_tolerance"], women_only_min_size=d["women_only_min_size"],
            time_limit=float(d["time_limit"]), seed=d["seed"],
        )


class PairRuleForm(forms.Form):
    person_a = forms.TypedChoiceField(label=_("Person"), coerce=int)
    person_b = forms.TypedChoiceField(label=_("and person"), coerce=int)
    kind = forms.ChoiceField(label=_("Rule"), choices=PairRule.Kind.choices)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Isolated, so a Latin name ending in "." keeps its full stop in an Arabic page.
        choices = [(p.pk, isolate(p.display_name)) for p in people]
        self.fields["person_a"].choices = choices
        self.fields["person_b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("person_a") is not None and data.get("person_a") == data.get("person_b"):
            self.add_error("person_b", _("Choose two different people."))
        return data


class MoveForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=MAX_ID)
    team = forms.IntegerField(min_value=1, max_value=10_000)


class SwapForm(forms.Form):
    person_a = forms.IntegerField(min_value=1, max_value=MAX_ID)
    person_b = forms.IntegerField(min_value=1, max_value=MAX_ID)


class PersonForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=MAX_ID)


class TeamForm(forms.Form):
    team = forms.IntegerField(min_value=1, max_value=10_000)


class RelaxationForm(forms.Form):
    """Which of the run's suggested changes to apply (an index; the change itself is stored)."""

    option = forms.IntegerField(min_value=0, max_value=100)
