"""Fixtures for the tests that call the WSGI application directly."""

import pytest
from django.core import signals
from django.db import close_old_connections

from tests.core.wsgi import fast_page_cache


@pytest.fixture
def fast_app():
    """As Django's test client does: keep the test's transaction open across requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield fast_page_cache()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
