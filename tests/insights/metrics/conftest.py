"""The metrics core is pure Python + NumPy: these tests need no database or settings.

Repository-wide autouse fixtures (tests/conftest.py) adjust Django settings through
pytest-django's `settings` fixture. Here a plain namespace stands in for it, so this
directory runs the same with and without the Django plugin (`-p no:django`), and
nothing in it can depend on Django by accident.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture
def settings():
    return SimpleNamespace()
