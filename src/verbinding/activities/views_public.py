"""SCAFFOLD: placeholder views, replaced by the real ones in this session."""

from django.http import HttpResponse


def calendar(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("calendar")


def week(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("week")


def activity_detail(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("activity_detail")


def calendar_ics(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("calendar_ics")


def activity_ics(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("activity_ics")

