"""Sharing an initiative's figures with a partner: the services (create a partner login, share
with an existing one, stop sharing), the coordinator's screen, who is refused, hostile input,
and that the partner view then lists the initiative."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_user
from verbinding.accounts import services
from verbinding.accounts.models import Role, User
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry
from verbinding.people.models import Person
from verbinding.reports.selectors import list_partner_initiatives

UNKNOWN = "There is no partner login with this name."


def url(name, slug="voorkamer", **kwargs):
    return reverse(name, kwargs={"initiative_slug": slug, **kwargs})


def partner_roles(user):
    return sorted(Role.objects.filter(user=user).values_list("initiative__slug", "name"))


def role_changes():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_CHANGE)
                .order_by("id").values_list("initiative__slug", "actor__username", "view",
                                            "detail"))


@pytest.fixture
def partner_b(other_initiative):
    """A partner login of the other initiative only (a municipality sharing there first)."""
    return make_user(other_initiative, "gemeente-utrecht", "partner")


# --- services -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_create_partner_account_makes_a_login_with_only_the_partner_role(initiative, coordinator):
    user = services.create_partner_account(initiative=initiative, username=" onderzoek-uu ",
                                           password="a-long-passphrase", by=coordinator)
    assert user.username == "onderzoek-uu"
    assert user.check_password("a-long-passphrase")
    assert partner_roles(user) == [("voorkamer", "partner")]
    assert Role.objects.get(user=user).granted_by == coordinator
    assert not Person.objects.filter(user=user).exists()
    assert role_changes() == [("voorkamer", "coco", "people:partner-logins",
                               {"role": "partner", "change": "granted", "user_id": user.pk})]


@pytest.mark.django_db
def test_create_partner_account_refuses_a_taken_name_and_a_weak_password(initiative, coordinator,
                                                                         local):
    with pytest.raises(DomainError) as error:
        services.create_partner_account(initiative=initiative, username="JOOST",
                                        password="a-long-passphrase", by=coordinator)
    assert error.value.code == "username_taken"
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        services.create_partner_account(initiative=initiative, username="gemeente-x",
                                        password="123", by=coordinator)
    assert not User.objects.filter(username="gemeente-x").exists()
    assert role_changes() == []


@pytest.mark.django_db
def test_share_with_partner_adds_this_initiative_to_an_existing_partner_login(
        initiative, other_initiative, coordinator, partner_b):
    assert list_partner_initiatives(user=partner_b) == [other_initiative]
    user = services.share_with_partner(initiative=initiative, username="Gemeente-Utrecht",
                                       by=coordinator)
    assert user == partner_b
    assert partner_roles(partner_b) == [("huiskamer", "partner"), ("voorkamer", "partner")]
    assert list_partner_initiatives(user=partner_b) == [other_initiative, initiative]
    assert role_changes() == [("voorkamer", "coco", "people:partner-logins",
                               {"role": "partner", "change": "granted", "user_id": partner_b.pk})]
    with pytest.raises(DomainError) as error:
        services.share_with_partner(initiative=initiative, username="gemeente-utrecht",
                                    by=coordinator)
    assert error.value.code == "partner_already_here"
    assert len(role_changes()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["local", "coordinator", "outsider", "kiosk", "nobody", "empty",
                                 "inactive", "mixed", "person"])
def test_share_with_partner_refuses_every_login_that_is_not_only_a_partner(
        request, initiative, other_initiative, coordinator, who):
    if who == "nobody":
        username = "does-not-exist"
    elif who == "empty":
        username = "   "
    elif who == "inactive":
        user = make_user(other_initiative, "oud-fonds", "partner")
        user.is_active = False
        user.save()
        username = user.username
    elif who == "mixed":  # a partner elsewhere who is also a member somewhere: a person's login
        user = make_user(other_initiative, "dubbel", "partner")
        Role.objects.create(initiative=other_initiative, user=user, name="member")
        username = user.username
    elif who == "person":  # only a partner role left, but a person's own login
        user = make_user(other_initiative, "ex-lid", "partner")
        Person.objects.create(initiative=other_initiative, user=user, display_name="Ex")
        username = user.username
    else:
        username = request.getfixturevalue(who).username
    before = Role.objects.count()
    with pytest.raises(DomainError) as error:
        services.share_with_partner(initiative=initiative, username=username, by=coordinator)
    assert error.value.code == "partner_login_unknown"
    assert Role.objects.count() == before
    assert role_changes() == []


@pytest.mark.django_db
def test_stop_sharing_removes_only_the_role_here(initiative, other_initiative, coordinator,
                                                 partner_b):
    services.share_with_partner(initiative=initiative, username=partner_b.username,
                                by=coordinator)
    services.stop_sharing_with_partner(initiative=initiative, user_id=partner_b.pk,
                                       by=coordinator)
    assert partner_roles(partner_b) == [("huiskamer", "partner")]
    assert User.objects.filter(pk=partner_b.pk).exists()
    assert [d["change"] for *_rest, d in role_changes()] == ["granted", "revoked"]
    with pytest.raises(DomainError) as error:  # no longer here, and never of the other place
        services.stop_sharing_with_partner(initiative=initiative, user_id=partner_b.pk,
                                           by=coordinator)
    assert error.value.code == "partner_not_here"


@pytest.mark.django_db
def test_stop_sharing_refuses_a_login_that_is_not_a_partner_here(initiative, coordinator, local):
    with pytest.raises(DomainError):
        services.stop_sharing_with_partner(initiative=initiative, user_id=local.pk,
                                           by=coordinator)
    assert Role.objects.filter(user=local, name="member").exists()


# --- the coordinator's screen -----------------------------------------------------------------

@pytest.mark.django_db
def test_the_screen_lists_the_partner_logins_here_and_not_those_of_another_place(
        client, coordinator, partner, partner_b):
    client.force_login(coordinator)
    response = client.get(url("people:partner-logins"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "gemeente" in body and "gemeente-utrecht" not in body
    assert url("people:partner-login-stop", pk=partner.pk) in body
    assert [r.user for r in response.context["roles"]] == [partner]


@pytest.mark.django_db
def test_the_manage_start_page_links_the_screen(client, coordinator):
    client.force_login(coordinator)
    body = client.get(reverse("accounts:manage-home", kwargs={"initiative_slug": "voorkamer"})
                      ).content.decode()
    assert url("people:partner-logins") in body
    assert "Partners see only aggregated, protected figures — never a person." in body


@pytest.mark.django_db
def test_a_coordinator_creates_a_partner_login_that_then_sees_the_partner_view(
        client, initiative, coordinator):
    client.force_login(coordinator)
    response = client.post(url("people:partner-logins"), {
        "action": "create", "new-username": "gemeente-ams", "new-password": "a-long-passphrase"})
    assert response.status_code == 302
    assert response["Location"] == url("people:partner-logins")
    user = User.objects.get(username="gemeente-ams")
    assert partner_roles(user) == [("voorkamer", "partner")]
    client.logout()
    client.force_login(user)
    page = client.get(url("reports:partner"))
    assert page.status_code == 200
    assert page.context["initiatives"] == [initiative]
    assert client.get(url("people:manage-list")).status_code == 403


@pytest.mark.django_db
def test_a_coordinator_shares_with_an_existing_partner_login(client, initiative, other_initiative,
                                                             coordinator, partner_b):
    client.force_login(coordinator)
    response = client.post(url("people:partner-logins"),
                           {"action": "share", "share-username": " gemeente-utrecht "})
    assert response.status_code == 302
    client.logout()
    client.force_login(partner_b)
    page = client.get(url("reports:partner", slug="huiskamer"))
    assert page.status_code == 200
    assert page.context["initiatives"] == [other_initiative, initiative]
    assert client.get(url("reports:partner")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["coco", "joost", "kiosk-voorkamer", "otto", "nobody-here",
                                      "x" * 150])
def test_sharing_refuses_members_staff_and_unknown_names_with_one_message(
        client, coordinator, local, kiosk, outsider, username):
    client.force_login(coordinator)
    before = Role.objects.count()
    response = client.post(url("people:partner-logins"),
                           {"action": "share", "share-username": username})
    assert response.status_code == 200
    assert UNKNOWN in response.content.decode()
    assert Role.objects.count() == before
    assert role_changes() == []


@pytest.mark.django_db
def test_a_coordinator_stops_sharing_and_the_partner_loses_the_view(client, initiative,
                                                                    coordinator, partner):
    client.force_login(coordinator)
    response = client.post(url("people:partner-login-stop", pk=partner.pk))
    assert response.status_code == 302
    assert partner_roles(partner) == []
    assert role_changes()[-1][3] == {"role": "partner", "change": "revoked",
                                     "user_id": partner.pk}
    assert client.get(url("people:partner-login-stop", pk=partner.pk)).status_code == 405
    client.logout()
    client.force_login(partner)
    assert client.get(url("reports:partner")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["partner_b", "local", "coordinator", "kiosk"])
def test_stop_sharing_is_404_for_anyone_who_is_not_a_partner_here(client, request, coordinator,
                                                                  target):
    client.force_login(coordinator)
    user = request.getfixturevalue(target)
    before = partner_roles(user)
    assert client.post(url("people:partner-login-stop", pk=user.pk)).status_code == 404
    assert partner_roles(user) == before
    assert client.post(url("people:partner-login-stop", pk=2**63)).status_code == 404
    assert role_changes() == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["organiser", "host", "kiosk", "partner", "newcomer",
                                     "local", "outsider"])
def test_everyone_but_a_coordinator_here_is_refused(client, request, partner_b, persona):
    victim = make_user(request.getfixturevalue("initiative"), "fonds", "partner")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("people:partner-logins")).status_code == 403
    assert client.post(url("people:partner-logins"), {
        "action": "create", "new-username": "evil", "new-password": "a-long-passphrase",
    }).status_code == 403
    assert client.post(url("people:partner-logins"), {
        "action": "share", "share-username": partner_b.username}).status_code == 403
    assert client.post(url("people:partner-login-stop", pk=victim.pk)).status_code == 403
    assert not User.objects.filter(username="evil").exists()
    assert partner_roles(partner_b) == [("huiskamer", "partner")]
    assert partner_roles(victim) == [("voorkamer", "partner")]
    assert role_changes() == []


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, initiative, partner):
    for response in (client.get(url("people:partner-logins")),
                     client.post(url("people:partner-logins"), {
                         "action": "create", "new-username": "evil",
                         "new-password": "a-long-passphrase"}),
                     client.post(url("people:partner-login-stop", pk=partner.pk))):
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    assert not User.objects.filter(username="evil").exists()
    assert partner_roles(partner) == [("voorkamer", "partner")]


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "password"), [
    ("x" * 151, "a-long-passphrase"),                 # too long
    ("gemeente ams", "a-long-passphrase"),            # a space
    ("gemeente\u200bams", "a-long-passphrase"),       # zero-width space
    ("\u202egemeente", "a-long-passphrase"),          # right-to-left override
    ("<script>", "a-long-passphrase"),                # markup
    ("", "a-long-passphrase"),                        # empty
    ("gemeente-ams", "123"),                          # weak password
    ("gemeente-ams", "x" * 201),                      # huge password
    ("gemeente-ams", ""),                             # no password
])
def test_creating_refuses_hostile_input_and_writes_nothing(client, coordinator, username,
                                                          password):
    client.force_login(coordinator)
    before = User.objects.count()
    response = client.post(url("people:partner-logins"), {
        "action": "create", "new-username": username, "new-password": password})
    assert response.status_code == 200
    assert response.context["create_form"].errors
    assert User.objects.count() == before
    assert role_changes() == []


@pytest.mark.django_db
def test_a_name_taken_in_another_case_or_by_a_member_is_refused(client, coordinator, local):
    client.force_login(coordinator)
    response = client.post(url("people:partner-logins"), {
        "action": "create", "new-username": "JOOST", "new-password": "a-long-passphrase"})
    assert "This login name is already taken" in response.content.decode()
    assert partner_roles(local) == [("voorkamer", "member")]


@pytest.mark.django_db
def test_sharing_with_a_lookalike_name_finds_nobody(client, coordinator, partner_b):
    client.force_login(coordinator)
    for trick in ("gemeente\u200b-utrecht", "\u202egemeente-utrecht", "gemeente-utrecht%",
                  "gemeente_utrecht", "gеmeente-utrecht"):  # the last one has a Cyrillic е
        response = client.post(url("people:partner-logins"),
                               {"action": "share", "share-username": trick})
        assert UNKNOWN in response.content.decode()
    response = client.post(url("people:partner-logins"),
                           {"action": "share", "share-username": "y" * 10_000})
    assert response.status_code == 200 and response.context["share_form"].errors
    assert partner_roles(partner_b) == [("huiskamer", "partner")]


@pytest.mark.django_db
def test_a_post_without_a_known_action_changes_nothing(client, coordinator):
    client.force_login(coordinator)
    response = client.post(url("people:partner-logins"), {
        "action": "delete-everything", "new-username": "evil", "new-password": PASSWORD})
    assert response.status_code == 200
    assert "Please use one of the forms on this page." in response.content.decode()
    assert not User.objects.filter(username="evil").exists()


# --- the demo partner -------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_demo_has_one_partner_login_for_both_places_printed_again_and_flushed():
    import datetime as dt
    import io

    import time_machine
    from django.contrib.auth import authenticate
    from django.core.management import call_command

    from verbinding.attendance import demo

    tiny = ["--seed", "7", "--today", "2026-12-01", "--scale", "0.05"]
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=True):
        out = io.StringIO()
        call_command("seed_demo", *tiny, stdout=out)
        partner = User.objects.get(username=demo.DEMO_PARTNER)
        assert partner_roles(partner) == sorted((slug, "partner") for slug in demo.DEMO_SLUGS)
        assert not Person.objects.filter(user=partner).exists()
        places = list_partner_initiatives(user=partner)
        assert sorted(p.slug for p in places) == sorted(demo.DEMO_SLUGS)
        for slug in demo.DEMO_SLUGS:
            assert f"{demo.DEMO_PARTNER:<26} /{slug}/login/" in out.getvalue()
        assert partner.password == User.objects.get(
            username=f"{demo.DEMO_SLUGS[0]}-coordinator").password
        assert authenticate(username=demo.DEMO_PARTNER, password=demo.DEMO_PASSWORD) == partner
        again = io.StringIO()
        call_command("seed_demo", *tiny, "--if-empty", stdout=again)
        assert again.getvalue().count(demo.DEMO_PARTNER) == len(demo.DEMO_SLUGS)
        assert demo.flush_demo() == 2
    assert not User.objects.filter(username=demo.DEMO_PARTNER).exists()
