"""SCAFFOLD: placeholder views, replaced by the real ones in this session."""

from django.http import HttpResponse


def login(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("login")


def verify_otp(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("verify_otp")


def logout(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("logout")


def two_factor_setup(request, *args, **kwargs):  # SCAFFOLD
    return HttpResponse("two_factor_setup")

