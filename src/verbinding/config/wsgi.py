"""WSGI entry point (gunicorn verbinding.config.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verbinding.config.settings")
application = get_wsgi_application()
