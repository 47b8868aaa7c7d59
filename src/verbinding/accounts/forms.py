"""Forms of the accounts app: login, the one-time code of two-factor login, kiosk logins."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from verbinding.accounts.validators import PasswordOrPinValidator


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Login name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password or PIN"), max_length=200, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"), regex=r"^\s*\d{6,8}\s*$", max_length=12,
        error_messages={"invalid": _("Type the 6 digits shown in your app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class KioskForm(forms.Form):
    username = forms.RegexField(
        label=_("Login name for the tablet"), regex=r"^[\w.@+-]+\Z", max_length=150,
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only, without spaces.")},
    )
    password = forms.CharField(
        label=_("Password"), max_length=200, strip=False, widget=forms.PasswordInput,
        help_text=PasswordOrPinValidator().get_help_text,
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password
