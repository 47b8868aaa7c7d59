"""Explicit hooks other apps register to act when something happens to a Person.

People may not import the apps above it (attendance, activities…), yet erasing a person has
to reach their sign-ups. Instead of signals (hidden, easy to forget), an app registers a
plain function here in its `AppConfig.ready()`; `people.services.erase_person` calls every
registered function inside its transaction, before the person's data is cleared, so a hook
still sees the person as they were and a failing hook rolls the whole erasure back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verbinding.people.models import Person

PersonHook = Callable[["Person"], None]

# Called as fn(person) inside erase_person's transaction, in registration order.
before_erase: list[PersonHook] = []


def register_before_erase(fn: PersonHook) -> PersonHook:
    """Register `fn` once (a second registration of the same function is ignored)."""
    if fn not in before_erase:
        before_erase.append(fn)
    return fn


def run_before_erase(person: Person) -> None:
    for fn in list(before_erase):
        fn(person)
