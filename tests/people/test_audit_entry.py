"""The audit log is append-only: the app cannot change or delete a row."""

from __future__ import annotations

import pytest

from verbinding.core.models import AuditEntry


@pytest.fixture
def entry(initiative, coordinator):
    return AuditEntry.objects.create(initiative=initiative, actor=coordinator,
                                     action="profile_view", subject_person_id=1, view="x")


@pytest.mark.django_db
def test_an_audit_row_cannot_be_saved_again(entry):
    entry.view = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).view == "x"


@pytest.mark.django_db
def test_an_audit_row_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_audit_rows_cannot_be_updated_or_deleted_in_bulk(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(view="changed")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).view == "x"
