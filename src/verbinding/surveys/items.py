"""The questions of the pulse and the periodic modules, as code (not data a user can edit).

Wording and answer scales follow `../context/research/measurement-and-privacy.md` §1.7 (the
five weekly items P1–P5, the rotating modules P6–P8). Every item has an icon, 2–7 pictogram
answers ordered from lowest to highest, and "rather not say" (`RATHER_NOT_SAY`).

`adapted` marks an item whose wording or answer format is our own adaptation and has not been
validated (P1–P5 are proposals "to adapt and test"; P3/P4 are explicitly "adapted, not
validated"; the trust ladder is a 5-step version of a 0–10 / binary item; loneliness is the
direct single item because the DJG-6 has no validated Arabic version and one instrument must be
used in every language). Every report shows the flag. Only the IOS circles (Aron, Aron &
Smollan 1992: a pictorial, language-free single item) are not flagged.

No item has free text; answers are codes from a closed list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_noop  # marked here, translated when shown

RATHER_NOT_SAY = "rather_not_say"
# What every report prints next to an item whose `adapted` flag is set.
ADAPTED_LABEL = gettext_noop("adapted, not validated")
RATHER_NOT_SAY_LABEL = gettext_noop("Rather not say")


@dataclass(frozen=True)
class Answer:
    code: str
    label: str  # an English msgid (gettext_noop): translate at display time with gettext
    picto: str  # which pictogram the templates draw (see surveys/_picto.html)


@dataclass(frozen=True)
class Item:
    code: str
    module: str  # "pulse" for the weekly five, else the module's code
    label: str  # short name in reports (msgid)
    prompt: str  # the question as asked (msgid); may hold %(place)s
    icon: str  # symbol id in surveys/_icons.html
    answers: tuple[Answer, ...]  # lowest → highest, without "rather not say"
    adapted: bool
    source: str  # a short citation, never translated (a reference)

    @property
    def codes(self) -> tuple[str, ...]:
        return (*(a.code for a in self.answers), RATHER_NOT_SAY)

    def answer(self, code: str) -> Answer | None:
        return next((a for a in self.answers if a.code == code), None)


def _scale(*pairs: tuple[str, str, str]) -> tuple[Answer, ...]:
    return tuple(Answer(code, label, picto) for code, label, picto in pairs)


PULSE_ITEMS: tuple[Item, ...] = (
    Item("talked_new", "pulse", gettext_noop("Talked to someone new"),
         gettext_noop("Today I talked with someone I did not know before."), "sv-talk",
         _scale(("none", gettext_noop("Nobody"), "persons-0"), ("one", gettext_noop("One person"), "persons-1"),
                ("more", gettext_noop("Two or more"), "persons-2")),
         adapted=True, source="Islam & Hewstone 1993 (quantity), concrete-act wording"),
    Item("pleasant", "pulse", gettext_noop("How pleasant"),
         gettext_noop("How was talking with people here today?"), "sv-smile",
         _scale(("1", gettext_noop("Very unpleasant"), "face-1"), ("2", gettext_noop("Unpleasant"), "face-2"),
                ("3", gettext_noop("So-so"), "face-3"), ("4", gettext_noop("Pleasant"), "face-4"),
                ("5", gettext_noop("Very pleasant"), "face-5")),
         adapted=True, source="Islam & Hewstone 1993 (quality: pleasant)"),
    Item("ideas_count", "pulse", gettext_noop("My ideas count as much"),
         gettext_noop("Here, my ideas count as much as anyone's."), "sv-idea",
         _scale(("no", gettext_noop("No"), "thumb-down"), ("a_bit", gettext_noop("A bit"), "thumb-side"),
                ("yes", gettext_noop("Yes"), "thumb-up")),
         adapted=True, source="Allport: equal status (Molina & Wittig 2006)"),
    Item("together", "pulse", gettext_noop("Made or did something together"),
         gettext_noop("Today we made or did something together."), "sv-hands",
         _scale(("no", gettext_noop("No"), "cross"), ("yes", gettext_noop("Yes"), "tick")),
         adapted=True, source="Allport: cooperation, common goal"),
    Item("met_outside", "pulse", gettext_noop("Met someone from here outside"),
         gettext_noop("Since last time, did you meet someone from here outside %(place)s?"), "sv-house",
         _scale(("no", gettext_noop("No"), "cross"), ("once", gettext_noop("Yes, once"), "tick-1"),
                ("more", gettext_noop("Yes, more often"), "tick-2")),
         adapted=True, source="Acquaintance potential (Molina & Wittig 2006)"),
)

_IOS = _scale(*((str(n), label, f"ios-{n}") for n, label in (
    (1, gettext_noop("Far apart")), (2, gettext_noop("Just touching")), (3, gettext_noop("A little overlap")),
    (4, gettext_noop("Some overlap")), (5, gettext_noop("Much overlap")), (6, gettext_noop("Very much overlap")),
    (7, gettext_noop("Almost the same")))))

MODULE_ITEMS: tuple[Item, ...] = (
    Item("ios_newcomers", "closeness", gettext_noop("Closeness to people new in the Netherlands"),
         gettext_noop("Which picture shows you and people who came to live in the Netherlands in recent years?"),
         "sv-circles", _IOS, adapted=False, source="IOS scale, Aron, Aron & Smollan 1992"),
    Item("ios_longer", "closeness", gettext_noop("Closeness to people who have lived here longer"),
         gettext_noop("Which picture shows you and people who have lived in the Netherlands longer?"),
         "sv-circles", _IOS, adapted=False, source="IOS scale, Aron, Aron & Smollan 1992"),
    Item("trust", "trust", gettext_noop("Social trust"),
         gettext_noop("Can most people be trusted, or can you not be too careful?"), "sv-ladder",
         _scale(("1", gettext_noop("You cannot be too careful"), "step-1"), ("2", gettext_noop("Mostly careful"), "step-2"),
                ("3", gettext_noop("In between"), "step-3"), ("4", gettext_noop("Mostly trust"), "step-4"),
                ("5", gettext_noop("Most people can be trusted"), "step-5")),
         adapted=True,
         source="ESS/CBS social trust, 5-step ladder: not comparable to CBS binary or ESS 0-10"),
    Item("lonely", "loneliness", gettext_noop("Loneliness"),
         gettext_noop("Do you sometimes feel lonely?"), "sv-alone",
         _scale(("never", gettext_noop("Never"), "lonely-1"), ("seldom", gettext_noop("Seldom"), "lonely-2"),
                ("sometimes", gettext_noop("Sometimes"), "lonely-3"), ("often", gettext_noop("Often"), "lonely-4")),
         adapted=True, source="Direct single loneliness item (not the DJG-6 scale)"),
)

MODULES: dict[str, str] = {  # code -> label msgid
    "closeness": gettext_noop("Closeness to the other group"),
    "trust": gettext_noop("Social trust"),
    "loneliness": gettext_noop("Loneliness"),
}
# One module a month, in this order (January: closeness, February: trust, March: loneliness,
# April: closeness, …), so each is asked quarterly and loneliness never more than quarterly.
MODULE_ROTATION: tuple[str, ...] = ("closeness", "trust", "loneliness")

ALL_ITEMS: tuple[Item, ...] = PULSE_ITEMS + MODULE_ITEMS
BY_CODE: dict[str, Item] = {item.code: item for item in ALL_ITEMS}
ITEM_CHOICES = [(item.code, item.code) for item in ALL_ITEMS]
ANSWER_CODES = sorted({code for item in ALL_ITEMS for code in item.codes})


def module_for(day: dt.date) -> str:
    """The module asked (after the five weekly items) on `day`."""
    return MODULE_ROTATION[(day.month - 1) % len(MODULE_ROTATION)]


def module_items(module: str) -> tuple[Item, ...]:
    return tuple(item for item in MODULE_ITEMS if item.module == module)


def items_for(day: dt.date) -> tuple[Item, ...]:
    """Every item offered on `day`: the five weekly ones, then that month's module."""
    return PULSE_ITEMS + module_items(module_for(day))
