"""Forms for coordinators and organisers: an activity (with a simple repeat builder and an
advanced RRULE field) and moving one session.

Forms parse and check shape (types, ranges, required fields); the rules themselves live in
services.py, whose DomainErrors the views attach back to the fields named in FIELD_FOR_ERROR.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbinding.activities import recurrence
from verbinding.activities.models import Activity, Format
from verbinding.activities.services import (
    DESCRIPTION_MAX,
    DURATION_RANGE,
    GOAL_MAX,
    PROJECT_SESSIONS_DEFAULT,
    PROJECT_SESSIONS_MAX,
    ROOM_MAX,
    TEAM_SIZE_RANGE,
    TITLE_MAX,
)
from verbinding.core.errors import DomainError, message_for
from verbinding.people.models import Person
from verbinding.people.vocab import Language

LANGUAGE_LABELS = dict(Language.choices)

REPEAT_CHOICES = [
    ("weekly", _("Every week (or every few weeks)")),
    ("monthly", _("Every month, on a weekday")),
    ("daily", _("Every day")),
    ("advanced", _("Advanced: my own repeat rule (RRULE)")),
]
ENDS_CHOICES = [
    ("never", _("Keeps going")),
    ("until", _("Until a date")),
    ("count", _("After a number of sessions")),
]
WEEKDAY_CHOICES = [
    ("MO", _("Monday")), ("TU", _("Tuesday")), ("WE", _("Wednesday")), ("TH", _("Thursday")),
    ("FR", _("Friday")), ("SA", _("Saturday")), ("SU", _("Sunday")),
]
MONTH_WEEK_CHOICES = [
    ("1", _("first")), ("2", _("second")), ("3", _("third")), ("4", _("fourth")), ("-1", _("last")),
]

# DomainError code → the form field the message belongs next to (others go on top).
FIELD_FOR_ERROR = {
    "capacity_invalid": "capacity",
    "duration_invalid": "duration_minutes",
    "price_required": "price",
    "organiser_not_here": "organisers",
    "planned_sessions_invalid": "planned_sessions",
    "team_size_invalid": "team_size",
    "start_invalid": "start_date",
    "rule_invalid": "rrule",
    "rule_too_frequent": "rrule",
    "rule_too_many": "rrule",
    "end_before_start": "end_time",
}


def content_languages(initiative) -> list[str]:
    """The languages an activity is written in: the initiative's, and at least nl, en, ar."""
    return list(dict.fromkeys([*(initiative.languages or []), "nl", "en", "ar"]))


def attach_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's DomainError on the form, next to the field it concerns."""
    field = FIELD_FOR_ERROR.get(error.code)
    lang = error.params.get("lang")
    if error.code == "title_too_long" and lang:
        field = f"title_{lang}"
    elif error.code == "description_too_long" and lang:
        field = f"description_{lang}"
    elif error.code == "choice_invalid" and error.params.get("field") in form.fields:
        field = error.params["field"]
    if field == "rrule" and form.data.get("repeat") != "advanced":
        field = "repeat"
    if field not in form.fields:
        field = None
    form.add_error(field, message_for(error.code))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices,
                             help_text=_("Regular: repeats. Project: a fixed series people join "
                                         "as a whole. One-off: a single date."))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    language_needed = forms.ChoiceField(label=_("Language needed"),
                                        choices=Activity.LanguageNeeded.choices)
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages spoken at it"), choices=Language.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter = forms.BooleanField(label=_("Someone interprets"), required=False)
    cost = forms.ChoiceField(label=_("Cost"), choices=Activity.Cost.choices, widget=forms.RadioSelect)
    price = forms.DecimalField(
        label=_("Price in euros"), required=False, min_value=Decimal(0), max_value=Decimal(10000),
        max_digits=7, decimal_places=2, help_text=_("Only for a fixed price."),
    )
    audience = forms.ChoiceField(label=_("Who can come"), choices=Activity.Audience.choices,
                                 widget=forms.RadioSelect)
    status = forms.ChoiceField(label=_("Visibility"), choices=Activity.Status.choices,
                               help_text=_("A draft is only visible to coordinators and organisers."))
    organisers = forms.ModelMultipleChoiceField(
        label=_("Organisers"), queryset=Person.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("A newcomer and someone who has lived here longer, together, works best."),
    )
    room = forms.CharField(label=_("Room or place"), max_length=ROOM_MAX, required=False)
    capacity = forms.IntegerField(
        label=_("Number of places"), required=False, min_value=1, max_value=10000,
        help_text=_("Leave empty when there is no limit."),
    )
    start_date = forms.DateField(label=_("Date of the first session"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Start time"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=DURATION_RANGE[0], max_value=DURATION_RANGE[1],
        initial=120,
    )
    # Repeat builder (regular activities)
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEAT_CHOICES, initial="weekly",
                               required=False)
    interval = forms.IntegerField(label=_("Every how many weeks or months"), min_value=1,
                                  max_value=recurrence.MAX_INTERVAL, initial=1, required=False)
    weekdays = forms.MultipleChoiceField(
        label=_("On"), choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("For every week. Nothing ticked: the weekday of the first session."),
    )
    month_week = forms.ChoiceField(
        label=_("Which one in the month"), choices=MONTH_WEEK_CHOICES, required=False, initial="1",
        help_text=_("For every month: e.g. the first Tuesday (the weekday of the first session)."),
    )
    ends = forms.ChoiceField(label=_("Ends"), choices=ENDS_CHOICES, initial="never", required=False,
                             widget=forms.RadioSelect)
    until = forms.DateField(label=_("Last date"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    count = forms.IntegerField(label=_("Number of sessions"), required=False, min_value=1,
                               max_value=1000)
    rrule = forms.CharField(
        label=_("Repeat rule (RFC 5545 RRULE)"), required=False, max_length=recurrence.MAX_RULE_LENGTH,
        help_text=_("For example FREQ=WEEKLY;BYDAY=TU;COUNT=10. Daily, weekly or monthly only."),
    )
    # Projects
    planned_sessions = forms.IntegerField(
        label=_("Number of sessions"), min_value=1, max_value=PROJECT_SESSIONS_MAX,
        initial=PROJECT_SESSIONS_DEFAULT, required=False,
        help_text=_("Weekly, from the first session. People join the whole series."),
    )
    team_size = forms.IntegerField(label=_("Team size"), min_value=TEAM_SIZE_RANGE[0],
                                   max_value=TEAM_SIZE_RANGE[1], required=False, initial=8)

    def __init__(self, *args, initiative, activity: Activity | None = None, **kwargs):
        self.initiative = initiative
        self.activity = activity
        self.languages = content_languages(initiative)
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(activity)
        super().__init__(*args, **kwargs)
        for lang in self.languages:
            name = LANGUAGE_LABELS.get(lang, lang)
            self.fields[f"title_{lang}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, required=False,
                max_length=TITLE_MAX, widget=forms.TextInput(attrs={"lang": lang, "dir": "auto"}),
            )
            self.fields[f"description_{lang}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name}, required=False,
                max_length=DESCRIPTION_MAX,
                widget=forms.Textarea(attrs={"lang": lang, "dir": "auto", "rows": 4}),
            )
            self.fields[f"common_goal_{lang}"] = forms.CharField(
                label=_("Common goal (%(language)s)") % {"language": name}, required=False,
                max_length=GOAL_MAX,
                widget=forms.Textarea(attrs={"lang": lang, "dir": "auto", "rows": 2}),
            )
        self.fields["organisers"].queryset = Person.objects.filter(
            initiative=initiative, anonymised_at__isnull=True
        ).order_by("display_name", "id")
        self.fields["organisers"].label_from_instance = lambda person: person.display_name
        if not self.is_bound and activity is None:
            self.initial.setdefault("kind", Activity.Kind.REGULAR)
            self.initial.setdefault("cost", Activity.Cost.FREE)
            self.initial.setdefault("audience", Activity.Audience.OPEN)
            self.initial.setdefault("status", Activity.Status.PUBLISHED)
            self.initial.setdefault("language_needed", Activity.LanguageNeeded.NONE)
            self.initial.setdefault("format", Format.OTHER)

    # Groups of fields for the template, one per language.
    def language_rows(self):
        return [
            {"lang": lang, "title": self[f"title_{lang}"], "description": self[f"description_{lang}"]}
            for lang in self.languages
        ]

    def goal_fields(self):
        return [self[f"common_goal_{lang}"] for lang in self.languages]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        titles = {lang: data.get(f"title_{lang}", "") for lang in self.languages}
        if not any(t.strip() for t in titles.values()):
            self.add_error(f"title_{self.languages[0]}", message_for("title_required"))
        if data.get("cost") == Activity.Cost.AMOUNT and data.get("price") is None:
            self.add_error("price", message_for("price_required"))
        kind = data.get("kind")
        if kind == Activity.Kind.REGULAR:
            repeat = data.get("repeat") or "weekly"
            if repeat == "advanced":
                if not (data.get("rrule") or "").strip():
                    self.add_error("rrule", message_for("rule_invalid"))
            else:
                ends = data.get("ends") or "never"
                if ends == "until" and not data.get("until"):
                    self.add_error("until", _("Choose the last date."))
                if ends == "count" and not data.get("count"):
                    self.add_error("count", _("Give the number of sessions."))
        return data

    def service_kwargs(self) -> dict:
        """The cleaned form as keyword arguments for create_activity / update_activity."""
        data = self.cleaned_data
        tz = recurrence.zone(self.initiative.time_zone)
        start = dt.datetime.combine(data["start_date"], data["start_time"]).replace(second=0)
        first_start = recurrence.from_local_naive(start, tz)
        price = data.get("price")
        kind = data["kind"]
        return {
            "title": {lang: data.get(f"title_{lang}", "") for lang in self.languages},
            "description": {lang: data.get(f"description_{lang}", "") for lang in self.languages},
            "common_goal": {lang: data.get(f"common_goal_{lang}", "") for lang in self.languages}
            if kind == Activity.Kind.PROJECT else {},
            "kind": kind,
            "format": data["format"],
            "language_needed": data["language_needed"],
            "languages_spoken": data.get("languages_spoken") or [],
            "interpreter": data.get("interpreter", False),
            "cost": data["cost"],
            "cost_cents": int(price * 100) if price is not None else None,
            "audience": data["audience"],
            "status": data["status"],
            "organisers": list(data.get("organisers") or []),
            "room": data.get("room", ""),
            "capacity": data.get("capacity"),
            "first_start": first_start,
            "duration_minutes": data["duration_minutes"],
            "rrule": self._rule(kind, data),
            "planned_sessions": data.get("planned_sessions") if kind == Activity.Kind.PROJECT else None,
            "team_size": data.get("team_size") if kind == Activity.Kind.PROJECT else None,
        }

    def _rule(self, kind: str, data: dict) -> str:
        if kind != Activity.Kind.REGULAR:
            return ""
        repeat = data.get("repeat") or "weekly"
        if repeat == "advanced":
            return (data.get("rrule") or "").strip()
        ends = data.get("ends") or "never"
        return recurrence.build_rule(
            repeat=repeat, interval=data.get("interval") or 1, weekdays=data.get("weekdays") or [],
            month_week=int(data["month_week"]) if repeat == "monthly" and data.get("month_week") else None,
            weekday_of=data["start_date"],
            until=data.get("until") if ends == "until" else None,
            count=data.get("count") if ends == "count" else None,
        )


def initial_for(activity: Activity) -> dict:
    """The form's initial values for an existing activity (the builder when the rule fits it)."""
    tz = recurrence.zone(activity.initiative.time_zone)
    local = timezone.localtime(activity.first_start, tz)
    initial = {
        "kind": activity.kind, "format": activity.format,
        "language_needed": activity.language_needed,
        "languages_spoken": activity.languages_spoken, "interpreter": activity.interpreter,
        "cost": activity.cost,
        "price": Decimal(activity.cost_cents) / 100 if activity.cost_cents is not None else None,
        "audience": activity.audience, "status": activity.status,
        "organisers": list(activity.organisers.all()), "room": activity.room,
        "capacity": activity.capacity, "start_date": local.date(),
        "start_time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": activity.duration_minutes,
        "planned_sessions": activity.planned_sessions or PROJECT_SESSIONS_DEFAULT,
        "team_size": activity.team_size,
    }
    for field in ("title", "description", "common_goal"):
        for lang, text in (getattr(activity, field) or {}).items():
            initial[f"{field}_{lang}"] = text
    if activity.kind == Activity.Kind.REGULAR and activity.rrule:
        built = recurrence.describe_for_builder(activity.rrule)
        if built is None:
            initial.update({"repeat": "advanced", "rrule": activity.rrule})
        else:
            ends = "count" if built["count"] else "until" if built["until"] else "never"
            initial.update({
                "repeat": built["repeat"], "interval": built["interval"],
                "weekdays": built["weekdays"] if built["repeat"] == "weekly" else [],
                "month_week": str(built["month_week"]) if built["month_week"] else "1",
                "ends": ends, "until": built["until"], "count": built["count"],
                "rrule": activity.rrule,
            })
    return initial


class SessionMoveForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Start time"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("End time"),
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, initiative, session=None, **kwargs):
        self.initiative = initiative
        if session is not None and "initial" not in kwargs:
            tz = recurrence.zone(initiative.time_zone)
            start, end = timezone.localtime(session.start, tz), timezone.localtime(session.end, tz)
            kwargs["initial"] = {"date": start.date(), "start_time": start.time(),
                                 "end_time": end.time()}
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", message_for("end_before_start"))
        return data

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        tz = recurrence.zone(self.initiative.time_zone)
        day = self.cleaned_data["date"]
        start = dt.datetime.combine(day, self.cleaned_data["start_time"]).replace(second=0)
        end = dt.datetime.combine(day, self.cleaned_data["end_time"]).replace(second=0)
        return recurrence.from_local_naive(start, tz), recurrence.from_local_naive(end, tz)
