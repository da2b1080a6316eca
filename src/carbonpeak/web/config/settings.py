"""Django settings for carbonpeak, read from the environment.

Variables: ``DATABASE_URL``, ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS``, ``CSRF_TRUSTED_ORIGINS``,
``CARBONPEAK_DATA_DIR`` and ``CARBONPEAK_MAX_UPLOAD_MB``. See ``docs/configuration.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from carbonpeak.web.config import env

WEB_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.env_bool("DEBUG", False)
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "carbonpeak.web.portal",
    "carbonpeak.web.reference",
    "carbonpeak.web.plan",
    "carbonpeak.web.inventory",
    "carbonpeak.web.buildings",
    "carbonpeak.web.projection",
    "carbonpeak.web.tracking",
    "carbonpeak.web.renewables",
    "carbonpeak.web.areas",
    "carbonpeak.web.waste",
    "carbonpeak.web.credits",
    "carbonpeak.web.spatial",
    "carbonpeak.web.flex",
    "carbonpeak.web.newbuildings",
    "carbonpeak.web.retrofits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "carbonpeak.web.portal.middleware.ChineseFirstLocaleMiddleware",
    "carbonpeak.web.portal.middleware.NoPlanMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "carbonpeak.web.config.urls"
WSGI_APPLICATION = "carbonpeak.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carbonpeak.web.portal.context_processors.platform",
            ],
        },
    },
]

DATABASES = {"default": env.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

MAX_UPLOAD_MB = int(os.environ.get("CARBONPEAK_MAX_UPLOAD_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CARBONPEAK_LOG_LEVEL", "WARNING")},
}

PLATFORM_NAME = _("carbonpeak")

# Building readings: the spike rule and its parameters (see carbonpeak.core.buildings.readings).
BUILDINGS_SPIKE_RULE = os.environ.get("CARBONPEAK_SPIKE_RULE", "median_multiple")
BUILDINGS_SPIKE_PARAMS: dict[str, float] = {
    "factor": float(os.environ.get("CARBONPEAK_SPIKE_FACTOR", "10")),
    "window": 96,
}
# The weather station whose degree-days normalise building energy; empty: the only station loaded.
BUILDINGS_WEATHER_STATION = os.environ.get("CARBONPEAK_WEATHER_STATION", "")

# Target tracking: evidence files of reported values, and reminder e-mails (see docs/tracking.md).
TRACKING_EVIDENCE_MAX_MB = int(os.environ.get("CARBONPEAK_EVIDENCE_MAX_MB", "10"))
EMAIL_BACKEND = os.environ.get("CARBONPEAK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "carbonpeak@localhost")
