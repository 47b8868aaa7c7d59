"""A coordinator edits their initiative's own settings; nobody else can, and bad input writes
nothing. The tagline and opening hours appear, escaped, on the public calendar."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.conftest import make_user
from verbinding.accounts import services
from verbinding.core.errors import DomainError
from verbinding.core.models import Initiative

HOSTILE = "<script>alert(1)</script>\u202eevil"


def settings_url(initiative) -> str:
    return reverse("accounts:initiative-settings", kwargs={"initiative_slug": initiative.slug})


def calendar_url(initiative) -> str:
    return reverse("activities:calendar", kwargs={"initiative_slug": initiative.slug})


def valid_post(**changes) -> dict:
    data = {
        "name": "De Voorkamer Lombok", "address": "Kanaalstraat 12, Utrecht",
        "district": "Lombok-Oost", "time_zone": "Europe/Amsterdam",
        "languages": ["nl", "ar"], "main_language": "nl",
        "tagline_nl": "Iedereen welkom", "tagline_en": "Everyone welcome",
        "tagline_ar": "أهلاً بالجميع",
        "opening_hours_nl": "Di–vr 10:00–17:00\r\nZa 12:00–16:00",
        "opening_hours_en": "", "opening_hours_ar": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def snapshot(initiative) -> dict:
    row = Initiative.objects.get(pk=initiative.pk)
    return {field: getattr(row, field) for field in (
        "name", "slug", "address", "district", "time_zone", "languages", "tagline",
        "opening_hours")}


# --- Who may --------------------------------------------------------------------------------

def test_an_anonymous_visitor_is_sent_to_login(client, initiative):
    for response in (client.get(settings_url(initiative)),
                     client.post(settings_url(initiative), valid_post())):
        assert response.status_code == 302
        assert "/voorkamer/login/" in response["Location"]
    assert snapshot(initiative)["name"] == "De Voorkamer"


@pytest.mark.parametrize("persona", ["organiser", "host", "kiosk", "partner", "newcomer", "local"])
def test_everyone_but_a_coordinator_is_refused(client, initiative, persona, request):
    before = snapshot(initiative)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(settings_url(initiative)).status_code == 403
    assert client.post(settings_url(initiative), valid_post()).status_code == 403
    assert snapshot(initiative) == before


def test_a_coordinator_of_another_initiative_cannot_edit_this_one(
    client, initiative, other_initiative, outsider
):
    before = snapshot(initiative)
    client.force_login(outsider)
    assert client.get(settings_url(initiative)).status_code == 403
    assert client.post(settings_url(initiative), valid_post()).status_code == 403
    assert snapshot(initiative) == before
    # …while their own initiative's page opens and saves only their own initiative.
    response = client.post(settings_url(other_initiative), valid_post(name="De Huiskamer 2"))
    assert response.status_code == 302
    assert snapshot(other_initiative)["name"] == "De Huiskamer 2"
    assert snapshot(initiative) == before


def test_a_coordinator_without_a_second_factor_is_sent_to_set_it_up(client, initiative,
                                                                      coordinator, settings):
    settings.VERBINDING_REQUIRE_STAFF_2FA = True
    client.force_login(coordinator)
    response = client.get(settings_url(initiative))
    assert response.status_code == 302
    assert "/voorkamer/account/two-factor/" in response["Location"]


# --- Editing --------------------------------------------------------------------------------

def test_the_coordinator_sees_the_current_settings_and_the_slug_read_only(
    client, initiative, coordinator, django_assert_max_num_queries
):
    initiative.tagline = {"nl": "Koffie staat klaar"}
    initiative.opening_hours = {"ar": "الثلاثاء ١٠–١٧"}
    initiative.save()
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(settings_url(initiative))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="De Voorkamer"' in html
    assert "Koffie staat klaar" in html
    assert "الثلاثاء ١٠–١٧" in html
    assert 'name="slug"' not in html
    assert 'value="http://testserver/voorkamer/" readonly' in html
    assert '<option value="Europe/Amsterdam" selected>' in html


def test_a_coordinator_saves_every_setting(client, initiative, coordinator):
    client.force_login(coordinator)
    response = client.post(settings_url(initiative), valid_post(
        time_zone="Europe/Brussels", languages=["nl", "en", "ar"], main_language="ar",
    ))
    assert response.status_code == 302
    assert response["Location"] == settings_url(initiative)
    after = snapshot(initiative)
    assert after == {
        "name": "De Voorkamer Lombok", "slug": "voorkamer", "address": "Kanaalstraat 12, Utrecht",
        "district": "Lombok-Oost", "time_zone": "Europe/Brussels", "languages": ["ar", "nl", "en"],
        "tagline": {"nl": "Iedereen welkom", "en": "Everyone welcome", "ar": "أهلاً بالجميع"},
        "opening_hours": {"nl": "Di–vr 10:00–17:00\nZa 12:00–16:00"},
    }
    page = client.get(response["Location"]).content.decode()
    assert "The settings of the meeting place are saved." in page


def test_a_posted_slug_is_ignored(client, initiative, coordinator):
    client.force_login(coordinator)
    client.post(settings_url(initiative), valid_post(slug="elders"))
    assert snapshot(initiative)["slug"] == "voorkamer"
    assert snapshot(initiative)["name"] == "De Voorkamer Lombok"


def test_the_main_language_comes_first_and_others_keep_the_site_order(client, initiative,
                                                                      coordinator):
    client.force_login(coordinator)
    client.post(settings_url(initiative), valid_post(languages=["ar", "en", "nl"],
                                                     main_language="en"))
    assert snapshot(initiative)["languages"] == ["en", "nl", "ar"]


def test_the_main_language_sets_the_fallback_for_a_missing_text(client, initiative, coordinator):
    client.force_login(coordinator)
    client.post(settings_url(initiative), valid_post(
        languages=["nl", "ar"], main_language="ar", tagline_nl="Welkom", tagline_en="",
        tagline_ar="أهلاً"))
    english = client.get(calendar_url(initiative), headers={"accept-language": "en"})
    assert "أهلاً" in english.content.decode()
    assert "Welkom" not in english.content.decode()


# --- Bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": HOSTILE}, "name", "simple punctuation only"),
    ({"name": "De Voorkamer\u202e"}, "name", "simple punctuation only"),
    ({"address": "Straat <b>1</b>"}, "address", "simple punctuation only"),
    ({"district": "Lombok\x00"}, "district", "simple punctuation only"),
    ({"tagline_ar": "أهلاً\u202eevil"}, "tagline_ar", "invisible control character"),
    ({"opening_hours_nl": "Di\u202e 10:00"}, "opening_hours_nl", "invisible control character"),
    ({"name": ""}, "name", "This field is required"),
    ({"name": "   "}, "name", "This field is required"),
    ({"name": None}, "name", "This field is required"),
    ({"name": "x" * 10_000}, "name", "at most 120 characters"),
    ({"address": "x" * 10_000}, "address", "at most 200 characters"),
    ({"district": "x" * 10_000}, "district", "at most 120 characters"),
    ({"tagline_nl": "x" * 10_000}, "tagline_nl", "at most 200 characters"),
    ({"opening_hours_en": "x" * 10_000}, "opening_hours_en", "at most 1000 characters"),
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Choose a time zone from the list."),
    ({"time_zone": "../../etc/passwd"}, "time_zone", "Choose a time zone from the list."),
    ({"time_zone": "x" * 10_000}, "time_zone", "Choose a time zone from the list."),
    ({"time_zone": None}, "time_zone", "This field is required"),
    ({"languages": None}, "languages", "Tick at least one language."),
    ({"languages": []}, "languages", "Tick at least one language."),
    ({"languages": ["nl", "fr"]}, "languages", "Choose languages from the list."),
    ({"languages": ["<script>"]}, "languages", "Choose languages from the list."),
    ({"main_language": "fr"}, "main_language", "Choose languages from the list."),
    ({"main_language": "en"}, "main_language", "Tick the main language among the languages too."),
    ({"main_language": None}, "main_language", "This field is required"),
])
def test_bad_input_gives_a_clear_error_and_writes_nothing(
    client, initiative, coordinator, changes, field, message
):
    before = snapshot(initiative)
    client.force_login(coordinator)
    response = client.post(settings_url(initiative), valid_post(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    assert snapshot(initiative) == before
    html = response.content.decode()
    assert escape(message) in html
    assert "<script>alert(1)</script>" not in html


def test_errors_are_translated_into_dutch_and_arabic(client, initiative, coordinator):
    client.force_login(coordinator)
    for lang, expected in (("nl", "Vink minstens één taal aan."),
                           ("ar", "اختر لغة واحدة على الأقل.")):
        response = client.post(settings_url(initiative), valid_post(languages=[]),
                               headers={"accept-language": lang})
        assert expected in response.content.decode()


def test_hostile_text_in_the_tagline_and_opening_hours_is_shown_escaped_on_the_calendar(
    client, initiative, coordinator
):
    client.force_login(coordinator)
    response = client.post(settings_url(initiative), valid_post(
        tagline_nl="<script>alert(1)</script> welkom",
        opening_hours_nl="<img src=x onerror=alert(1)>\nZa 12:00",
    ))
    assert response.status_code == 302
    client.logout()
    html = client.get(calendar_url(initiative), headers={"accept-language": "nl"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; welkom" in html
    assert "&lt;img src=x onerror=alert(1)&gt;<br>Za 12:00" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_the_calendar_shows_the_opening_hours_with_a_clock(client, initiative):
    initiative.opening_hours = {"nl": "Dinsdag 10:00–17:00"}
    initiative.save()
    html = client.get(calendar_url(initiative), headers={"accept-language": "nl"}).content.decode()
    assert "Dinsdag 10:00–17:00" in html
    start = html.index('class="opening-hours')
    assert "#i-clock" in html[start:start + 300]


def test_the_calendar_shows_no_opening_hours_line_when_there_are_none(client, initiative):
    html = client.get(calendar_url(initiative)).content.decode()
    assert 'class="opening-hours' not in html


def test_the_settings_link_is_in_the_coordinators_manage_navigation(client, initiative,
                                                                    coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("people:manage-list", kwargs={"initiative_slug": initiative.slug}),
                      headers={"accept-language": "nl"}).content.decode()
    assert f'href="{settings_url(initiative)}"' in html
    assert "Instellingen van de ontmoetingsplek" in html
    page = client.get(settings_url(initiative)).content.decode()
    assert f'href="{settings_url(initiative)}" aria-current="page"' in page


# --- The service on its own -----------------------------------------------------------------

def service_kwargs(**changes) -> dict:
    kwargs = {
        "name": "De Voorkamer", "address": "", "district": "", "time_zone": "Europe/Amsterdam",
        "languages": ["nl"], "tagline": {}, "opening_hours": {},
    }
    kwargs.update(changes)
    return kwargs


@pytest.mark.parametrize(("changes", "code"), [
    ({"name": "  "}, "initiative_name_required"),
    ({"name": "x" * 121}, "initiative_text_too_long"),
    ({"address": "x" * 201}, "initiative_text_too_long"),
    ({"tagline": {"nl": "x" * 201}}, "initiative_text_too_long"),
    ({"opening_hours": {"ar": "x" * 1001}}, "initiative_text_too_long"),
    ({"time_zone": "Nowhere/Atlantis"}, "time_zone_unknown"),
    ({"time_zone": ""}, "time_zone_unknown"),
    ({"languages": []}, "languages_required"),
    ({"languages": ["nl", "xx"]}, "language_unknown"),
    ({"tagline": {"fr": "Bienvenue"}}, "language_unknown"),
])
def test_the_service_refuses_broken_rules_before_writing(initiative, coordinator, changes, code):
    before = snapshot(initiative)
    with pytest.raises(DomainError) as caught:
        services.update_initiative(initiative=initiative, by=coordinator,
                                   **service_kwargs(**changes))
    assert caught.value.code == code
    assert snapshot(initiative) == before


def test_the_service_drops_empty_texts_and_duplicate_languages(initiative, coordinator):
    services.update_initiative(initiative=initiative, by=coordinator, **service_kwargs(
        languages=["ar", "nl", "ar"], tagline={"nl": "  Welkom ", "en": "   ", "ar": ""},
    ))
    after = snapshot(initiative)
    assert after["languages"] == ["ar", "nl"]
    assert after["tagline"] == {"nl": "Welkom"}


def test_a_coordinator_of_two_initiatives_changes_only_the_one_in_the_url(
    client, initiative, other_initiative
):
    both = make_user(initiative, "beide", "coordinator", "member")
    from verbinding.accounts.models import Role

    Role.objects.create(initiative=other_initiative, user=both, name="coordinator")
    client.force_login(both)
    client.post(settings_url(other_initiative), valid_post(name="Nieuwe naam"))
    assert snapshot(other_initiative)["name"] == "Nieuwe naam"
    assert snapshot(initiative)["name"] == "De Voorkamer"
