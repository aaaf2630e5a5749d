"""Vitrine settings: one module, every value read from the environment.

Development defaults (SQLite, DEBUG on) need no configuration; with DEBUG off the
site refuses to start without SECRET_KEY and turns on the HTTPS protections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from showcase.core.env import env_bool, env_int, env_list, env_str
from showcase.core.origins import parse_origin

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-0123456789"

# ".localhost": localhost and its sub-domains (the demo's agency sites, RFC 6761).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [".localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Hosts that show the whole catalogue and the admin even when tenants exist (operators).
PLATFORM_HOSTS = env_list("PLATFORM_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
ADMIN_PATH = env_str("ADMIN_URL", "admin/").strip("/") + "/"
# The public address of the whole catalogue (single-site mode, PLATFORM_HOSTS), e.g.
# https://www.my-agency.fr: absolute links in e-mails, sitemaps and feeds are built on it
# (a tenant's on its primary domain), never on the Host header a request carries.
SITE_URL = env_str("SITE_URL", "")
if SITE_URL:
    if parse_origin(SITE_URL) is None:
        raise ImproperlyConfigured(
            f"SITE_URL must be an origin such as https://www.example.fr, not {SITE_URL!r}"
        )
    SITE_URL = str(parse_origin(SITE_URL))
# How long contact requests are kept (days); the privacy page states it.
LEADS_RETENTION_DAYS = env_int("LEADS_RETENTION_DAYS", 3 * 365)
# Saved-search alerts: how long a confirmation link works (seconds), listings per e-mail.
ALERTS_CONFIRM_MAX_AGE = env_int("ALERTS_CONFIRM_MAX_AGE", 3 * 24 * 3600)
ALERTS_MAX_ITEMS = env_int("ALERTS_MAX_ITEMS", 20)
# Where leads go when neither the listing, the agency nor the site has an address.
LEADS_FALLBACK_EMAIL = env_str("LEADS_FALLBACK_EMAIL", "")
# At most N messages per e-mail address (2N per IP address) per period of seconds.
LEADS_RATE_LIMIT = (env_int("LEADS_RATE_LIMIT", 5), env_int("LEADS_RATE_PERIOD", 600))
# At most N alert sign-ups per e-mail address (2N per IP address) per period of seconds.
ALERTS_RATE_LIMIT = (env_int("ALERTS_RATE_LIMIT", 5), env_int("ALERTS_RATE_PERIOD", 3600))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "showcase.core",
    "showcase.feeds",
    "showcase.listings",
    "showcase.tenants",
    "showcase.leads",
    "showcase.alerts",
    "showcase.outbox",
]
# The demo (fake upstream APIs, generated data, the `demo` command) is a development tool:
# a production process does not load it unless asked (`make audit` builds its demo that way).
DEMO = env_bool("DEMO", DEBUG)
if DEMO:
    INSTALLED_APPS.append("showcase.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (a search page: 41 KB → ~8 KB); static files never get here, since
    # WhiteNoise serves its own precompressed copies. Django's CSRF tokens are masked per
    # response and GZipMiddleware pads its output, the BREACH mitigations.
    "django.middleware.gzip.GZipMiddleware",
    # Twice: out here for what the middleware below answers before any view (an unknown
    # host, a language the site does not offer, redirects); it keeps a policy already set.
    "showcase.core.framing.FramingMiddleware",
    # Cache-Control and Vary for nginx's shared cache and browsers: outside the session,
    # locale and tenancy middleware, whose Vary it reads (showcase/core/pagecache.py).
    "showcase.core.pagecache.SharedCacheHeadersMiddleware",
    "showcase.tenants.middleware.TenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "showcase.tenants.middleware.TenantLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "showcase.core.pagecache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "showcase.core.framing.FramingMiddleware",
]

ROOT_URLCONF = "showcase.urls"
WSGI_APPLICATION = "showcase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "showcase.tenants.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a sync writes; busy timeout instead of "locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # Memory-mapped reads and a page cache for searches, bounded (they count in RSS).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA mmap_size=67108864; PRAGMA cache_size=-16384;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "vitrine"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Small lookups: host -> site (showcase/tenants/resolver.py), a place's extent (listings).
# Apart from the page bodies and cards so that they stay: the default in-memory cache keeps
# 300 entries (bench-tenancy: 4 queries a request at 5,000 sites; bench-search: the cards
# of a few searches pushed the places' extents out, an aggregate query per search).
CACHES["lookups"] = (
    CACHES["default"]
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lookups",
        "OPTIONS": {"MAX_ENTRIES": env_int("LOOKUP_CACHE_ENTRIES", 20_000)},
    }
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "showcase" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mails are queued in the database (showcase.outbox) and sent by `manage.py outbox send`;
# in development (and the demo) that command prints them instead of needing a mail server.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vitrine <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Map tiles, loaded only when a visitor opens a map.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env_str("MAP_ATTRIBUTION", "© OpenStreetMap contributors")
# Most listings drawn on the search map (the list pages through all of them).
MAP_MAX_POINTS = env_int("MAP_MAX_POINTS", 500)

# Whole pages cached for anonymous visitors (seconds; 0 turns the page cache off).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Listing cards rendered once and reused across pages (0: rendered every time).
CARD_CACHE_SECONDS = env_int("CARD_CACHE_SECONDS", 600)
# Threads per web process counting search results beside the page's other reads, each with
# its own database connection (0: counted in the request's thread).
SEARCH_COUNT_THREADS = env_int("SEARCH_COUNT_THREADS", 2)
# HTTP caches (seconds): anonymous pages are `public` for browsers (max-age) and for a
# shared cache in front, nginx (s-maxage: how stale a page may be served after a sync or
# an edit), which may serve an expired copy while it fetches the next one in the
# background (stale-while-revalidate). HTTP_CACHE_SHARED_MAX_AGE=0: every page private.
HTTP_CACHE_MAX_AGE = env_int("HTTP_CACHE_MAX_AGE", 0)
HTTP_CACHE_SHARED_MAX_AGE = env_int("HTTP_CACHE_SHARED_MAX_AGE", 60)
HTTP_CACHE_STALE_WHILE_REVALIDATE = env_int("HTTP_CACHE_STALE_WHILE_REVALIDATE", 300)

# Name shown when no tenant is configured (single-site mode).
SITE_NAME = env_str("SITE_NAME", "Vitrine")

# The legal notice's director of publication and host (LCEN art. 6-III, docs/legal.md W2):
# the operator's, unless a website fills in its own in the admin.
LEGAL_PUBLICATION_DIRECTOR = env_str("LEGAL_PUBLICATION_DIRECTOR", "")
LEGAL_HOST_NAME = env_str("LEGAL_HOST_NAME", "")
LEGAL_HOST_ADDRESS = env_str("LEGAL_HOST_ADDRESS", "")
LEGAL_HOST_PHONE = env_str("LEGAL_HOST_PHONE", "")

# Gedeon `tf` options applied to descriptions when the site does not choose its own.
TEXT_FORMAT_OPTIONS = env_list(
    "TEXT_FORMAT_OPTIONS", ["clean-cr", "clean-spaces", "clean-phones", "recase", "html"]
)

# Upstream APIs.
FEEDS_HTTP_TIMEOUT = (env_int("FEEDS_CONNECT_TIMEOUT", 5), env_int("FEEDS_READ_TIMEOUT", 30))
FEEDS_HTTP_RETRIES = env_int("FEEDS_HTTP_RETRIES", 4)
FEEDS_USER_AGENT = env_str("FEEDS_USER_AGENT", "Vitrine/0.1 (+https://github.com/vitrine)")
# Hosts a feed's credentials may go to besides each provider's official API host:
# "host[:port]" (https) or "http://host[:port]"; no port means any port. The demo's
# fake upstreams listen on 127.0.0.1, so the demo allows plain http there.
FEEDS_EXTRA_ALLOWED_HOSTS = env_list(
    "FEEDS_EXTRA_ALLOWED_HOSTS", ["http://127.0.0.1", "http://localhost"] if DEMO else []
)
# Largest picture file an agent may upload to Apimo from the admin (bytes).
APIMO_PICTURE_MAX_BYTES = env_int("APIMO_PICTURE_MAX_BYTES", 15_000_000)

# Security. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=1.
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: the admin's forms carry the token. The public forms
# carry none: showcase/core/csrf.py checks the browser's Origin instead.
CSRF_COOKIE_HTTPONLY = True
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365  # hashed file names: safe to cache for a year
FEEDS_FULL_SYNC_INTERVAL_HOURS = env_int("FEEDS_FULL_SYNC_INTERVAL_HOURS", 24)
FEEDS_APIMO_CATALOG_TTL_HOURS = env_int("FEEDS_APIMO_CATALOG_TTL_HOURS", 24)
# Sync trust (showcase/feeds/sync.py): a pass withdrawing more than this share of a feed's
# live listings (and more than the floor) is held for an operator; confirmations upstream
# cost at most FEEDS_CONFIRMATION_LIMIT requests a pass; a sync lock not extended for
# FEEDS_LOCK_STALE_HEARTBEATS heartbeats is free.
FEEDS_WITHDRAWAL_GUARD_SHARE = env_int("FEEDS_WITHDRAWAL_GUARD_PERCENT", 30) / 100
FEEDS_WITHDRAWAL_GUARD_FLOOR = env_int("FEEDS_WITHDRAWAL_GUARD_FLOOR", 3)
FEEDS_CONFIRMATION_LIMIT = env_int("FEEDS_CONFIRMATION_LIMIT", 200)
FEEDS_LOCK_HEARTBEAT_SECONDS = env_int("FEEDS_LOCK_HEARTBEAT_SECONDS", 20)
FEEDS_LOCK_STALE_HEARTBEATS = env_int("FEEDS_LOCK_STALE_HEARTBEATS", 3)
# Checked at start: a sync must never find out mid-pass that a guard is off by accident
# (a percentage over 100 or below 0) or that a live sync's lock is free (0 s heartbeats,
# a lock that lapses at the very heartbeat meant to extend it).
for _name, _value, _least in (
    ("FEEDS_WITHDRAWAL_GUARD_FLOOR", FEEDS_WITHDRAWAL_GUARD_FLOOR, 0),
    ("FEEDS_CONFIRMATION_LIMIT", FEEDS_CONFIRMATION_LIMIT, 0),
    ("FEEDS_LOCK_HEARTBEAT_SECONDS", FEEDS_LOCK_HEARTBEAT_SECONDS, 1),
    ("FEEDS_LOCK_STALE_HEARTBEATS", FEEDS_LOCK_STALE_HEARTBEATS, 2),
):
    if _value < _least:
        raise ImproperlyConfigured(f"{_name} must be {_least} or more, not {_value}")
if not 0 <= FEEDS_WITHDRAWAL_GUARD_SHARE <= 1:
    raise ImproperlyConfigured(
        "FEEDS_WITHDRAWAL_GUARD_PERCENT must be between 0 and 100, not "
        f"{round(FEEDS_WITHDRAWAL_GUARD_SHARE * 100)}"
    )
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AUTHENTICATION_BACKENDS = ["showcase.core.auth_throttle.ThrottledModelBackend"]
# Admin login: after N failures for one IP and username, refused for the period (seconds).
LOGIN_FAILURE_LIMIT = (env_int("LOGIN_FAILURE_LIMIT", 5), env_int("LOGIN_LOCKOUT_SECONDS", 900))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Reverse proxies of ours in front of the site, each appending to X-Forwarded-For (the
# documented nginx: 1). Rate limits and login lockouts count the address that many hops from
# the right of that header; 0 counts REMOTE_ADDR (no proxy).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment each agency makes for its own domain, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Tasks (showcase/celery.py): with a broker, feed syncs and e-mails run on Celery workers
# (`celery -A showcase worker` and one `celery -A showcase beat`); without one (no Redis), cron
# runs the very same services through the management commands. CELERY_BROKER_URL= (empty)
# keeps Redis as a cache only.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
# Whether work is queued for the workers (True) or left to cron (no broker).
TASKS_ON_WORKERS = bool(CELERY_BROKER_URL)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "vitrine")
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Several deployments (or CI runs) on one Redis: each its own key prefix.
    "global_keyprefix": env_str("CELERY_KEY_PREFIX", ""),
    # The Redis transport ignores CELERY_BROKER_CONNECTION_TIMEOUT: without its own, a
    # connection to an unreachable broker waits for the kernel's (about two minutes).
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Outcomes are in the database (sync runs, outgoing e-mails): no result backend.
CELERY_TASK_IGNORE_RESULT = True
# A sync can take minutes: a worker process takes one task at a time.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A page that queues a task after its commit must not wait long on a broker that is down:
# the periodic tasks (or cron) catch up on what was not queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The log lines keep Django's format and its credential masking (LOGGING below).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# Celery beat's state file (the last run of each periodic task).
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILE", str(BASE_DIR / "var" / "celerybeat-schedule")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Credentials (Gedeon's `key` in URLs, ...) are masked in every line (core/http.py).
    "filters": {"secrets": {"()": "showcase.core.http.RedactingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["secrets"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
