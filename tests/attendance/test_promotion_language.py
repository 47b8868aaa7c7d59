"""The "you moved up" email speaks the moved-up person's language, not the canceller's."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.attendance.conftest import make_people, make_project
from tests.conftest import person_of
from verbinding.attendance import services
from verbinding.people.models import Person


def fill(session, initiative, *, waiting_language):
    first, second, waiting = make_people(initiative, 3)
    Person.objects.filter(pk=waiting.pk).update(
        email="waiting@example.org", preferred_language=waiting_language
    )
    for person in (first, second, waiting):
        services.sign_up(session=session, person=person, by=None)
    return first


def test_an_arabic_preferring_person_gets_the_email_in_arabic_while_the_canceller_reads_dutch(
    initiative, small_session, local, mailoutbox, django_capture_on_commit_callbacks
):
    services.sign_up(session=small_session, person=person_of(local, initiative), by=None)
    waiting, = make_people(initiative, 1)
    Person.objects.filter(pk=waiting.pk).update(email="w@example.org", preferred_language="ar")
    filler, = make_people(initiative, 1, prefix="Vol")
    services.sign_up(session=small_session, person=filler, by=None)
    services.sign_up(session=small_session, person=waiting, by=None)
    client = Client(headers={"accept-language": "nl"})
    client.force_login(local)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attendance:session-cancel-signup",
                                       kwargs={"initiative_slug": "voorkamer",
                                               "pk": small_session.pk}))
    assert response.status_code == 302
    # The canceller was answered in Dutch…
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Je bent afgemeld. Fijn dat je het laat weten."]
    # …and the person who moved up reads Arabic.
    [mail] = mailoutbox
    assert mail.to == ["w@example.org"]
    assert mail.subject == "لك مكان: مقهى اللغة"
    assert "خبر سار" in mail.body
    assert "Good news" not in mail.body and "Goed nieuws" not in mail.body


def test_a_dutch_preferring_person_gets_dutch_while_the_canceller_browses_arabic(
    initiative, small_session, mailoutbox, django_capture_on_commit_callbacks
):
    first = fill(small_session, initiative, waiting_language="nl")
    with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
        services.cancel_sign_up(session=small_session, person=first, by=None)
    [mail] = mailoutbox
    assert mail.subject == "Je hebt een plek: Taalcafé"
    assert "Goed nieuws" in mail.body


def test_without_a_preference_the_email_uses_the_meeting_places_first_language(
    initiative, small_session, mailoutbox, django_capture_on_commit_callbacks
):
    initiative.languages = ["ar", "nl"]
    initiative.save()
    first = fill(small_session, initiative, waiting_language="")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.cancel_sign_up(session=small_session, person=first, by=None)
    [mail] = mailoutbox
    assert mail.subject.startswith("لك مكان")


def test_a_project_promotion_email_is_in_the_persons_language(
    initiative, mailoutbox, django_capture_on_commit_callbacks
):
    project = make_project(initiative, capacity=1)
    first, waiting = make_people(initiative, 2)
    Person.objects.filter(pk=waiting.pk).update(email="w@example.org", preferred_language="ar")
    services.enrol(activity=project, person=first, by=None)
    services.enrol(activity=project, person=waiting, by=None)
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        services.leave(activity=project, person=first, by=None)
    [mail] = mailoutbox
    assert "مشروع" in mail.body
