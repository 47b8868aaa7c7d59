"""Group and gender never appear on a public page (privacy rule 2).

Walks every URL pattern that needs nothing but the initiative slug and GETs it as an anonymous
visitor, while members with a self-description exist and are signed up for a public session.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import person_of
from tests.factories import SessionFactory
from verbinding.attendance.models import Registration
from verbinding.people.models import SelfDescription


def labels() -> list[str]:
    """Group and gender labels in the active language, and their stored values. "Man" is left
    out: as a bare word it is also the start of ordinary words ("Manage", "Mandarijn")."""
    found = [str(label) for value, label in
             SelfDescription.Group.choices + SelfDescription.Gender.choices
             if value not in ("unspecified", "man")]
    return [*found, "newcomer", "non_binary"]


def tenant_urls_without_objects():
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    urls = []
    for name in names:
        try:
            urls.append(reverse(name, kwargs={"initiative_slug": "voorkamer"}))
        except Exception:  # noqa: S112 - patterns that need an object id are not walked here
            continue
    return sorted(set(urls))


@pytest.mark.django_db
def test_no_public_page_shows_anyones_group_or_gender(client, initiative, newcomer, local):
    session = SessionFactory(activity__initiative=initiative)
    for user in (newcomer, local):
        Registration.objects.create(initiative=initiative, activity=session.activity,
                                    session=session, person=person_of(user, initiative))
    urls = tenant_urls_without_objects()
    assert reverse("people:join", kwargs={"initiative_slug": "voorkamer"}) in urls
    pages = [*urls, reverse("activities:activity-detail", kwargs={"initiative_slug": "voorkamer", "pk": session.activity.pk})]
    checked = 0
    for address in pages:
        response = client.get(address)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            ("text/html", "text/calendar")
        ):
            continue
        checked += 1
        text = response.content.decode()
        assert [label for label in labels() if label in text] == [], address
    assert checked >= 3
