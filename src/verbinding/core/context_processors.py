"""Template context shared by every page: the current initiative."""

from __future__ import annotations


def initiative(request):
    return {"initiative": getattr(request, "initiative", None)}
