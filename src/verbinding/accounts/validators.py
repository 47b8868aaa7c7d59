"""Password rule that also admits a PIN: many visitors are new to passwords and type on phones.

A password needs at least 8 characters; a PIN (digits only) needs at least 6 digits and may
not be a simple run like 123456 or 111111. Logins are rate-limited, which is what makes a
six-digit PIN acceptable.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PasswordOrPinValidator:
    def validate(self, password: str, user=None) -> None:
        if password.isdigit():
            if len(password) < 6:
                raise ValidationError(_("A PIN needs at least 6 digits."), code="pin_too_short")
            runs = ("0123456789", "9876543210")
            if len(set(password)) == 1 or any(password in run for run in runs):
                raise ValidationError(_("This PIN is too easy to guess."), code="pin_too_simple")
            return
        if len(password) < 8:
            raise ValidationError(
                _("A password needs at least 8 characters (or use a PIN of 6 digits or more)."),
                code="password_too_short",
            )
        if len(password) > 200:
            raise ValidationError(_("This password is too long."), code="password_too_long")

    def get_help_text(self) -> str:
        return _("At least 8 characters, or a PIN of at least 6 digits.")


# Zero-width joiner/non-joiner are format characters that Persian and Indic scripts need.
ALLOWED_FORMAT_CHARS = {"\u200c", "\u200d"}


def validate_plain_name(value: str) -> None:
    """A name or address: no markup characters, no control or direction-override characters
    (U+202E and friends can make a name display as something else)."""
    for char in value:
        category = unicodedata.category(char)
        if char in "<>{}" or (category.startswith("C") and char not in ALLOWED_FORMAT_CHARS):
            raise ValidationError(
                _("Please use letters, numbers, spaces and simple punctuation only."),
                code="name_characters",
            )
