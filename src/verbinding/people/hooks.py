"""Explicit hooks other apps register to act when something happens to a Person.

Two kinds: `before_erase` (act before a person is erased) and `export_sections` (add what
an app above people stores about the person to their own data export, so "export all my
data" covers team places, exchange lessons, proposals and survey links too).

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


# Called as fn(person) -> {section name: plain data} by export_person, in registration order.
export_sections: list[Callable[[Person], dict]] = []


def register_export(fn: Callable[[Person], dict]) -> Callable[[Person], dict]:
    """Register `fn` once; it returns the sections it adds to a person's data export."""
    if fn not in export_sections:
        export_sections.append(fn)
    return fn


def run_export(person: Person) -> dict:
    """Every registered section; two apps claiming the same section name is a bug."""
    out: dict = {}
    for fn in list(export_sections):
        part = fn(person)
        clash = set(part) & set(out)
        if clash:
            raise ValueError(f"export sections registered twice: {sorted(clash)}")
        out.update(part)
    return out
