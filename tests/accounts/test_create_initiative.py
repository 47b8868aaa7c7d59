"""The create_initiative command: an operator sets up a meeting place and its coordinator."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from verbinding.accounts.models import Role, User
from verbinding.core.models import Initiative
from verbinding.people.models import Person


@pytest.mark.django_db
def test_create_initiative_makes_the_place_a_coordinator_and_their_person(monkeypatch, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("a-long-passphrase\n", encoding="utf-8")
    call_command("create_initiative", "--name", "De Voorkamer", "--slug", "voorkamer",
                 "--coordinator", "anna", "--languages", "nl,ar", "--time-zone", "Europe/Amsterdam",
                 "--password-file", str(secret))
    initiative = Initiative.objects.get(slug="voorkamer")
    assert initiative.languages == ["nl", "ar"]
    user = User.objects.get(username="anna")
    assert user.check_password("a-long-passphrase")
    assert set(Role.objects.filter(user=user, initiative=initiative)
               .values_list("name", flat=True)) == {"coordinator", "member"}
    assert Person.objects.filter(user=user, initiative=initiative).count() == 1


@pytest.mark.django_db
def test_create_initiative_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("VERBINDING_COORDINATOR_PASSWORD", "482915")
    call_command("create_initiative", "--name", "Huiskamer", "--slug", "huiskamer",
                 "--coordinator", "bert")
    assert User.objects.get(username="bert").check_password("482915")


@pytest.mark.django_db
def test_create_initiative_rejects_a_duplicate_slug_and_writes_nothing(monkeypatch, initiative):
    monkeypatch.setenv("VERBINDING_COORDINATOR_PASSWORD", "a-long-passphrase")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_initiative", "--name", "Again", "--slug", "voorkamer",
                     "--coordinator", "carla")
    assert not User.objects.filter(username="carla").exists()
    assert Initiative.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("args,message", [
    (["--slug", "bad slug!"], "slug"),
    (["--languages", "nl,xx"], "languages"),
    (["--time-zone", "Mars/Olympus"], "time zone"),
    (["--coordinator", "has space"], "coordinator"),
])
def test_create_initiative_rejects_bad_arguments(monkeypatch, args, message):
    monkeypatch.setenv("VERBINDING_COORDINATOR_PASSWORD", "a-long-passphrase")
    base = {"--name": "Plek", "--slug": "plek", "--coordinator": "dina"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        call_command("create_initiative", *[x for pair in base.items() for x in pair])
    assert not Initiative.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_create_initiative_rejects_a_taken_login_name_and_a_weak_password(monkeypatch, coordinator):
    monkeypatch.setenv("VERBINDING_COORDINATOR_PASSWORD", "a-long-passphrase")
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_initiative", "--name", "Plek", "--slug", "plek", "--coordinator", "coco")
    monkeypatch.setenv("VERBINDING_COORDINATOR_PASSWORD", "123456")
    with pytest.raises(CommandError, match="Password not accepted"):
        call_command("create_initiative", "--name", "Plek", "--slug", "plek", "--coordinator", "eva")
    assert not Initiative.objects.filter(slug="plek").exists()
    assert not User.objects.filter(username="eva").exists()
