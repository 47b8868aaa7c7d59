"""SCAFFOLD: placeholder views, replaced by the real ones in this session."""

from django.http import HttpResponse


def session_signup(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("session_signup")


def session_cancel_signup(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("session_cancel_signup")


def project_enrol(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("project_enrol")


def project_leave(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("project_leave")


def session_registrations(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("session_registrations")


def my_signups(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("my_signups")


def my_ics(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("my_ics")

