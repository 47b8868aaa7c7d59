"""Privacy rule 1: no model field and no form field may hold what we never store.

Walks every model of every installed app and every form class in every `verbinding.<app>.forms`
module, and fails on a deny-list of names and verbose names, in English and Dutch. A planted
field proves the walk can fail.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import unicodedata

import pytest
from django import forms
from django.apps import apps
from django.db import models

import verbinding

DENY = [
    "residence status", "legal status", "asylum", "verblijfsstatus", "verblijfsvergunning",
    "bsn", "burgerservicenummer", "citizen service number", "alien number", "v-nummer",
    "vreemdelingennummer", "nationality", "nationaliteit", "country of birth", "geboorteland",
    "religion", "religie", "geloof", "health", "gezondheid", "medical", "date of birth",
    "geboortedatum", "birth date", "id number", "passport", "paspoort",
]


def normalise(text: str) -> str:
    """Lower case, accents stripped, every run of non-letters one space: "Date_of-Birth" →
    "date of birth"; "vnummer" keeps its own spelling so both are listed."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


# Matched at the start of a word only, so Dutch compounds ("paspoortnummer") and plurals are
# caught while "hospitality" or "absent" are not.
DENY_NORMALISED = [normalise(word).rstrip() for word in DENY]
# Spellings without separators ("dateofbirth", "vnummer") are caught too.
DENY_SQUASHED = [word.replace(" ", "") for word in DENY_NORMALISED if " " in word.strip()]


def forbidden(*texts: str) -> list[str]:
    hits = []
    for text in texts:
        norm = normalise(text)
        squashed = norm.replace(" ", "")
        hits += [w.strip() for w in DENY_NORMALISED if w in norm]
        hits += [w for w in DENY_SQUASHED if w in squashed]
    return hits


def model_violations(model_classes) -> list[str]:
    found = []
    for model in model_classes:
        for field in model._meta.get_fields():
            name = getattr(field, "name", "")
            verbose = str(getattr(field, "verbose_name", "") or "")
            if hits := forbidden(name, verbose):
                found.append(f"{model._meta.label}.{name}: {hits}")
    return found


def form_violations(form_classes) -> list[str]:
    found = []
    for form in form_classes:
        for name, field in form.base_fields.items():
            if hits := forbidden(name, str(field.label or ""), str(field.help_text or "")):
                found.append(f"{form.__module__}.{form.__name__}.{name}: {hits}")
    return found


def verbinding_form_classes():
    classes = []
    for info in pkgutil.iter_modules(verbinding.__path__):
        try:
            module = importlib.import_module(f"verbinding.{info.name}.forms")
        except ModuleNotFoundError as error:
            if error.name != f"verbinding.{info.name}.forms":
                raise
            continue
        classes += [
            obj for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, forms.BaseForm)
            and obj.__module__ == module.__name__
        ]
    return classes


def test_no_model_field_holds_forbidden_personal_data():
    assert model_violations(apps.get_models()) == []


def test_no_form_field_asks_for_forbidden_personal_data():
    classes = verbinding_form_classes()
    assert any(c.__module__ == "verbinding.people.forms" for c in classes)
    assert form_violations(classes) == []


def test_the_walk_covers_the_models_of_every_verbinding_app():
    labels = {model._meta.app_label for model in apps.get_models()}
    assert {"core", "accounts", "people", "activities", "attendance"} <= labels


@pytest.mark.parametrize("name,verbose", [
    ("nationality", "country"),
    ("notes", "Geboortedatum"),
    ("date_of_birth", "born"),
    ("dateOfBirth", "born"),
    ("v_nummer", "number"),
    ("bsn", "number"),
    ("extra", "Religie / geloof"),
    ("status", "Residence status"),
])
def test_the_walk_catches_a_planted_forbidden_model_field(name, verbose):
    planted = type(f"Planted{abs(hash(name))}", (models.Model,), {
        "__module__": __name__,
        name: models.CharField(verbose, max_length=10),
        "Meta": type("Meta", (), {"app_label": "people", "managed": False}),
    })
    try:
        assert model_violations([planted])
    finally:
        apps.all_models["people"].pop(planted._meta.model_name, None)
        apps.clear_cache()


def test_the_walk_catches_a_planted_forbidden_form_field():
    class Planted(forms.Form):
        nickname = forms.CharField()
        paspoort = forms.CharField(label="Paspoortnummer")
        info = forms.CharField(label="Medical needs")

    found = form_violations([Planted])
    assert len(found) == 2
    assert all("nickname" not in row for row in found)


def test_harmless_words_are_not_flagged():
    harmless = ("display_name", "status", "Interests", "availability", "languages", "absent",
                "hospitality", "calendar_token", "referred_by_person", "consented_at")
    assert forbidden(*harmless) == []


def test_dutch_compounds_and_plain_spellings_are_caught():
    assert forbidden("Paspoortnummer") == ["paspoort"]
    assert forbidden("birthdate") == ["birthdate"]
    assert forbidden("Nationaliteiten") == ["nationaliteit"]
