import pytest


@pytest.fixture
def client():
    """These tests read English messages; test_translations.py checks Dutch and Arabic."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})
