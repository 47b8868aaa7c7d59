"""The coordinator's funnel page and a member's own path: content, audit, privacy, permissions."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user, person_of
from tests.factories import ActivityFactory, SessionFactory
from tests.volunteers.conftest import past_session, visit
from verbinding.accounts.models import Role
from verbinding.core.models import AuditEntry
from verbinding.people.models import Person, SelfDescription

pytestmark = pytest.mark.django_db


def funnel_url(initiative):
    return reverse("volunteers:funnel", kwargs={"initiative_slug": initiative.slug})


def my_path_url(initiative):
    return reverse("volunteers:my-path", kwargs={"initiative_slug": initiative.slug})


def member(initiative, name, *, group=None, talents=(), roles=("member",), gender=None):
    user = make_user(initiative, name.lower(), *roles, display_name=name, group=group, gender=gender)
    person = person_of(user, initiative)
    if talents:
        person.talents = list(talents)
        person.save(update_fields=["talents"])
    return person


def upcoming(initiative, *, fmt="coffee_games", organisers=(), **kwargs):
    start = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    activity = ActivityFactory(initiative=initiative, first_start=start, format=fmt,
                               title={"nl": f"Avond {fmt}", "en": f"Evening {fmt}"}, **kwargs)
    activity.organisers.set(organisers)
    SessionFactory(activity=activity, start=start)
    return activity


def test_the_coordinator_sees_the_funnel_and_a_regular_whose_talent_fits_an_open_need(
    client, initiative, coordinator
):
    regular = member(initiative, "Samir", talents=["games"])
    visit(regular, days_ago=20)
    visit(regular, days_ago=6)
    once = member(initiative, "Lotte")
    visit(once, days_ago=3)
    need = upcoming(initiative, fmt="coffee_games")
    client.force_login(coordinator)
    response = client.get(funnel_url(initiative))
    assert response.status_code == 200
    html = response.content.decode()
    detail = reverse("people:manage-detail", kwargs={"initiative_slug": initiative.slug, "pk": regular.pk})
    assert detail in html
    assert "Samir" in html and "Lotte" in html
    assert need.title_text() in html
    funnel = {row.stage.key: row.reached for row in response.context["page"].funnel}
    # Samir: returning; Lotte: first visit; the coordinator: volunteer (never checked in).
    assert funnel == {"first_visit": 3, "returning": 2, "organised_once": 1, "volunteer": 1,
                      "recurring": 0}
    # Bars are SVG, and the numbers are in a table too.
    assert html.count('class="vp-bar-fill') == 5
    assert "<table" in html and "<caption" in html


def test_every_person_named_on_the_page_gets_one_audit_row(client, initiative, coordinator):
    regular = member(initiative, "Samir", talents=["games"])
    visit(regular, days_ago=20)
    visit(regular, days_ago=6)
    newcomer = member(initiative, "Lotte")
    visit(newcomer, days_ago=3)
    upcoming(initiative)
    client.force_login(coordinator)
    client.get(funnel_url(initiative))
    rows = AuditEntry.objects.filter(initiative=initiative, view="volunteers:funnel")
    assert sorted(rows.values_list("subject_person_id", flat=True)) == sorted([regular.pk, newcomer.pk])
    assert set(rows.values_list("action", flat=True)) == {AuditEntry.Action.PROFILE_VIEW}
    assert set(rows.values_list("actor_id", flat=True)) == {coordinator.pk}


def test_dates_older_than_the_history_window_are_not_shown_for_a_person(
    client, initiative, coordinator, settings
):
    settings.VERBINDING_HISTORY_MONTHS = 12
    old_hand = member(initiative, "Karin", talents=["games"])
    first = visit(old_hand, days_ago=500)
    visit(old_hand, days_ago=10)
    upcoming(initiative)
    client.force_login(coordinator)
    html = client.get(funnel_url(initiative)).content.decode()
    assert "Karin" in html
    local = timezone.localtime(first.at, zoneinfo.ZoneInfo(initiative.time_zone))
    assert f'datetime="{local.date().isoformat()}T' not in html
    assert "longer ago" in html
    # The aggregate still counts her (first visit, came back).
    page = client.get(funnel_url(initiative)).context["page"]
    assert {row.stage.key: row.here for row in page.funnel}["returning"] == 1


def test_the_balance_shows_too_few_to_show_below_five_declared_people(client, initiative, coordinator):
    for i in range(4):
        person = member(initiative, f"Nieuw{i}", group="newcomer")
        visit(person, days_ago=5)
    client.force_login(coordinator)
    response = client.get(funnel_url(initiative))
    html = response.content.decode()
    row = re.search(r'<tr class="vp-balance-visitors">.*?</tr>', html, re.S).group(0)
    assert "too few to show" in row
    assert ">4<" in row                   # the total is not a split
    assert response.context["page"].balance.visitors.newcomer == 4


def test_the_balance_is_shown_and_warns_when_newcomers_are_rare_among_volunteers(
    client, initiative, coordinator
):
    # Visitors: 10 newcomers, 5 locals (67 % newcomers). Volunteers: 5 locals (0 %).
    for i in range(10):
        visit(member(initiative, f"Nieuw{i}", group="newcomer"), days_ago=5)
    for i in range(5):
        visit(member(initiative, f"Lokaal{i}", group="local", roles=("member", "volunteer")), days_ago=5)
    client.force_login(coordinator)
    response = client.get(funnel_url(initiative))
    html = response.content.decode()
    visitors = re.search(r'<tr class="vp-balance-visitors">.*?</tr>', html, re.S).group(0)
    assert "67%" in visitors and "too few" not in visitors
    volunteers = re.search(r'<tr class="vp-balance-volunteers">.*?</tr>', html, re.S).group(0)
    assert "0%" in volunteers
    assert "vp-warning" in html and "dependency" in html


def test_no_warning_when_volunteers_mirror_the_visitors(client, initiative, coordinator):
    for i in range(5):
        visit(member(initiative, f"Nieuw{i}", group="newcomer", roles=("member", "volunteer")), days_ago=5)
        visit(member(initiative, f"Lokaal{i}", group="local", roles=("member", "volunteer")), days_ago=5)
    client.force_login(coordinator)
    html = client.get(funnel_url(initiative)).content.decode()
    assert "vp-warning" not in html


def test_group_is_never_shown_per_person(client, initiative, coordinator):
    regular = member(initiative, "Samir", talents=["games"], group="newcomer")
    visit(regular, days_ago=20)
    visit(regular, days_ago=6)
    upcoming(initiative)
    client.force_login(coordinator)
    html = client.get(funnel_url(initiative)).content.decode()
    card = re.search(r'<li class="card vp-person">.*?</li>\s*</ul>', html, re.S).group(0)
    assert "Samir" in card
    for word in ("newcomer", "Newcomer", "New in the Netherlands", "local"):
        assert word not in card


def test_other_initiatives_people_and_activities_never_appear(client, initiative, coordinator,
                                                             other_initiative):
    stranger = member(other_initiative, "Vreemd", talents=["games"])
    visit(stranger, days_ago=20)
    visit(stranger, days_ago=6)
    upcoming(other_initiative, fmt="coffee_games")
    client.force_login(coordinator)
    response = client.get(funnel_url(initiative))
    assert "Vreemd" not in response.content.decode()
    assert response.context["page"].people_count == 1   # only the coordinator
    assert response.context["page"].needs == ()


@pytest.mark.parametrize("query", [
    "?stage=<script>alert(1)</script>", "?person=1%27%20OR%201=1--", "?x=%E2%80%AE%00",
    "?" + "a=" + "x" * 100_000,
])
def test_hostile_query_parameters_are_ignored(client, initiative, coordinator, query):
    client.force_login(coordinator)
    response = client.get(funnel_url(initiative) + query)
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


@pytest.mark.parametrize("persona", ["organiser", "host", "newcomer", "kiosk", "partner"])
def test_only_coordinators_see_the_funnel(client, initiative, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(funnel_url(initiative)).status_code == 403
    assert not AuditEntry.objects.filter(view="volunteers:funnel").exists()


def test_anonymous_visitors_are_sent_to_login(client, initiative):
    for url in (funnel_url(initiative), my_path_url(initiative)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_coordinator_of_another_initiative_is_refused(client, initiative, outsider):
    client.force_login(outsider)
    assert client.get(funnel_url(initiative)).status_code == 403


def test_the_funnel_refuses_post(client, initiative, coordinator):
    client.force_login(coordinator)
    assert client.post(funnel_url(initiative)).status_code == 405


def test_the_page_needs_a_fixed_number_of_queries_however_many_people(client, initiative, coordinator):
    def build(n):
        for i in range(n):
            person = member(initiative, f"P{n}x{i}", talents=["games"], group="newcomer")
            visit(person, days_ago=20 + i)
            visit(person, days_ago=3 + i)
        upcoming(initiative)

    client.force_login(coordinator)
    build(2)
    with CaptureQueriesContext(connection) as small:
        client.get(funnel_url(initiative))
    build(8)
    with CaptureQueriesContext(connection) as large:
        client.get(funnel_url(initiative))
    reads = [q for q in small.captured_queries if not q["sql"].startswith("INSERT")]
    reads_large = [q for q in large.captured_queries if not q["sql"].startswith("INSERT")]
    assert len(reads) == len(reads_large)
    assert len(reads_large) <= 15


# --- A member's own path ---------------------------------------------------------------------


def test_a_member_sees_their_own_stages_dates_and_a_next_step(client, initiative, newcomer):
    person = person_of(newcomer, initiative)
    first = visit(person, days_ago=20)
    visit(person, days_ago=6)
    client.force_login(newcomer)
    response = client.get(my_path_url(initiative))
    assert response.status_code == 200
    html = response.content.decode()
    # The page shows the place's local date: after 23:00 UTC that is already tomorrow in
    # Amsterdam (the fresh-clone run at 23:58 UTC failed on the UTC date).
    local = timezone.localtime(first.at, zoneinfo.ZoneInfo(initiative.time_zone))
    assert f'datetime="{local.date().isoformat()}T' in html
    assert "you are here" in html
    assert "coffee night" in html    # the returning member's suggestion


def test_a_member_who_never_visited_is_invited_to_come_by(client, initiative, local):
    client.force_login(local)
    html = client.get(my_path_url(initiative)).content.decode()
    assert "first visit is the start" in html
    assert "you are here" not in html


def test_my_path_shows_only_my_own_data(client, initiative, newcomer, local):
    other = person_of(local, initiative)
    visit(other, days_ago=40)
    visit(other, days_ago=6)
    client.force_login(newcomer)
    response = client.get(my_path_url(initiative) + f"?person={other.pk}")
    assert response.context["path"].person_id == person_of(newcomer, initiative).pk
    assert response.context["path"].stage is None


@pytest.mark.parametrize("persona", ["kiosk", "partner"])
def test_kiosk_and_partner_have_no_path(client, initiative, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(my_path_url(initiative)).status_code == 403


def test_a_coordinators_volunteer_date_is_the_earliest_role_grant(initiative, coordinator):
    from verbinding.volunteers.selectors import get_person_path

    early = timezone.now() - dt.timedelta(days=400)
    Role.objects.filter(user=coordinator, initiative=initiative, name="coordinator").update(granted_at=early)
    path = get_person_path(person=person_of(coordinator, initiative))
    assert path.dates == {path.stage: early}
    assert path.stage.key == "volunteer"


def test_organised_counts_only_sessions_that_took_place(initiative):
    from verbinding.volunteers.selectors import get_person_path

    person = Person.objects.create(initiative=initiative, display_name="Org")
    activity = ActivityFactory(initiative=initiative, first_start=timezone.now() - dt.timedelta(days=70))
    activity.organisers.add(person)
    cancelled = past_session(initiative, days_ago=70, activity=activity)
    cancelled.status = "cancelled"
    cancelled.save()
    future = SessionFactory(activity=activity, start=timezone.now() + dt.timedelta(days=3), occurrence=None)
    assert get_person_path(person=person).stage is None
    held = past_session(initiative, days_ago=10, activity=activity)
    path = get_person_path(person=person)
    assert path.stage.key == "organised_once"
    assert path.dates[path.stage] == held.start
    assert future.start not in path.dates.values()
    # Drafts do not count: nothing took place publicly.
    activity.status = "draft"
    activity.save()
    assert get_person_path(person=person).stage is None


def test_groups_come_only_from_consented_self_descriptions(initiative):
    from verbinding.volunteers.selectors import self_descriptions

    person = Person.objects.create(initiative=initiative, display_name="Zonder")
    groups, women = self_descriptions(initiative=initiative)
    assert person.pk not in groups
    SelfDescription.objects.create(person=person, group="newcomer", gender="woman",
                                   consented_at=timezone.now())
    groups, women = self_descriptions(initiative=initiative)
    assert groups[person.pk] == "newcomer" and person.pk in women


def test_the_page_speaks_dutch_and_arabic(client, initiative, coordinator):
    for i in range(3):
        visit(member(initiative, f"Nieuw{i}", group="newcomer"), days_ago=5)
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "nl"
    html = client.get(funnel_url(initiative)).content.decode()
    assert "Vrijwilligerspad" in html and "te weinig om te tonen" in html
    client.cookies["verbinding_language"] = "ar"
    html = client.get(funnel_url(initiative)).content.decode()
    assert 'dir="rtl"' in html and "مسار التطوّع" in html and "العدد أقل من أن يُعرض" in html
