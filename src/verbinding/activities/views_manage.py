"""SCAFFOLD: placeholder views, replaced by the real ones in this session."""

from django.http import HttpResponse


def activity_list(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("activity_list")


def activity_create(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("activity_create")


def activity_edit(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("activity_edit")


def activity_sessions(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("activity_sessions")


def session_cancel(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("session_cancel")


def session_move(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("session_move")

