"""Bottom-up proposals: a member's idea for an activity and a coordinator's decision on it.

Writes (services) and reads (selectors) of proposals live together here because they are few.
A member proposes (`propose`) and may withdraw a pending proposal of their own
(`withdraw_proposal`). A coordinator may correct a pending proposal (`update_proposal`), then
approves it (`approve_proposal`: one DRAFT activity with the proposer as organiser, who gets the
organiser role through people.services.change_roles, audited) or declines it with a message
(`decline_proposal`). A decision is final and made once: the row is locked and only a pending
proposal can be claimed, so a double click or two coordinators at once never make two
activities. The proposer hears the decision on their proposals page and, if they gave an
email address, by email in their own language after commit.

Every function is atomic, takes keyword arguments only and the acting user as `by=`; broken
rules raise DomainError(code), whose messages are registered below (this app's locale).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verbinding.accounts.models import Role
from verbinding.activities import recurrence, services
from verbinding.activities.models import Activity, Format, Proposal
from verbinding.core.errors import DomainError, register_messages
from verbinding.core.models import Initiative
from verbinding.people.models import Person
from verbinding.people.services import ASSIGNABLE_ROLES, change_roles
from verbinding.people.vocab import Language

TITLE_MAX = Proposal._meta.get_field("title").max_length  # 120
DESCRIPTION_MAX = Proposal._meta.get_field("description").max_length  # 2000
WHEN_MAX = Proposal._meta.get_field("when").max_length  # 200
RESPONSE_MAX = Proposal._meta.get_field("response").max_length  # 1000
PRICE_MAX_CENTS = services.PRICE_MAX_CENTS
# The draft's placeholder first session: a week from now at this local hour. The coordinator
# sets the real time and place on the edit page the approval leads to.
DRAFT_DAYS_AHEAD = 7
DRAFT_HOUR = 19

P = Proposal.Status

register_messages({
    "proposal_title_required": gettext_lazy("Give your idea a short title."),
    "proposal_title_too_long": gettext_lazy("A title can be at most 120 characters."),
    "proposal_description_required": gettext_lazy("Tell in a few words what you will do together."),
    "proposal_description_too_long": gettext_lazy("This text can be at most 2000 characters."),
    "proposal_when_required": gettext_lazy("Say when, in your own words, for example “Friday evenings”."),
    "proposal_when_too_long": gettext_lazy("This text can be at most 200 characters."),
    "proposal_response_too_long": gettext_lazy("A message can be at most 1000 characters."),
    "proposal_decline_needs_message": gettext_lazy(
        "Write a short message to the proposer: they want to know why."
    ),
    "proposal_not_pending": gettext_lazy("This proposal has already been decided or withdrawn."),
    "proposal_not_yours": gettext_lazy("You can only withdraw your own proposals."),
    "proposal_text_characters": gettext_lazy(
        "This text contains an invisible control character. Please type it again."
    ),
})

# Left-to-right/right-to-left marks and zero-width (non-)joiners are harmless and needed for
# mixed Arabic/Latin and Persian text; every other control or format character (U+202E turns
# text around, NUL breaks databases) is refused.
_ALLOWED_CONTROL = {"\u200c", "\u200d", "\u200e", "\u200f", "\n", "\r", "\t"}


def has_hidden_characters(text: str) -> bool:
    return any(unicodedata.category(c).startswith("C") and c not in _ALLOWED_CONTROL for c in text)


# --- Reads --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CoordinatorProposals:
    pending: list[Proposal]
    decided: list[Proposal]


def list_my_proposals(person: Person) -> QuerySet[Proposal]:
    """The person's own proposals, newest first, with the activity an approval made."""
    return (Proposal.objects.filter(initiative_id=person.initiative_id, proposer=person)
            .select_related("activity").order_by("-created_at", "-id"))


def get_my_proposal(person: Person, pk: int) -> Proposal:
    """One of the person's own proposals; someone else's, or another initiative's, is a 404."""
    return get_object_or_404(
        Proposal.objects.select_related("initiative"),
        initiative_id=person.initiative_id, proposer=person, pk=pk,
    )


def list_proposals_for_coordinators(initiative: Initiative, *,
                                    now: dt.datetime | None = None) -> CoordinatorProposals:
    """Pending proposals first (oldest first: first come, first served), then the decided and
    withdrawn ones of the history window (privacy rule 6), newest first."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=30 * settings.VERBINDING_HISTORY_MONTHS)
    base = Proposal.objects.filter(initiative=initiative).select_related("proposer", "activity")
    pending = list(base.filter(status=P.PENDING).order_by("created_at", "id"))
    decided = list(
        base.exclude(status=P.PENDING).filter(created_at__gte=since)
        .order_by("-decided_at", "-created_at", "-id")
    )
    return CoordinatorProposals(pending=pending, decided=decided)


def get_proposal_for_coordinators(initiative: Initiative, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("proposer", "activity", "decided_by", "initiative"),
        initiative=initiative, pk=pk,
    )


def count_pending(initiative: Initiative) -> int:
    return Proposal.objects.filter(initiative=initiative, status=P.PENDING).count()


# --- Writes -------------------------------------------------------------------------------------

def _text(value, *, limit: int, required: str | None, too_long: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if has_hidden_characters(text):
        raise DomainError("proposal_text_characters")
    if required and not text:
        raise DomainError(required)
    if len(text) > limit:
        raise DomainError(too_long)
    return text


def _clean(*, title, description, when, languages, cost, cost_cents) -> dict:
    """Check every field before anything is written; returns the values to store."""
    values = {
        "title": _text(title, limit=TITLE_MAX, required="proposal_title_required",
                       too_long="proposal_title_too_long"),
        "description": _text(description, limit=DESCRIPTION_MAX,
                             required="proposal_description_required",
                             too_long="proposal_description_too_long"),
        "when": _text(when, limit=WHEN_MAX, required="proposal_when_required",
                      too_long="proposal_when_too_long"),
    }
    codes = list(dict.fromkeys(languages or []))
    if not all(isinstance(c, str) for c in codes) or not set(codes) <= set(Language.values):
        raise DomainError("choice_invalid", field="languages")
    values["languages"] = codes
    if cost not in Activity.Cost.values:
        raise DomainError("choice_invalid", field="cost")
    values["cost"] = cost
    if cost == Activity.Cost.AMOUNT:
        if (not isinstance(cost_cents, int) or isinstance(cost_cents, bool)
                or not 0 <= cost_cents <= PRICE_MAX_CENTS):
            raise DomainError("price_required")
        values["cost_cents"] = cost_cents
    else:
        values["cost_cents"] = None
    return values


def _response(value, *, required: bool) -> str:
    return _text(value, limit=RESPONSE_MAX,
                 required="proposal_decline_needs_message" if required else None,
                 too_long="proposal_response_too_long")


@transaction.atomic
def propose(*, initiative: Initiative, proposer: Person, by, title: str, description: str,
            when: str, languages, cost: str, cost_cents: int | None = None) -> Proposal:
    """A member's proposal, pending until a coordinator decides."""
    if proposer.initiative_id != initiative.pk or proposer.anonymised_at is not None:
        raise DomainError("organiser_not_here")
    values = _clean(title=title, description=description, when=when, languages=languages,
                    cost=cost, cost_cents=cost_cents)
    return Proposal.objects.create(initiative=initiative, proposer=proposer, **values)


def _lock_pending(proposal: Proposal) -> Proposal:
    # Lock only the proposal row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to the proposer.
    locked = (Proposal.objects.select_for_update(of=("self",))
              .select_related("initiative", "proposer").get(pk=proposal.pk))
    if locked.status != P.PENDING:
        raise DomainError("proposal_not_pending")
    return locked


@transaction.atomic
def update_proposal(*, proposal: Proposal, by, title: str, description: str, when: str,
                    languages, cost: str, cost_cents: int | None = None) -> Proposal:
    """A coordinator corrects a pending proposal before deciding (typos, a clearer title)."""
    values = _clean(title=title, description=description, when=when, languages=languages,
                    cost=cost, cost_cents=cost_cents)
    locked = _lock_pending(proposal)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    return locked


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, person: Person, by) -> Proposal:
    """The proposer takes back a proposal nobody has decided on yet."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.proposer_id != person.pk or locked.initiative_id != person.initiative_id:
        raise DomainError("proposal_not_yours")
    if locked.status != P.PENDING:
        raise DomainError("proposal_not_pending")
    locked.status = P.WITHDRAWN
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    return locked


def _claim(proposal: Proposal, *, status: str, by, response: str) -> Proposal:
    """Lock the row and move it from pending to `status`, once. The conditional update is the
    guard that holds on every database: a second claim updates no row and is refused."""
    locked = _lock_pending(proposal)
    now = timezone.now()
    claimed = Proposal.objects.filter(pk=locked.pk, status=P.PENDING).update(
        status=status, decided_at=now, decided_by=by, response=response,
    )
    if claimed != 1:
        raise DomainError("proposal_not_pending")
    locked.status, locked.decided_at, locked.decided_by, locked.response = status, now, by, response
    return locked


@transaction.atomic
def approve_proposal(*, proposal: Proposal, by, response: str = "") -> Proposal:
    """Approve: a DRAFT activity in the proposer's language with their languages and cost, the
    proposer as organiser (and, with a login, the organiser role). Returns the proposal with
    `activity` set; the coordinator then gives the draft its time and place."""
    response = _response(response, required=False)
    locked = _claim(proposal, status=P.APPROVED, by=by, response=response)
    initiative = locked.initiative
    proposer = locked.proposer
    if proposer is not None and proposer.anonymised_at is not None:
        proposer = None
    language = message_language(proposer, initiative)
    activity = services.create_activity(
        initiative=initiative, by=by,
        title={language: locked.title},
        description={language: locked.description},
        first_start=_placeholder_start(initiative),
        materialise=False,  # no sessions until the coordinator has set the real time
        kind=Activity.Kind.REGULAR, format=Format.OTHER,
        languages_spoken=locked.languages, cost=locked.cost, cost_cents=locked.cost_cents,
        audience=Activity.Audience.OPEN, status=Activity.Status.DRAFT,
        organisers=[proposer] if proposer is not None else [],
    )
    Proposal.objects.filter(pk=locked.pk).update(activity=activity)
    locked.activity = activity
    if proposer is not None and proposer.user_id is not None:
        _grant_organiser(proposer, by=by)
    _notify_decision(locked)
    return locked


@transaction.atomic
def decline_proposal(*, proposal: Proposal, by, response: str) -> Proposal:
    """Decline with a message to the proposer (required: a bare "no" helps nobody)."""
    response = _response(response, required=True)
    locked = _claim(proposal, status=P.DECLINED, by=by, response=response)
    _notify_decision(locked)
    return locked


def _grant_organiser(person: Person, *, by) -> None:
    current = set(Role.objects.filter(initiative_id=person.initiative_id, user_id=person.user_id)
                  .values_list("name", flat=True))
    if Role.Name.ORGANISER in current:
        return
    # change_roles makes the assignable roles exactly these (and writes the audit rows).
    change_roles(person=person, by=by,
                 roles=(current & set(ASSIGNABLE_ROLES)) | {Role.Name.ORGANISER})


def _placeholder_start(initiative: Initiative) -> dt.datetime:
    tz = recurrence.zone(initiative.time_zone)
    day = timezone.localtime(timezone.now(), tz).date() + dt.timedelta(days=DRAFT_DAYS_AHEAD)
    return recurrence.from_local_naive(dt.datetime.combine(day, dt.time(DRAFT_HOUR, 0)), tz)


def message_language(person: Person | None, initiative: Initiative) -> str:
    """The person's preferred language, else the meeting place's first site language."""
    site = {code for code, _label in settings.LANGUAGES}
    if person is not None and person.preferred_language in site:
        return person.preferred_language
    for code in initiative.languages or ():
        if code in site:
            return code
    return settings.LANGUAGE_CODE


def forget_proposals_before_erase(person: Person) -> None:
    """Erasure (privacy rule 5): a person's proposals are their own words and go with them. An
    activity an approval made stays (it belongs to the place now) and keeps no link back."""
    Proposal.objects.filter(initiative_id=person.initiative_id, proposer=person).delete()


def export_proposals(person: Person) -> dict:
    """people.hooks: the person's own proposals, for their data export."""
    rows = Proposal.objects.filter(initiative_id=person.initiative_id, proposer=person)
    return {"proposals": [
        {"title": p.title, "description": p.description, "when": p.when,
         "languages": list(p.languages), "cost": p.cost, "cost_cents": p.cost_cents,
         "status": p.status, "response": p.response,
         "proposed_at": p.created_at.isoformat(),
         "decided_at": p.decided_at.isoformat() if p.decided_at else None}
        for p in rows.order_by("created_at", "id")
    ]}


# --- Telling the proposer -----------------------------------------------------------------------

def _notify_decision(proposal: Proposal) -> None:
    """Email after commit, only if the proposer gave an address; the proposals page shows the
    decision anyway. The email speaks the proposer's language, not the coordinator's."""
    person = proposal.proposer
    if person is None or not person.email or person.anonymised_at is not None:
        return
    proposal_id = proposal.pk
    language = message_language(person, proposal.initiative)

    def send() -> None:
        with translation.override(language):
            _send_decision_email(proposal_id)

    transaction.on_commit(send, robust=True)


def _send_decision_email(proposal_id: int) -> None:
    proposal = (Proposal.objects.select_related("proposer", "initiative")
                .filter(pk=proposal_id, status__in=[P.APPROVED, P.DECLINED]).first())
    if proposal is None or proposal.proposer is None or not proposal.proposer.email:
        return
    initiative = proposal.initiative
    values = {"title": proposal.title, "place": initiative.name}
    if proposal.status == P.APPROVED:
        subject = _("Your idea is approved: %(title)s") % values
        body = _(
            "Good news: the coordinators of %(place)s like your idea “%(title)s”. "
            "They will now plan a time and a place with you, and you are one of its organisers."
        ) % values
    else:
        subject = _("About your idea: %(title)s") % values
        body = _(
            "Thank you for your idea “%(title)s”. The coordinators of %(place)s "
            "cannot make it happen this time."
        ) % values
    if proposal.response:
        body += "\n\n" + _("Their message to you:") + "\n" + proposal.response
    path = reverse("activities:my-proposals", kwargs={"initiative_slug": initiative.slug})
    base_url = getattr(settings, "VERBINDING_BASE_URL", "").rstrip("/")
    body += "\n\n" + _("See your proposals: %(url)s") % {"url": base_url + path}
    send_mail(subject=subject, message=body, from_email=None,
              recipient_list=[proposal.proposer.email])
