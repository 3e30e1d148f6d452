"""WSGI entry point for `dateline serve` (granian) or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.prod")
django_application = get_wsgi_application()

# Imported after Django is set up: it uses models and the cache.
from dateline.serving.fastpath import FastPageCache  # noqa: E402

application = FastPageCache(django_application)
