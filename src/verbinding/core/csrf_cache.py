"""Cached HTML and CSRF tokens: take the tokens out before storing, put the viewer's back in.

A cached fragment with forms carries the CSRF token of whoever rendered it first. Django masks
the token differently on every render (and every masked form of a user's secret is valid), so
the stored HTML gets a placeholder wherever the `{% csrf_token %}` input was, and a hit gets
the current request's token. Only the exact input Django's tag writes is touched.
"""

from __future__ import annotations

import re

_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_PLACEHOLDER = "\x00csrf\x00"


def without_tokens(html: str) -> str:
    return _INPUT.sub(lambda m: m.group(1) + _PLACEHOLDER + m.group(2), html)


def with_token(html: str, token: str) -> str:
    return html.replace(_PLACEHOLDER, token)
