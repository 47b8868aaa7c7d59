"""The QR code of a personal card, as inline SVG (segno, no image file, no third party).

The code holds the card's random token and nothing else: no name, no id, no URL. Error
correction is at least "M" (segno raises it when it fits in the same size), and the four-module
quiet zone is part of the drawing, so a cheap camera or a keyboard-wedge scanner reads it.
"""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(token: str) -> SafeString:
    code = segno.make(token, error="m", micro=False, boost_error=True)
    # omitsize: the SVG keeps its viewBox and CSS gives it its printed size (millimetres).
    svg = code.svg_inline(omitsize=True, light="#fff", dark="#000", border=4,
                          svgclass="card-qr", lineclass=None)
    return mark_safe(svg)  # noqa: S308 — segno's own markup; the token only shapes the path
