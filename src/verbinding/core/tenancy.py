"""Tenancy: every tenant URL starts with /<initiative_slug>/ and every query is scoped to it.

The middleware resolves the slug once, puts the Initiative on `request.initiative`, removes the
slug from the view's kwargs (views get the object, not the string) and activates the
initiative's time zone so dates render in local time. An unknown slug is a 404.
"""

from __future__ import annotations

import zoneinfo

from django.http import Http404
from django.utils import timezone

from verbinding.core.models import Initiative


class InitiativeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.initiative = None
        response = self.get_response(request)
        timezone.deactivate()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.pop("initiative_slug", None)
        if slug is None:
            return None
        try:
            initiative = Initiative.objects.get(slug=slug)
        except Initiative.DoesNotExist:
            raise Http404 from None
        request.initiative = initiative
        try:
            timezone.activate(zoneinfo.ZoneInfo(initiative.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo("Europe/Amsterdam"))
        return None
