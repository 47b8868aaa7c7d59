"""Proposals, the pages: members propose and withdraw under /me/, coordinators decide under
/manage/; who is refused what; bad, hostile and huge input on every form gives a translated
error and writes nothing; the forms pass the privacy deny-list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import make_user, person_of
from tests.people.test_privacy_denylist import form_violations
from verbinding.activities import forms_proposals, proposals
from verbinding.activities.models import Activity, Proposal
from verbinding.core.models import AuditEntry

P = Proposal.Status
GOOD = {"title": "Naaicafé", "description": "We repareren samen kleren.", "when": "Vrijdagavond",
        "languages": ["nl", "ar"], "cost": "free", "price": ""}


def url(name, **kwargs):
    return reverse(f"activities:{name}", kwargs={"initiative_slug": "voorkamer", **kwargs})


def make_proposal(initiative, user, **changes):
    values = {"title": "Naaicafé", "description": "We naaien.", "when": "Vrijdag",
              "languages": ["nl"], "cost": "free", "cost_cents": None, **changes}
    return proposals.propose(initiative=initiative, proposer=person_of(user, initiative), by=user,
                             **values)


# --- Members ------------------------------------------------------------------------------------

def test_a_member_proposes_through_the_form_and_sees_it_waiting(client, initiative, newcomer):
    client.force_login(newcomer)
    page = client.get(url("propose"))
    assert page.status_code == 200
    assert b'name="languages"' in page.content and b'value="amount"' in page.content
    response = client.post(url("propose"), {**GOOD, "cost": "amount", "price": "2.50"})
    assert response.status_code == 302 and response["Location"] == url("my-proposals")
    proposal = Proposal.objects.get()
    assert proposal.proposer == person_of(newcomer, initiative)
    assert (proposal.cost, proposal.cost_cents, proposal.languages) == ("amount", 250, ["nl", "ar"])
    mine = client.get(url("my-proposals"))
    assert "Naaicafé" in mine.content.decode()
    assert url("proposal-withdraw", pk=proposal.pk) in mine.content.decode()


def test_the_proposal_page_speaks_arabic_right_to_left(client, initiative, newcomer):
    client.force_login(newcomer)
    client.cookies["verbinding_language"] = "ar"
    with translation.override("ar"):
        page = client.get(url("propose"), HTTP_ACCEPT_LANGUAGE="ar")
    html = page.content.decode()
    assert 'dir="rtl"' in html
    assert "اقترح نشاطاً" in html


def test_a_member_sees_the_decision_and_the_coordinators_message(
    client, initiative, newcomer, coordinator
):
    proposal = make_proposal(initiative, newcomer)
    proposals.decline_proposal(proposal=proposal, by=coordinator, response="Probeer het <b>later</b>")
    client.force_login(newcomer)
    html = client.get(url("my-proposals")).content.decode()
    assert "Probeer het &lt;b&gt;later&lt;/b&gt;" in html
    assert url("proposal-withdraw", pk=proposal.pk) not in html


def test_a_member_withdraws_a_pending_proposal(client, initiative, newcomer):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(newcomer)
    response = client.post(url("proposal-withdraw", pk=proposal.pk))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == P.WITHDRAWN
    # Twice: a clear message, nothing changes.
    client.post(url("proposal-withdraw", pk=proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == P.WITHDRAWN


def test_a_member_cannot_see_or_withdraw_anothers_proposals(client, initiative, newcomer, local):
    theirs = make_proposal(initiative, newcomer, title="Geheim plan van Amal")
    client.force_login(local)
    assert "Geheim plan van Amal" not in client.get(url("my-proposals")).content.decode()
    assert client.post(url("proposal-withdraw", pk=theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == P.PENDING
    for name in ("proposal-detail", "proposal-edit"):
        assert client.get(url(name, pk=theirs.pk)).status_code == 403


@pytest.mark.parametrize("name", ["propose", "my-proposals"])
def test_anonymous_visitors_are_sent_to_login_from_the_member_pages(client, initiative, name):
    response = client.get(url(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_anonymous_withdraw_goes_to_login(client, initiative, newcomer):
    proposal = make_proposal(initiative, newcomer)
    response = client.post(url("proposal-withdraw", pk=proposal.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]
    proposal.refresh_from_db()
    assert proposal.status == P.PENDING


@pytest.mark.parametrize("role", ["kiosk", "partner"])
def test_accounts_without_a_person_cannot_propose(client, initiative, role):
    client.force_login(make_user(initiative, f"acc-{role}", role))
    assert client.get(url("propose")).status_code == 403
    assert client.post(url("propose"), GOOD).status_code == 403
    assert client.get(url("my-proposals")).status_code == 403
    assert Proposal.objects.count() == 0


def test_a_volunteer_or_host_may_propose_too(client, initiative):
    client.force_login(make_user(initiative, "vera", "volunteer"))
    assert client.post(url("propose"), GOOD).status_code == 302
    assert Proposal.objects.count() == 1


# --- Bad, hostile and huge input ----------------------------------------------------------------

HUGE = "x" * 100_000
BAD_INPUTS = [
    ({"title": ""}, "title"),
    ({"title": HUGE}, "title"),
    ({"title": "Sew\u202eing"}, "title"),
    ({"title": "Sew\x00ing"}, "title"),
    ({"description": ""}, "description"),
    ({"description": HUGE}, "description"),
    ({"description": "a\u2066b"}, "description"),
    ({"when": ""}, "when"),
    ({"when": HUGE}, "when"),
    ({"when": "vr\x00ij"}, "when"),
    ({"languages": ["klingon"]}, "languages"),
    ({"languages": ["nl'; DROP TABLE activities_proposal;--"]}, "languages"),
    ({"cost": "<script>alert(1)</script>"}, "cost"),
    ({"cost": ""}, "cost"),
    ({"cost": "amount", "price": ""}, "price"),
    ({"cost": "amount", "price": "-1"}, "price"),
    ({"cost": "amount", "price": "1e9"}, "price"),
    ({"cost": "amount", "price": "abc"}, "price"),
    ({"cost": "amount", "price": HUGE}, "price"),
]


@pytest.mark.parametrize(("bad", "field"), BAD_INPUTS)
def test_bad_input_on_the_proposal_form_is_refused_in_dutch_and_nothing_is_written(
    client, initiative, newcomer, bad, field
):
    client.force_login(newcomer)
    client.cookies["verbinding_language"] = "nl"
    response = client.post(url("propose"), {**GOOD, **bad})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    html = response.content.decode()
    assert "Kijk de velden hieronder na" in html  # the translated summary on top
    assert Proposal.objects.count() == 0


def test_the_errors_are_translated_into_arabic(client, initiative, newcomer):
    client.force_login(newcomer)
    client.cookies["verbinding_language"] = "ar"
    response = client.post(url("propose"), {**GOOD, "title": "", "when": "x\u202e"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field in ("title", "when"):
        text = " ".join(errors[field])
        assert any("\u0600" <= ch <= "\u06ff" for ch in text), text


def test_hostile_text_that_is_allowed_is_stored_as_typed_and_shown_escaped(
    client, initiative, newcomer, coordinator
):
    client.force_login(newcomer)
    hostile = {"title": "<script>alert(1)</script>", "description": "' OR 1=1; --",
               "when": "<img src=x onerror=alert(1)>"}
    assert client.post(url("propose"), {**GOOD, **hostile}).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == hostile["title"]
    client.force_login(coordinator)
    for page in (url("proposal-list"), url("proposal-detail", pk=proposal.pk)):
        html = client.get(page).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html


# --- Coordinators -------------------------------------------------------------------------------

def test_the_coordinator_sees_pending_first_and_reading_one_is_audited(
    client, initiative, newcomer, coordinator
):
    old = make_proposal(initiative, newcomer, title="Al besloten")
    proposals.decline_proposal(proposal=old, by=coordinator, response="Nee")
    new = make_proposal(initiative, newcomer, title="Nog open")
    client.force_login(coordinator)
    html = client.get(url("proposal-list")).content.decode()
    assert html.index("Nog open") < html.index("Al besloten")
    assert client.get(url("proposal-detail", pk=new.pk)).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PROFILE_VIEW)
    assert entry.subject_person_id == person_of(newcomer, initiative).pk
    assert entry.view == "activities:proposal-detail"
    assert entry.actor == coordinator


def test_approving_leads_to_the_drafts_edit_page(client, initiative, newcomer, coordinator):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(coordinator)
    response = client.post(url("proposal-approve", pk=proposal.pk), {"approve-response": "Top!"})
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("manage-edit", pk=activity.pk)
    assert activity.status == "draft"
    assert list(activity.organisers.all()) == [person_of(newcomer, initiative)]
    client.cookies["verbinding_language"] = "nl"
    edit = client.get(response["Location"])
    assert edit.status_code == 200
    # The placeholder date reaches the browser's date picker (ISO, whatever the language).
    assert re.search(r'name="start_date" value="\d{4}-\d{2}-\d{2}"', edit.content.decode())
    # A second click (double submit) makes nothing new and says so.
    again = client.post(url("proposal-approve", pk=proposal.pk), {"approve-response": ""})
    assert again.status_code == 302 and again["Location"] == url("proposal-detail", pk=proposal.pk)
    assert Activity.objects.count() == 1


def test_declining_without_a_message_is_refused_with_a_translated_error(
    client, initiative, newcomer, coordinator
):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "nl"
    response = client.post(url("proposal-decline", pk=proposal.pk), {"decline-response": "  "})
    assert response.status_code == 400
    assert response.context["decline_form"].errors["response"]
    assert "Schrijf" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == P.PENDING


@pytest.mark.parametrize("message", [HUGE, "Nee\u202e", "a\x00b"])
def test_a_bad_decision_message_decides_nothing(client, initiative, newcomer, coordinator, message):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(coordinator)
    for name, prefix in (("proposal-decline", "decline"), ("proposal-approve", "approve")):
        response = client.post(url(name, pk=proposal.pk), {f"{prefix}-response": message})
        assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == P.PENDING
    assert Activity.objects.count() == 0


def test_declining_with_a_message_tells_the_member(client, initiative, newcomer, coordinator):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(coordinator)
    response = client.post(url("proposal-decline", pk=proposal.pk),
                           {"decline-response": "Dit past niet in de ruimte."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.response) == (P.DECLINED, "Dit past niet in de ruimte.")
    client.force_login(newcomer)
    assert "Dit past niet in de ruimte." in client.get(url("my-proposals")).content.decode()


def test_the_coordinator_edits_a_pending_proposal(client, initiative, newcomer, coordinator):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(coordinator)
    assert client.get(url("proposal-edit", pk=proposal.pk)).status_code == 200
    response = client.post(url("proposal-edit", pk=proposal.pk), {**GOOD, "title": "Reparatiecafé"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Reparatiecafé"
    bad = client.post(url("proposal-edit", pk=proposal.pk), {**GOOD, "title": HUGE})
    assert bad.status_code == 400
    proposal.refresh_from_db()
    assert proposal.title == "Reparatiecafé"


def test_a_decided_proposal_cannot_be_edited(client, initiative, newcomer, coordinator):
    proposal = make_proposal(initiative, newcomer)
    proposals.decline_proposal(proposal=proposal, by=coordinator, response="Nee")
    client.force_login(coordinator)
    response = client.post(url("proposal-edit", pk=proposal.pk), {**GOOD, "title": "Anders"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Naaicafé"


@pytest.mark.parametrize("persona", ["organiser", "host", "newcomer", "kiosk", "partner"])
@pytest.mark.parametrize("name", ["proposal-list", "proposal-detail", "proposal-edit",
                                  "proposal-approve", "proposal-decline"])
def test_only_coordinators_decide(client, initiative, newcomer, request, persona, name):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(request.getfixturevalue(persona))
    kwargs = {} if name == "proposal-list" else {"pk": proposal.pk}
    statuses = {client.get(url(name, **kwargs)).status_code,
                client.post(url(name, **kwargs), {"approve-response": "", "decline-response": "x"}
                            ).status_code}
    assert statuses <= {403, 405} and 403 in statuses
    proposal.refresh_from_db()
    assert proposal.status == P.PENDING
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("name", ["proposal-list", "proposal-detail"])
def test_anonymous_visitors_are_sent_to_login_from_the_coordinator_pages(
    client, initiative, newcomer, name
):
    proposal = make_proposal(initiative, newcomer)
    kwargs = {} if name == "proposal-list" else {"pk": proposal.pk}
    response = client.get(url(name, **kwargs))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_coordinator_of_another_initiative_gets_404(client, initiative, newcomer, outsider):
    proposal = make_proposal(initiative, newcomer)
    client.force_login(outsider)
    other = reverse("activities:proposal-approve",
                    kwargs={"initiative_slug": "huiskamer", "pk": proposal.pk})
    assert client.post(other, {"approve-response": ""}).status_code == 404
    assert Activity.objects.count() == 0


def test_the_proposal_forms_ask_for_nothing_on_the_privacy_deny_list():
    classes = [forms_proposals.ProposalForm, forms_proposals.DecisionForm]
    assert form_violations(classes) == []


def test_the_lists_take_the_same_number_of_queries_for_many_proposals(
    client, initiative, newcomer, coordinator, django_assert_max_num_queries
):
    def count(path, user):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    make_proposal(initiative, newcomer)
    few = (count(url("my-proposals"), newcomer), count(url("proposal-list"), coordinator))
    for i in range(8):
        decided = make_proposal(initiative, newcomer, title=f"Idee {i}")
        if i % 2:
            proposals.approve_proposal(proposal=decided, by=coordinator)
    many = (count(url("my-proposals"), newcomer), count(url("proposal-list"), coordinator))
    assert many == few
    with django_assert_max_num_queries(15):
        client.get(url("proposal-list"))
