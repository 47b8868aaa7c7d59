"""Staff pages for activities: permissions, the form with good and hostile input, sessions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import make_user, person_of
from verbinding.activities import services
from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import Registration

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FIRST = dt.datetime(2026, 3, 3, 18, 0, tzinfo=dt.UTC)
SLUG = "voorkamer"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def url(name, slug=SLUG, **kwargs):
    return reverse(f"activities:{name}", kwargs={"initiative_slug": slug, **kwargs})


def make_activity(initiative, by, **fields):
    values = {"title": {"nl": "Taalcafé", "en": "Language café"}, "first_start": FIRST,
              "rrule": "FREQ=WEEKLY;COUNT=4", **fields}
    return services.create_activity(initiative=initiative, by=by, **values)


def form_data(**overrides):
    data = {
        "title_nl": "Koffie en spelletjes", "title_en": "", "title_ar": "",
        "description_nl": "", "kind": "regular", "format": "coffee_games",
        "language_needed": "none", "cost": "free", "price": "", "audience": "open",
        "status": "published", "room": "Grote zaal", "capacity": "20",
        "start_date": "2026-03-03", "start_time": "19:00", "duration_minutes": "120",
        "repeat": "weekly", "interval": "1", "weekdays": ["TU"], "ends": "count", "count": "5",
        "until": "", "rrule": "", "planned_sessions": "6", "team_size": "",
    }
    data.update(overrides)
    return data


# --- Permissions -----------------------------------------------------------------------------

def all_urls(activity, session):
    return [
        ("get", url("manage-list")), ("get", url("manage-create")),
        ("get", url("manage-edit", pk=activity.pk)), ("get", url("manage-sessions", pk=activity.pk)),
        ("post", url("session-cancel", pk=session.pk)), ("get", url("session-move", pk=session.pk)),
    ]


def test_anonymous_visitors_are_sent_to_login(client, initiative, coordinator):
    activity = make_activity(initiative, coordinator)
    for method, target in all_urls(activity, activity.sessions.first()):
        response = getattr(client, method)(target)
        assert response.status_code == 302, target
        assert "/login" in response["Location"]


@pytest.mark.parametrize("persona", ["newcomer", "host", "kiosk", "partner"])
def test_people_without_a_managing_role_are_refused(client, initiative, coordinator, persona,
                                                    request):
    activity = make_activity(initiative, coordinator)
    session = activity.sessions.first()
    client.force_login(request.getfixturevalue(persona))
    for method, target in all_urls(activity, session):
        assert getattr(client, method)(target).status_code == 403, target
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


def test_an_organiser_may_not_manage_an_activity_they_do_not_organise(client, initiative,
                                                                      coordinator, organiser):
    activity = make_activity(initiative, coordinator)
    session = activity.sessions.first()
    client.force_login(organiser)
    assert client.get(url("manage-list")).status_code == 200
    for method, target in all_urls(activity, session)[2:]:
        assert getattr(client, method)(target).status_code == 403, target
    assert client.post(url("manage-edit", pk=activity.pk), form_data()).status_code == 403
    assert Activity.objects.get().title["nl"] == "Taalcafé"


def test_an_organiser_manages_the_activities_they_organise(client, initiative, coordinator,
                                                           organiser):
    mine = make_activity(initiative, coordinator, organisers=[person_of(organiser, initiative)],
                         title={"nl": "Mijn café"})
    make_activity(initiative, coordinator, title={"nl": "Iets anders"})
    client.force_login(organiser)
    page = client.get(url("manage-list")).content.decode()
    assert "Mijn café" in page and "Iets anders" not in page
    assert client.get(url("manage-sessions", pk=mine.pk)).status_code == 200
    response = client.post(url("manage-edit", pk=mine.pk), form_data(title_nl="Ons café"))
    assert response.status_code == 302
    assert Activity.objects.get(pk=mine.pk).title["nl"] == "Ons café"


def test_another_initiatives_activity_and_session_are_not_found(client, initiative, coordinator,
                                                                outsider, other_initiative):
    activity = make_activity(initiative, coordinator)
    session = activity.sessions.first()
    client.force_login(outsider)
    for method, target in all_urls(activity, session)[2:]:
        target = target.replace(f"/{SLUG}/", "/huiskamer/")
        assert getattr(client, method)(target).status_code == 404, target
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


# --- Creating ----------------------------------------------------------------------------------

def test_a_coordinator_creates_a_weekly_activity_and_sees_its_sessions(client, initiative,
                                                                      coordinator, newcomer, local):
    client.force_login(coordinator)
    organisers = [person_of(newcomer, initiative).pk, person_of(local, initiative).pk]
    response = client.post(url("manage-create"), form_data(organisers=organisers), follow=True)
    activity = Activity.objects.get()
    assert response.redirect_chain[-1][0] == url("manage-sessions", pk=activity.pk)
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=TU;COUNT=5"
    assert activity.sessions.count() == 5
    assert response.content.decode().count('id="session-') == 5
    assert activity.organisers.count() == 2


def test_an_advanced_rule_is_used_as_typed(client, initiative, coordinator):
    client.force_login(coordinator)
    data = form_data(repeat="advanced", rrule="FREQ=MONTHLY;BYDAY=1TU;COUNT=3")
    assert client.post(url("manage-create"), data).status_code == 302
    assert Activity.objects.get().sessions.count() == 3


def test_a_project_gets_its_weekly_series_from_the_form(client, initiative, coordinator):
    client.force_login(coordinator)
    data = form_data(kind="project", planned_sessions="7", team_size="8",
                     common_goal_nl="Een moestuin")
    assert client.post(url("manage-create"), data).status_code == 302
    project = Activity.objects.get()
    assert (project.planned_sessions, project.team_size, project.sessions.count()) == (7, 8, 7)
    assert project.common_goal == {"nl": "Een moestuin"}


def test_a_price_in_euros_is_stored_in_cents(client, initiative, coordinator):
    client.force_login(coordinator)
    assert client.post(url("manage-create"), form_data(cost="amount", price="3.50")).status_code == 302
    assert Activity.objects.get().cost_cents == 350


def test_an_organiser_who_creates_an_activity_organises_it(client, initiative, organiser):
    client.force_login(organiser)
    assert client.post(url("manage-create"), form_data()).status_code == 302
    assert list(Activity.objects.get().organisers.all()) == [person_of(organiser, initiative)]


@pytest.mark.parametrize(("overrides", "field", "snippet"), [
    ({"capacity": "-5"}, "capacity", "1"),
    ({"title_nl": "x" * 10_000}, "title_nl", "200"),
    ({"title_nl": ""}, "title_nl", "at least one language"),
    ({"description_en": "y" * 6000}, "description_en", "5000"),
    ({"duration_minutes": "0"}, "duration_minutes", "5"),
    ({"duration_minutes": "abc"}, "duration_minutes", ""),
    ({"cost": "amount", "price": ""}, "price", "price"),
    ({"cost": "amount", "price": "-2"}, "price", "0"),
    ({"repeat": "advanced", "rrule": "FREQ=SECONDLY"}, "rrule", "daily, weekly or monthly"),
    ({"repeat": "advanced", "rrule": "FREQ=DAILY"}, None, None),  # open-ended: allowed
    ({"repeat": "advanced", "rrule": "FREQ=DAILY;COUNT=100000"}, "rrule", "too many"),
    ({"repeat": "advanced", "rrule": "nonsense" * 100}, "rrule", ""),
    ({"ends": "until", "until": ""}, "until", ""),
    ({"start_date": "2026-02-31"}, "start_date", ""),
    ({"kind": "weekly"}, "kind", ""),
    ({"organisers": ["999999"]}, "organisers", ""),
    ({"languages_spoken": ["klingon"]}, "languages_spoken", ""),
    ({"planned_sessions": "50", "kind": "project"}, "planned_sessions", "20"),
])
def test_bad_input_shows_a_clear_error_and_writes_nothing(client, initiative, coordinator,
                                                          overrides, field, snippet):
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "en"  # the snippets are the English source texts
    response = client.post(url("manage-create"), form_data(**overrides))
    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert snippet in " ".join(errors[field])
    assert not Activity.objects.exists()
    assert not Session.objects.exists()


def test_errors_are_translated(client, initiative, coordinator):
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "nl"
    response = client.post(url("manage-create"), form_data(title_nl=""),
                           HTTP_ACCEPT_LANGUAGE="nl")
    errors = " ".join(response.context["form"].errors["title_nl"])
    assert "Give the activity a title" not in errors


def test_hostile_titles_are_rendered_escaped(client, initiative, coordinator):
    client.force_login(coordinator)
    hostile = "<script>alert(1)</script>\u202eevil"
    assert client.post(url("manage-create"), form_data(title_nl=hostile)).status_code == 302
    activity = Activity.objects.get()
    for target in (url("manage-list"), url("manage-sessions", pk=activity.pk),
                   url("manage-edit", pk=activity.pk)):
        page = client.get(target).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    listing = client.get(url("manage-list")).content.decode()
    assert "<bdi lang=\"nl\">&lt;script&gt;alert(1)&lt;/script&gt;\u202eevil</bdi>" in listing


# --- Editing ---------------------------------------------------------------------------------

def test_the_edit_form_shows_the_builder_filled_from_the_rule(client, initiative, coordinator):
    activity = make_activity(initiative, coordinator, rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4")
    client.force_login(coordinator)
    form = client.get(url("manage-edit", pk=activity.pk)).context["form"]
    assert form.initial["repeat"] == "weekly"
    assert form.initial["interval"] == 2 and form.initial["count"] == 4
    assert form.initial["start_time"].strftime("%H:%M") == "19:00"


def test_editing_without_changes_keeps_every_session(client, initiative, coordinator):
    activity = make_activity(initiative, coordinator, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=4")
    before = set(activity.sessions.values_list("pk", flat=True))
    client.force_login(coordinator)
    form = client.get(url("manage-edit", pk=activity.pk)).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    data["start_time"] = "19:00"
    response = client.post(url("manage-edit", pk=activity.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(activity.sessions.values_list("pk", flat=True)) == before


def test_the_mix_hint_shows_for_organisers_of_one_group_without_naming_it(
        client, initiative, coordinator, newcomer):
    other = make_user(initiative, "sara", "member", display_name="Sara", group="newcomer")
    activity = make_activity(initiative, coordinator, organisers=[
        person_of(newcomer, initiative), person_of(other, initiative)])
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "en"
    page = client.get(url("manage-sessions", pk=activity.pk)).content.decode()
    assert "brings people together best" in page
    assert "newcomer" not in page.lower().replace("i-people", "")


def test_the_mix_hint_is_absent_for_a_mixed_pair(client, initiative, coordinator, newcomer, local):
    activity = make_activity(initiative, coordinator, organisers=[
        person_of(newcomer, initiative), person_of(local, initiative)])
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "en"
    page = client.get(url("manage-sessions", pk=activity.pk)).content.decode()
    assert "brings people together best" not in page


# --- Sessions ---------------------------------------------------------------------------------

def test_cancelling_a_session_keeps_it_cancelled(client, initiative, coordinator):
    activity = make_activity(initiative, coordinator)
    session = activity.sessions.first()
    client.force_login(coordinator)
    assert client.get(url("session-cancel", pk=session.pk)).status_code == 405
    assert client.post(url("session-cancel", pk=session.pk)).status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    services.materialise_sessions(activity=activity)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_moving_a_session_to_another_evening(client, initiative, coordinator):
    session = make_activity(initiative, coordinator).sessions.order_by("start").first()
    client.force_login(coordinator)
    page = client.get(url("session-move", pk=session.pk))
    assert page.status_code == 200
    response = client.post(url("session-move", pk=session.pk),
                           {"date": "2026-03-05", "start_time": "18:30", "end_time": "20:00"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.moved
    assert session.start == dt.datetime(2026, 3, 5, 17, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("data", [
    {"date": "2026-03-05", "start_time": "20:00", "end_time": "19:00"},
    {"date": "2026-03-05", "start_time": "20:00", "end_time": "20:00"},
    {"date": "not a date", "start_time": "20:00", "end_time": "21:00"},
    {"date": "2026-03-05", "start_time": "", "end_time": "21:00"},
    {"date": "2026-03-05" * 1000, "start_time": "20:00", "end_time": "21:00"},
])
def test_moving_with_bad_times_shows_an_error_and_changes_nothing(client, initiative, coordinator,
                                                                  data):
    session = make_activity(initiative, coordinator).sessions.first()
    client.force_login(coordinator)
    response = client.post(url("session-move", pk=session.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    session.refresh_from_db()
    assert not session.moved


def test_the_sessions_page_counts_sign_ups(client, initiative, coordinator, newcomer, local):
    activity = make_activity(initiative, coordinator, capacity=10)
    session = activity.sessions.order_by("start").first()
    for user in (newcomer, local):
        Registration.objects.create(initiative=initiative, activity=activity, session=session,
                                    person=person_of(user, initiative))
    client.force_login(coordinator)
    page = client.get(url("manage-sessions", pk=activity.pk)).content.decode()
    row = page.split(f'id="session-{session.pk}"')[1].split('id="session-')[0]
    assert "2&nbsp;/&nbsp;10" in row


def test_the_activity_list_uses_a_bounded_number_of_queries(client, initiative, coordinator,
                                                            django_assert_max_num_queries):
    client.force_login(coordinator)
    make_activity(initiative, coordinator)
    with django_assert_max_num_queries(12) as few:
        client.get(url("manage-list"))
    for i in range(8):
        make_activity(initiative, coordinator, title={"nl": f"Activiteit {i}"},
                      organisers=[person_of(coordinator, initiative)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("manage-list"))
    assert response.content.decode().count('class="card"') == 9


def test_the_sessions_page_uses_a_bounded_number_of_queries(client, initiative, coordinator,
                                                            django_assert_max_num_queries):
    activity = make_activity(initiative, coordinator, rrule="FREQ=WEEKLY;COUNT=30")
    client.force_login(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(url("manage-sessions", pk=activity.pk))
    assert response.content.decode().count('id="session-') == 30
