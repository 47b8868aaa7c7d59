"""Django settings for verbinding: one module, every value from the environment (see env.py).

Development defaults are safe to run locally; production sets VERBINDING_SECRET_KEY,
VERBINDING_DEBUG=0, VERBINDING_ALLOWED_HOSTS and DATABASE_URL (see .env.example).
"""

from __future__ import annotations

import sys
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from verbinding.config import env

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src" / "verbinding"

DEBUG = env.get_bool("VERBINDING_DEBUG", False)
# Under pytest: plain static storage (no collectstatic needed) and plain-HTTP cookies.
TESTING = env.get_bool("VERBINDING_TESTING", "pytest" in sys.modules)
_DEV_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env.get_str("VERBINDING_SECRET_KEY", _DEV_KEY)
ALLOWED_HOSTS = env.get_list("VERBINDING_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.get_list("VERBINDING_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "verbinding.core",
    "verbinding.accounts",
    "verbinding.people",
    "verbinding.activities",
    "verbinding.attendance",
    "verbinding.door",
    "verbinding.welcome",
    "verbinding.organising",
    "verbinding.volunteers",
    "verbinding.matching",
    "verbinding.exchange",
    "verbinding.surveys",
    "verbinding.insights",
    "verbinding.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "verbinding.core.tenancy.InitiativeMiddleware",
]

ROOT_URLCONF = "verbinding.config.urls"
WSGI_APPLICATION = "verbinding.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "verbinding.core.context_processors.initiative",
                "verbinding.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.parse_database_url(
        env.get_str("DATABASE_URL", "sqlite:///var/db.sqlite3"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "verbinding.accounts.validators.PasswordOrPinValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Argon2 is not installed on every target; PBKDF2 is Django's audited default.
PASSWORD_HASHERS = env.get_list(
    "VERBINDING_PASSWORD_HASHERS", ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)

CACHES = {
    "default": {
        "BACKEND": env.get_str(
            "VERBINDING_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": env.get_str("VERBINDING_CACHE_LOCATION", "verbinding"),
    }
}

# --- Languages ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
LANGUAGE_COOKIE_NAME = "verbinding_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [SRC_DIR / "config" / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["verbinding.config.formats"]
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"

# --- Static files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 30

# --- Security ------------------------------------------------------------------------
_HTTPS = env.get_bool("VERBINDING_HTTPS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
LANGUAGE_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env.get_bool("VERBINDING_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _HTTPS else None
SECURE_HSTS_SECONDS = env.get_int("VERBINDING_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Strict CSP: no inline script or style, no third-party origin. Inline <script> needs the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- Product settings ----------------------------------------------------------------
# Sessions of an open-ended rule are materialised this many days ahead (a nightly
# `materialise_sessions` run keeps the window rolling).
VERBINDING_MATERIALISE_DAYS = env.get_int("VERBINDING_MATERIALISE_DAYS", 182)
VERBINDING_MAX_SESSIONS_PER_RULE = env.get_int("VERBINDING_MAX_SESSIONS_PER_RULE", 400)
VERBINDING_LOGIN_ATTEMPTS = env.get_int("VERBINDING_LOGIN_ATTEMPTS", 10)
VERBINDING_LOGIN_WINDOW_SECONDS = env.get_int("VERBINDING_LOGIN_WINDOW_SECONDS", 900)
# Background work (team-formation runs, insight recomputes) goes through Django's tasks
# framework (the django-tasks backport): in production the database backend, worked off by
# `manage.py db_worker`; under pytest tasks run at once, in the request that enqueues them.
TASKS = {
    "default": {
        "BACKEND": env.get_str(
            "VERBINDING_TASK_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# Failed card scans a kiosk may make per window before it has to wait (forged-token guessing).
VERBINDING_KIOSK_SCAN_ATTEMPTS = env.get_int("VERBINDING_KIOSK_SCAN_ATTEMPTS", 20)
VERBINDING_KIOSK_SCAN_WINDOW_SECONDS = env.get_int("VERBINDING_KIOSK_SCAN_WINDOW_SECONDS", 600)
VERBINDING_INACTIVE_MONTHS = env.get_int("VERBINDING_INACTIVE_MONTHS", 24)
VERBINDING_HISTORY_MONTHS = env.get_int("VERBINDING_HISTORY_MONTHS", 12)
# Coordinators, organisers and hosts need a verified second factor (TOTP) for staff views.
VERBINDING_REQUIRE_STAFF_2FA = env.get_bool("VERBINDING_REQUIRE_STAFF_2FA", True)

EMAIL_BACKEND = env.get_str(
    "VERBINDING_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.get_str("VERBINDING_FROM_EMAIL", "verbinding@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("VERBINDING_LOG_LEVEL", "WARNING")},
}
