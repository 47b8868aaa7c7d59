"""Reads of core data."""

from __future__ import annotations

from django.db.models import QuerySet

from verbinding.core.models import Initiative


def list_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.order_by("name", "id")
