"""SCAFFOLD: placeholder views, replaced by the real ones in this session."""

from django.http import HttpResponse


def person_list(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("person_list")


def person_detail(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("person_detail")


def person_roles(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("person_roles")


def partner_list(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("partner_list")


def partner_toggle(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("partner_toggle")


def audit_log(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("audit_log")

