"""Proposals, the services: propose, withdraw, edit, approve (one draft activity with the
proposer as organiser and the organiser role, audited), decline (needs a message), the
decision told by email in the proposer's language, and a decision made only once."""

from __future__ import annotations

import pytest

from tests.conftest import make_user, person_of
from verbinding.accounts.models import Role
from verbinding.activities import proposals
from verbinding.activities.models import Activity, Proposal
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry
from verbinding.people.models import Person

P = Proposal.Status

IDEA = {
    "title": "Naaicafé", "description": "We repareren samen kleren.", "when": "Vrijdagavond",
    "languages": ["nl", "ar"], "cost": "free", "cost_cents": None,
}


def propose(initiative, person, **changes):
    return proposals.propose(initiative=initiative, proposer=person, by=person.user,
                             **{**IDEA, **changes})


@pytest.fixture
def amal(newcomer, initiative):
    person = person_of(newcomer, initiative)
    person.preferred_language = "ar"
    person.email = "amal@example.org"
    person.save()
    return person


def test_a_member_proposes_and_the_proposal_waits_for_a_coordinator(initiative, amal):
    proposal = propose(initiative, amal, title="  Naaicafé  ")
    assert proposal.status == P.PENDING
    assert proposal.title == "Naaicafé"
    assert proposal.languages == ["nl", "ar"]
    assert proposal.decided_at is None and proposal.activity is None


@pytest.mark.parametrize(("changes", "code"), [
    ({"title": "   "}, "proposal_title_required"),
    ({"title": "x" * 121}, "proposal_title_too_long"),
    ({"description": ""}, "proposal_description_required"),
    ({"description": "x" * 2001}, "proposal_description_too_long"),
    ({"when": ""}, "proposal_when_required"),
    ({"when": "x" * 201}, "proposal_when_too_long"),
    ({"title": "Sew\u202eing"}, "proposal_text_characters"),
    ({"when": "Fri\x00day"}, "proposal_text_characters"),
    ({"languages": ["klingon"]}, "choice_invalid"),
    ({"languages": [None]}, "choice_invalid"),
    ({"cost": "bitcoin"}, "choice_invalid"),
    ({"cost": "amount", "cost_cents": None}, "price_required"),
    ({"cost": "amount", "cost_cents": -1}, "price_required"),
    ({"cost": "amount", "cost_cents": 10**9}, "price_required"),
])
def test_a_broken_proposal_is_refused_and_nothing_is_written(initiative, amal, changes, code):
    with pytest.raises(DomainError) as caught:
        propose(initiative, amal, **changes)
    assert caught.value.code == code
    assert Proposal.objects.count() == 0


def test_a_price_is_kept_only_for_a_fixed_price(initiative, amal):
    assert propose(initiative, amal, cost="amount", cost_cents=250).cost_cents == 250
    assert propose(initiative, amal, cost="pay_what_you_can", cost_cents=250).cost_cents is None


def test_a_person_of_another_initiative_cannot_propose_here(initiative, outsider, other_initiative):
    with pytest.raises(DomainError):
        propose(initiative, person_of(outsider, other_initiative))


def test_approving_makes_exactly_one_draft_with_the_proposer_as_organiser(
    initiative, amal, coordinator
):
    proposal = propose(initiative, amal, cost="amount", cost_cents=300)
    decided = proposals.approve_proposal(proposal=proposal, by=coordinator, response="Mooi!")
    activity = Activity.objects.get()
    assert decided.activity == activity
    assert activity.status == Activity.Status.DRAFT
    assert activity.initiative == initiative
    # In the proposer's preferred language (Arabic), not the coordinator's.
    assert activity.title == {"ar": "Naaicafé"}
    assert activity.description == {"ar": "We repareren samen kleren."}
    assert activity.languages_spoken == ["nl", "ar"]
    assert (activity.cost, activity.cost_cents) == ("amount", 300)
    assert list(activity.organisers.all()) == [amal]
    assert activity.sessions.count() == 0  # no sessions until the real time is set
    proposal.refresh_from_db()
    assert proposal.status == P.APPROVED
    assert proposal.decided_by == coordinator
    assert proposal.decided_at is not None
    assert proposal.response == "Mooi!"
    assert proposal.activity == activity


def test_without_a_preferred_language_the_draft_is_in_the_places_first_language(
    initiative, local, coordinator
):
    initiative.languages = ["ar", "nl"]
    initiative.save()
    person = person_of(local, initiative)
    proposal = propose(initiative, person)
    proposals.approve_proposal(proposal=proposal, by=coordinator)
    assert Activity.objects.get().title == {"ar": "Naaicafé"}


def test_approving_grants_the_organiser_role_and_audits_it(initiative, amal, coordinator):
    proposal = propose(initiative, amal)
    proposals.approve_proposal(proposal=proposal, by=coordinator)
    roles = set(Role.objects.filter(initiative=initiative, user=amal.user)
                .values_list("name", flat=True))
    assert roles == {"member", "organiser"}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLE_CHANGE)
    assert entry.subject_person_id == amal.pk
    assert entry.actor == coordinator
    assert entry.detail == {"role": "organiser", "change": "granted"}


def test_an_organiser_already_keeps_their_roles_and_no_role_change_is_logged(
    initiative, organiser, coordinator
):
    person = person_of(organiser, initiative)
    proposals.approve_proposal(proposal=propose(initiative, person), by=coordinator)
    assert set(Role.objects.filter(user=organiser).values_list("name", flat=True)) == {
        "member", "organiser"}
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_CHANGE).exists()


def test_a_proposer_without_a_login_becomes_organiser_without_a_role(initiative, coordinator):
    person = Person.objects.create(initiative=initiative, display_name="Yonas")
    proposals.approve_proposal(proposal=propose(initiative, person), by=coordinator)
    assert list(Activity.objects.get().organisers.all()) == [person]
    assert not Role.objects.filter(name="organiser").exists()


def test_a_proposal_is_decided_once(initiative, amal, coordinator):
    proposal = propose(initiative, amal)
    proposals.approve_proposal(proposal=proposal, by=coordinator)
    for again in (
        lambda: proposals.approve_proposal(proposal=proposal, by=coordinator),
        lambda: proposals.decline_proposal(proposal=proposal, by=coordinator, response="Nee"),
        lambda: proposals.withdraw_proposal(proposal=proposal, person=amal, by=amal.user),
        lambda: proposals.update_proposal(proposal=proposal, by=coordinator, **IDEA),
    ):
        with pytest.raises(DomainError) as caught:
            again()
        assert caught.value.code == "proposal_not_pending"
    assert Activity.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == P.APPROVED


def test_declining_needs_a_message(initiative, amal, coordinator):
    proposal = propose(initiative, amal)
    for empty in ("", "   \n "):
        with pytest.raises(DomainError) as caught:
            proposals.decline_proposal(proposal=proposal, by=coordinator, response=empty)
        assert caught.value.code == "proposal_decline_needs_message"
    proposal.refresh_from_db()
    assert proposal.status == P.PENDING and proposal.decided_at is None


def test_a_decline_is_recorded_with_its_message(initiative, amal, coordinator):
    proposal = propose(initiative, amal)
    proposals.decline_proposal(proposal=proposal, by=coordinator, response="  Te duur.  ")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.response, proposal.decided_by) == (
        P.DECLINED, "Te duur.", coordinator)
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("response", ["x" * 1001, "Sorry\u202e", "a\x00b"])
def test_a_broken_message_decides_nothing(initiative, amal, coordinator, response):
    proposal = propose(initiative, amal)
    with pytest.raises(DomainError):
        proposals.decline_proposal(proposal=proposal, by=coordinator, response=response)
    with pytest.raises(DomainError):
        proposals.approve_proposal(proposal=proposal, by=coordinator, response=response)
    proposal.refresh_from_db()
    assert proposal.status == P.PENDING
    assert Activity.objects.count() == 0


def test_a_member_withdraws_their_own_pending_proposal_only(initiative, amal, local):
    joost = person_of(local, initiative)
    proposal = propose(initiative, amal)
    with pytest.raises(DomainError) as caught:
        proposals.withdraw_proposal(proposal=proposal, person=joost, by=local)
    assert caught.value.code == "proposal_not_yours"
    proposals.withdraw_proposal(proposal=proposal, person=amal, by=amal.user)
    proposal.refresh_from_db()
    assert proposal.status == P.WITHDRAWN
    with pytest.raises(DomainError) as caught:
        proposals.withdraw_proposal(proposal=proposal, person=amal, by=amal.user)
    assert caught.value.code == "proposal_not_pending"


def test_a_coordinator_corrects_a_pending_proposal(initiative, amal, coordinator):
    proposal = propose(initiative, amal)
    proposals.update_proposal(proposal=proposal, by=coordinator,
                              **{**IDEA, "title": "Naai- en reparatiecafé", "languages": ["ti"]})
    proposal.refresh_from_db()
    assert (proposal.title, proposal.languages, proposal.status) == (
        "Naai- en reparatiecafé", ["ti"], P.PENDING)
    with pytest.raises(DomainError):
        proposals.update_proposal(proposal=proposal, by=coordinator, **{**IDEA, "title": ""})
    proposal.refresh_from_db()
    assert proposal.title == "Naai- en reparatiecafé"


def test_the_proposer_hears_the_approval_by_email_in_their_own_language(
    initiative, amal, coordinator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "nl"
    proposal = propose(initiative, amal)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.approve_proposal(proposal=proposal, by=coordinator, response="أهلاً")
    [mail] = mailoutbox
    assert mail.to == ["amal@example.org"]
    assert "Naaicafé" in mail.subject
    assert any("\u0600" <= ch <= "\u06ff" for ch in mail.subject), mail.subject
    assert "أهلاً" in mail.body
    assert "/voorkamer/me/proposals/" in mail.body


def test_the_proposer_hears_a_decline_by_email_with_the_message(
    initiative, local, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    person = person_of(local, initiative)
    person.email, person.preferred_language = "joost@example.org", "nl"
    person.save()
    proposal = propose(initiative, person)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.decline_proposal(proposal=proposal, by=coordinator, response="Te duur helaas.")
    [mail] = mailoutbox
    assert mail.to == ["joost@example.org"]
    assert "Te duur helaas." in mail.body
    assert "Bedankt voor je idee" in mail.body  # Dutch, the proposer's language


def test_no_email_without_an_address(initiative, local, coordinator, mailoutbox,
                                     django_capture_on_commit_callbacks):
    proposal = propose(initiative, person_of(local, initiative))
    with django_capture_on_commit_callbacks(execute=True):
        proposals.decline_proposal(proposal=proposal, by=coordinator, response="Nee")
    assert mailoutbox == []


def test_the_coordinators_list_shows_pending_first_then_decided(initiative, amal, coordinator):
    first = propose(initiative, amal, title="Eerste")
    decided = propose(initiative, amal, title="Besloten")
    second = propose(initiative, amal, title="Tweede")
    proposals.decline_proposal(proposal=decided, by=coordinator, response="Nee")
    lists = proposals.list_proposals_for_coordinators(initiative)
    assert lists.pending == [first, second]
    assert lists.decided == [decided]


def test_lists_are_scoped_to_the_initiative_and_the_person(
    initiative, amal, local, other_initiative, outsider
):
    mine = propose(initiative, amal)
    propose(initiative, person_of(local, initiative))
    theirs = proposals.propose(initiative=other_initiative, proposer=person_of(outsider, other_initiative),
                               by=outsider, **IDEA)
    assert list(proposals.list_my_proposals(amal)) == [mine]
    lists = proposals.list_proposals_for_coordinators(initiative)
    assert theirs not in lists.pending
    assert len(lists.pending) == 2


def test_a_member_of_another_initiative_counts_too(initiative, other_initiative):
    # The same login in two places has two persons; each sees only their own proposals.
    user = make_user(initiative, "twee", "member")
    Person.objects.create(initiative=other_initiative, user=user, display_name="Twee")
    here = person_of(user, initiative)
    there = person_of(user, other_initiative)
    proposal = propose(initiative, here)
    assert list(proposals.list_my_proposals(there)) == []
    with pytest.raises(DomainError):
        proposals.withdraw_proposal(proposal=proposal, person=there, by=user)


def test_erasing_a_person_takes_their_proposals_but_leaves_the_activity(
    initiative, amal, local, coordinator
):
    from verbinding.people.services import erase_person

    approved = propose(initiative, amal, title="Goedgekeurd")
    proposals.approve_proposal(proposal=approved, by=coordinator)
    propose(initiative, amal, title="Nog open")
    other = propose(initiative, person_of(local, initiative))
    erase_person(person=amal, by=amal.user)
    assert list(Proposal.objects.all()) == [other]
    assert Activity.objects.count() == 1
