import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login attempt counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """These tests read English messages; tests/people/test_translations.py checks nl and ar."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})
