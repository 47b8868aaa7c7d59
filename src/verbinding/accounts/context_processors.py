"""Template context: the visitor's roles in the current initiative (for showing menus only)."""

from __future__ import annotations

from verbinding.accounts.access import roles_for


def roles(request):
    return {"my_roles": roles_for(request.user, getattr(request, "initiative", None))}
