"""SCAFFOLD: placeholder views, replaced by the real ones in this session."""

from django.http import HttpResponse


def join(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("join")


def profile(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("profile")


def languages(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("languages")


def self_description(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("self_description")


def export_json(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("export_json")


def export_csv(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("export_csv")


def erase(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("erase")

