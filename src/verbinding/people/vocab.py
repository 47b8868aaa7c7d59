"""Fixed, translatable vocabularies for profiles: languages, levels, talents, interests, time slots.

Talents and interests come from a list rather than free text: they translate, they match
(team formation, talent exchange) and a list cannot be used to ask for sensitive data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    NL = "nl", _("Dutch")
    EN = "en", _("English")
    AR = "ar", _("Arabic")
    TI = "ti", _("Tigrinya")
    AM = "am", _("Amharic")
    FA = "fa", _("Farsi / Dari")
    PS = "ps", _("Pashto")
    KU = "ku", _("Kurdish")
    TR = "tr", _("Turkish")
    UK = "uk", _("Ukrainian")
    RU = "ru", _("Russian")
    SO = "so", _("Somali")
    FR = "fr", _("French")
    DE = "de", _("German")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    PL = "pl", _("Polish")
    ZH = "zh", _("Chinese")
    OTHER = "other", _("Another language")


class LanguageLevel(models.TextChoices):
    BASIC = "basic", _("A little")
    GOOD = "good", _("Well")
    FLUENT = "fluent", _("Fluently / mother tongue")


class Talent(models.TextChoices):
    COOKING = "cooking", _("Cooking")
    BAKING = "baking", _("Baking")
    MUSIC = "music", _("Making music")
    SINGING = "singing", _("Singing")
    DANCE = "dance", _("Dancing")
    THEATRE = "theatre", _("Theatre and storytelling")
    SEWING = "sewing", _("Sewing and embroidery")
    DRAWING = "drawing", _("Drawing and painting")
    PHOTOGRAPHY = "photography", _("Photography and film")
    WOODWORK = "woodwork", _("Woodwork and furniture")
    BIKE_REPAIR = "bike_repair", _("Bike repair")
    GARDENING = "gardening", _("Gardening")
    SPORT = "sport", _("Sport and exercise")
    TEACHING_LANGUAGE = "teaching_language", _("Teaching a language")
    COMPUTERS = "computers", _("Computers and phones")
    HAIRDRESSING = "hairdressing", _("Hairdressing")
    ORGANISING = "organising", _("Organising events")
    GAMES = "games", _("Board and card games")
    CHILDCARE = "childcare", _("Playing with children")
    CRAFTS = "crafts", _("Crafts")


class Interest(models.TextChoices):
    FOOD = "food", _("Food and cooking")
    MUSIC = "music", _("Music")
    ART = "art", _("Art and design")
    THEATRE = "theatre", _("Theatre and film")
    SPORT = "sport", _("Sport")
    LANGUAGES = "languages", _("Languages")
    NATURE = "nature", _("Nature and gardening")
    CRAFTS = "crafts", _("Crafts and making things")
    GAMES = "games", _("Games")
    TECHNOLOGY = "technology", _("Technology")
    HISTORY = "history", _("Stories and memories")
    NEIGHBOURHOOD = "neighbourhood", _("The neighbourhood")
    WORK = "work", _("Work and study")
    FAMILY = "family", _("Children and family")


class Day(models.TextChoices):
    MON = "mon", _("Monday")
    TUE = "tue", _("Tuesday")
    WED = "wed", _("Wednesday")
    THU = "thu", _("Thursday")
    FRI = "fri", _("Friday")
    SAT = "sat", _("Saturday")
    SUN = "sun", _("Sunday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


AVAILABILITY_SLOTS: list[str] = [f"{d}-{p}" for d in Day.values for p in DayPart.values]


def slot_label(slot: str) -> str:
    day, _sep, part = slot.partition("-")
    return f"{Day(day).label} {DayPart(part).label.lower()}"
