"""The coordinator's people views: who may open them, the audit trail, roles and partners."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import make_user, person_of
from tests.factories import SessionFactory
from verbinding.accounts.models import Role, User
from verbinding.attendance.models import Registration
from verbinding.core.models import AuditEntry
from verbinding.people.models import PartnerOrganisation


def url(name, **kwargs):
    return reverse(name, kwargs={"initiative_slug": "voorkamer", **kwargs})


MANAGE_GET = ["people:manage-list", "people:manage-detail", "people:partners", "people:audit",
              "people:kiosk-create"]
MANAGE_POST = ["people:manage-roles", "people:partner-toggle", "people:partners",
               "people:kiosk-create"]


def manage_url(name, person, partner):
    if name in ("people:manage-detail", "people:manage-roles"):
        return url(name, pk=person.pk)
    if name == "people:partner-toggle":
        return url(name, pk=partner.pk)
    return url(name)


@pytest.fixture
def partner_org(initiative):
    return PartnerOrganisation.objects.create(initiative=initiative, name="COA")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["organiser", "host", "kiosk", "partner", "newcomer",
                                     "outsider"])
@pytest.mark.parametrize("name", sorted(set(MANAGE_GET + MANAGE_POST)))
def test_manage_views_refuse_everyone_but_a_coordinator(client, request, persona, name, local,
                                                         partner_org):
    target = person_of(local, local.roles.first().initiative)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    address = manage_url(name, target, partner_org)
    method = client.post if name in MANAGE_POST and name not in MANAGE_GET else client.get
    assert method(address, {"roles": ["coordinator"], "name": "X", "kind": "other",
                            "username": "x1", "password": "a-long-passphrase"}).status_code == 403
    if name in MANAGE_GET and name in MANAGE_POST:
        assert client.post(address, {"name": "X", "kind": "other", "username": "x1",
                                     "password": "a-long-passphrase"}).status_code == 403
    assert not AuditEntry.objects.filter(action__in=["profile_view", "role_change"]).exists()
    assert not Role.objects.filter(user=local, name="coordinator").exists()
    assert not PartnerOrganisation.objects.filter(name="X").exists()
    assert not User.objects.filter(username="x1").exists()
    partner_org.refresh_from_db()
    assert partner_org.active


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(MANAGE_GET + MANAGE_POST)))
def test_manage_views_send_anonymous_visitors_to_login(client, local, partner_org, name):
    address = manage_url(name, person_of(local, local.roles.first().initiative), partner_org)
    response = client.post(address) if name not in MANAGE_GET else client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:login"))


@pytest.mark.django_db
def test_a_coordinator_of_another_initiative_gets_404_for_this_ones_person_and_partner(
    client, local, partner_org, outsider
):
    client.force_login(outsider)
    target = person_of(local, local.roles.first().initiative)
    other = lambda name, **kw: reverse(name, kwargs={"initiative_slug": "huiskamer", **kw})  # noqa: E731
    assert client.get(other("people:manage-detail", pk=target.pk)).status_code == 404
    assert client.post(other("people:manage-roles", pk=target.pk),
                       {"roles": ["coordinator"]}).status_code == 404
    assert client.post(other("people:partner-toggle", pk=partner_org.pk)).status_code == 404
    assert not AuditEntry.objects.filter(action="profile_view").exists()


@pytest.mark.django_db
def test_person_list_shows_names_roles_and_languages_but_never_group_or_gender(
    client, coordinator, newcomer, local, django_assert_max_num_queries
):
    for i in range(30):
        make_user(local.roles.first().initiative, f"member{i}", "member", group="newcomer",
                  gender="woman")
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(url("people:manage-list"))
    page = response.content.decode()
    assert "أمل" in page and "Joost" in page and "Member29" in page
    assert "Coordinator" in page
    for word in ("newcomer", "New in the Netherlands", "Lived here longer", "Woman", "woman",
                 "gender", "Gender"):
        assert word not in page
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_person_list_searches_by_name(client, coordinator, newcomer, local):
    client.force_login(coordinator)
    page = client.get(url("people:manage-list"), {"q": "joo"}).content.decode()
    assert "Joost" in page and "أمل" not in page
    assert client.get(url("people:manage-list"), {"q": "x" * 10_000}).status_code == 200


@pytest.mark.django_db
def test_every_read_of_a_profile_writes_exactly_one_audit_row(client, initiative, coordinator,
                                                              newcomer):
    target = person_of(newcomer, initiative)
    client.force_login(coordinator)
    for expected in (1, 2):
        response = client.get(url("people:manage-detail", pk=target.pk))
        assert response.status_code == 200
        assert AuditEntry.objects.filter(action="profile_view").count() == expected
    entry = AuditEntry.objects.filter(action="profile_view").first()
    assert entry.actor == coordinator
    assert entry.subject_person_id == target.pk
    assert entry.initiative == initiative
    assert entry.view == "people:manage-detail"
    page = response.content.decode()
    assert "New in the Netherlands" in page  # team formation needs it, here only


@pytest.mark.django_db
def test_person_detail_hides_history_older_than_the_window(client, settings, initiative,
                                                           coordinator, newcomer):
    settings.VERBINDING_HISTORY_MONTHS = 12
    target = person_of(newcomer, initiative)
    old = SessionFactory(activity__initiative=initiative,
                         activity__title={"nl": "Oude fietsles", "en": "Old bike lesson"})
    new = SessionFactory(activity__initiative=initiative,
                         activity__title={"nl": "Nieuwe kookles", "en": "New cooking class"})
    with time_machine.travel(dt.datetime(2024, 1, 10, tzinfo=dt.UTC)):
        Registration.objects.create(initiative=initiative, activity=old.activity, session=old,
                                    person=target)
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC)):
        Registration.objects.create(initiative=initiative, activity=new.activity, session=new,
                                    person=target)
        client.force_login(coordinator)
        page = client.get(url("people:manage-detail", pk=target.pk)).content.decode()
    assert "New cooking class" in page
    assert "Old bike lesson" not in page and "Oude fietsles" not in page


@pytest.mark.django_db
def test_a_coordinator_grants_and_revokes_roles_and_each_change_is_audited(
    client, initiative, coordinator, local
):
    target = person_of(local, initiative)
    client.force_login(coordinator)
    client.post(url("people:manage-roles", pk=target.pk), {"roles": ["member", "organiser", "host"]})
    assert set(Role.objects.filter(user=local, initiative=initiative)
               .values_list("name", flat=True)) == {"member", "organiser", "host"}
    client.post(url("people:manage-roles", pk=target.pk), {"roles": ["member", "host"]})
    entries = AuditEntry.objects.filter(action="role_change").order_by("id")
    assert [(e.detail["role"], e.detail["change"]) for e in entries] == [
        ("host", "granted"), ("organiser", "granted"), ("organiser", "revoked")]
    assert all(e.actor == coordinator and e.subject_person_id == target.pk
               and e.initiative == initiative and e.view == "people:manage-roles"
               for e in entries)


@pytest.mark.django_db
def test_the_last_coordinator_cannot_be_removed(client, initiative, coordinator):
    me = person_of(coordinator, initiative)
    client.force_login(coordinator)
    response = client.post(url("people:manage-roles", pk=me.pk), {"roles": ["member"]}, follow=True)
    assert "at least one coordinator" in response.content.decode()
    assert Role.objects.filter(user=coordinator, name="coordinator").exists()
    assert not AuditEntry.objects.filter(action="role_change").exists()
    second = make_user(initiative, "zoe", "coordinator", "member")
    client.post(url("people:manage-roles", pk=me.pk), {"roles": ["member"]})
    assert not Role.objects.filter(user=coordinator, name="coordinator").exists()
    assert Role.objects.filter(user=second, name="coordinator").exists()


@pytest.mark.django_db
def test_roles_outside_the_list_are_refused(client, initiative, coordinator, local):
    client.force_login(coordinator)
    client.post(url("people:manage-roles", pk=person_of(local, initiative).pk),
                {"roles": ["member", "partner", "superuser"]})
    assert set(Role.objects.filter(user=local).values_list("name", flat=True)) == {"member"}


@pytest.mark.django_db
def test_a_coordinator_creates_a_kiosk_login_with_only_the_kiosk_role(client, initiative,
                                                                      coordinator):
    client.force_login(coordinator)
    response = client.post(url("people:kiosk-create"),
                           {"username": "deur-tablet", "password": "a-long-passphrase"})
    assert response.status_code == 302
    user = User.objects.get(username="deur-tablet")
    assert list(Role.objects.filter(user=user).values_list("name", flat=True)) == ["kiosk"]
    assert not user.people.exists()
    for bad in ({"username": "deur-tablet", "password": "a-long-passphrase"},
                {"username": "<b>x</b>", "password": "a-long-passphrase"},
                {"username": "tablet2", "password": "123456"},
                {"username": "t" * 10_000, "password": "a-long-passphrase"}):
        assert client.post(url("people:kiosk-create"), bad).status_code == 200
    assert User.objects.filter(username__startswith="t").count() == 0
    assert Role.objects.filter(name="kiosk").count() == 1


@pytest.mark.django_db
def test_a_coordinator_adds_lists_and_hides_partner_organisations(client, initiative, coordinator):
    client.force_login(coordinator)
    client.post(url("people:partners"), {"name": "Vluchtelingenwerk", "kind": "charity"})
    partner = PartnerOrganisation.objects.get(initiative=initiative)
    assert partner.active and partner.kind == "charity"
    assert "Vluchtelingenwerk" in client.get(url("people:partners")).content.decode()
    client.post(url("people:partner-toggle", pk=partner.pk))
    partner.refresh_from_db()
    assert not partner.active
    for bad in ({"name": "vluchtelingenwerk", "kind": "charity"},
                {"name": "<script>x</script>", "kind": "other"},
                {"name": "n" * 10_000, "kind": "other"},
                {"name": "Ok", "kind": "embassy"}):
        assert client.post(url("people:partners"), bad).status_code == 200
    assert PartnerOrganisation.objects.count() == 1


@pytest.mark.django_db
def test_audit_log_is_read_only_newest_first_and_paginated(client, initiative, coordinator,
                                                           newcomer, django_assert_max_num_queries):
    target = person_of(newcomer, initiative)
    for i in range(60):
        AuditEntry.objects.create(initiative=initiative, actor=coordinator, action="profile_view",
                                  subject_person_id=target.pk, view=f"view-{i}")
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(url("people:audit"))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert len(rows) == 50
    assert rows[0].view == "view-59"
    assert "method=\"post\"" not in response.content.decode().split("<main")[1].split("</main>")[0]
    assert client.post(url("people:audit")).status_code == 405
    assert len(list(client.get(url("people:audit"), {"page": 2}).context["page"])) == 10
