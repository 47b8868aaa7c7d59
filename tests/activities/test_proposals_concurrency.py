"""Two coordinators (or one double click) approving the same proposal at the same moment make
one draft activity, never two (real threads, real transactions). PostgreSQL only, like
tests/attendance/test_concurrency.py: SQLite test databases are in-memory and shared-cache, and
on SQLite files IMMEDIATE transactions serialise the two approvals anyway."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.conftest import make_user, person_of
from verbinding.activities import proposals
from verbinding.activities.models import Activity, Proposal
from verbinding.core.errors import DomainError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="needs a server database (see the module docstring)"),
]


def run_together(jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except DomainError as error:
            results.append(error.code)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_concurrent_approvals_and_declines_decide_a_proposal_once(initiative):
    member = make_user(initiative, "amal", "member")
    bosses = [make_user(initiative, f"boss{i}", "coordinator", "member") for i in range(4)]
    proposal = proposals.propose(
        initiative=initiative, proposer=person_of(member, initiative), by=member,
        title="Naaicafé", description="We naaien.", when="Vrijdag", languages=["nl"], cost="free",
    )
    jobs = [(lambda b=b: proposals.approve_proposal(proposal=proposal, by=b)) for b in bosses[:3]]
    jobs.append(lambda: proposals.decline_proposal(proposal=proposal, by=bosses[3], response="Nee"))
    results = run_together(jobs)
    assert sorted(map(str, results)).count("proposal_not_pending") == 3
    proposal.refresh_from_db()
    assert Activity.objects.count() == (1 if proposal.status == Proposal.Status.APPROVED else 0)
    assert proposal.decided_by in bosses
