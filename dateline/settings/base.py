"""Everything Dateline needs, read from the environment with safe first-run defaults.

dev.py, test.py and prod.py adjust this; the `dateline` command uses prod.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from dateline.settings.environment import (
    SettingsError,
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    private_sqlite_file,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("DATELINE_DEBUG", False)
ALLOWED_HOSTS = env_list("DATELINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DATELINE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "axes",  # login rate limit (see "Logging in" below)
    "dateline.core",
    "dateline.posts",
    "dateline.comments",
    "dateline.clipping",
    "dateline.interchange",
    "dateline.search",
    "dateline.labelling",
    "dateline.siteexport",
    "dateline.ops",
    "dateline.site_settings",  # the blog's title, zone, language, comment policy (desk)
    "dateline.people",  # display names and the author and editor roles (desk)
    "dateline.sources",  # link checks of sources, and fallback links to copies
    "dateline.micropub",  # posting from Micropub clients, with hashed tokens
    "dateline.serving",  # page cache, fast path, sidebar, templating: above the apps
    "dateline.desk",  # the author's pages: above every other app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dateline.core.middleware.SecurityHeadersMiddleware",
    "dateline.core.nulpath.NulPathMiddleware",  # before anything looks the path up
    # Every query of a web request ends within DATELINE_REQUEST_DB_BUDGET (commands: no limit).
    "dateline.core.dbbudget.DatabaseBudgetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dateline.serving.acceptgzip.GZipMiddleware",  # Django's, reading q-values
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside every header-setting middleware, so cached answers get the same headers.
    "dateline.serving.pagecache.PageCacheMiddleware",
    # Inside the page cache: only requests that render need the blog's zone and language.
    "dateline.site_settings.middleware.BlogSettingsMiddleware",
    "dateline.posts.middleware.RedirectFallbackMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dateline.urls"
WSGI_APPLICATION = "dateline.wsgi.application"

# Jinja2 for every page Dateline writes (each app's jinja2/ folder: see serving/templating.py);
# Django's language for the admin's templates and form widgets.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "dateline.serving.templating.environment",
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "dateline.serving.context_processors.site",
                "dateline.site_settings.context_processors.blog",
            ],
            "keep_trailing_newline": True,  # as Django's language
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    """PostgreSQL from DATABASE_URL; otherwise SQLite in the data dir, tuned for a web server."""
    url = env_str("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": private_sqlite_file(DATA_DIR / "dateline.sqlite3"),
        # Keep each worker thread's connection: opening one runs the PRAGMAs below.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on
            # the busy timeout instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("DATELINE_LANGUAGE", "en")
TIME_ZONE = env_str("DATELINE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
SNAPSHOT_ROOT = DATA_DIR / "snapshots"  # clipped pages, compressed and content-addressed
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Background work (fetching, snapshots, retraining, big imports) goes through Django's task
# interface; the database backend needs no other service. `dateline worker` runs the queue,
# and `dateline serve` starts one worker beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _cache() -> dict:
    """Redis (shared by every server) from DATELINE_CACHE_URL; otherwise per-process memory.

    Either is correct: cached pages are keyed by the content version, never invalidated by
    hand, so a process can only ever miss, not serve something stale.
    """
    url = env_str("DATELINE_CACHE_URL")
    if url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                "KEY_PREFIX": "dateline"}  # fmt: skip
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dateline",
        "OPTIONS": {"MAX_ENTRIES": env_int("DATELINE_CACHE_MAX_ENTRIES", 5000)},
    }


CACHES = {"default": _cache()}
DATELINE_PAGE_CACHE = env_bool("DATELINE_PAGE_CACHE", True)
DATELINE_PAGE_CACHE_SECONDS = env_int("DATELINE_PAGE_CACHE_SECONDS", 24 * 3600)
DATELINE_PAGE_CACHE_ALIAS = "default"
# SQLite only: writes ring a memory-mapped mark beside the database, so cache hits need not
# ask the database for the content version (core.changebell).
DATELINE_CHANGE_BELL = env_bool("DATELINE_CHANGE_BELL", True)
# /desk/: author pages and the e-mailed moderation links, whose answers change per visit.
DATELINE_PAGE_CACHE_SKIP_PREFIXES = (
    "/admin/", "/clip/", "/comments/", "/desk/", "/static/", "/media/"
)  # fmt: skip
# The static mirror (dateline.siteexport): a folder kept current on every change, and the
# address its pages are rendered for (canonical links); default http://first-allowed-host.
DATELINE_STATIC_MIRROR = env_str("DATELINE_STATIC_MIRROR", "")
DATELINE_STATIC_MIRROR_URL = env_str("DATELINE_STATIC_MIRROR_URL", "")
# Pages of each listing (home, label, archive) the mirror holds; deeper ?page=N are live.
# Publishing shifts every page of a listing: this bounds what one publish rewrites.
DATELINE_STATIC_MIRROR_PAGES = env_int("DATELINE_STATIC_MIRROR_PAGES", 10)
# Pages include the shared sidebar through nginx's SSI; false embeds it (static-only hosts).
DATELINE_STATIC_MIRROR_SSI = env_bool("DATELINE_STATIC_MIRROR_SSI", True)

LOGIN_URL = "/admin/login/"

# Mail (comment notifications to authors): DATELINE_EMAIL_URL names the server, read into
# Django's EMAIL_* settings; console (mail printed to the log) unless one is set.
_EMAIL_SCHEMES = {"smtp": (25, False, False), "smtp+tls": (587, True, False),
                  "smtps": (465, False, True)}  # fmt: skip


def email_settings(url: str) -> dict:
    """`smtp://user:pass@host:port`, `smtp+tls://…` (STARTTLS), `smtps://…` (implicit TLS)
    or `console:`, as Django's EMAIL_* settings; anything else is a SettingsError."""
    from urllib.parse import unquote, urlsplit

    scheme = url.split(":", 1)[0].lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme not in _EMAIL_SCHEMES:
        raise SettingsError(
            f"DATELINE_EMAIL_URL={url.split('@')[-1]!r}: use smtp://, smtp+tls://, smtps:// "
            "or console:"
        )
    parts = urlsplit(url)
    default_port, use_tls, use_ssl = _EMAIL_SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise SettingsError(f"DATELINE_EMAIL_URL names a bad port: {parts.hostname}") from None
    if not parts.hostname:
        raise SettingsError("DATELINE_EMAIL_URL names no host (smtp://host:port).")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": 30,  # a hung server frees the worker; the reader never waits on it
    }


globals().update(email_settings(env_str("DATELINE_EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env_str("DATELINE_EMAIL_FROM", "dateline@localhost")

# Logging in: django-axes locks out after repeated failures, per account (from any address)
# and per address (for any account), until the cool-off has passed; a success resets the
# count. Attempts live in the database, so every server process sees the same count.
DATELINE_BEHIND_PROXY = env_bool("DATELINE_BEHIND_PROXY", False)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DATELINE_LOGIN_FAILURE_LIMIT", 5)
_LOGIN_COOLOFF_MINUTES = env_int("DATELINE_LOGIN_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each alone: two separate limits
AXES_RESET_ON_SUCCESS = True
# The proxy's word when behind one; an IPv6 /64 counts as one address (see clientip).
AXES_CLIENT_IP_CALLABLE = "dateline.core.clientip.login_address"
AXES_COOLOFF_MESSAGE = (
    "Too many failed log-in attempts for this account or from your address, so logging in "
    f"is locked for a while. Please wait {_LOGIN_COOLOFF_MINUTES} minutes and try again."
)

# Security headers that hold whether or not we are behind HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Uploads: posts are written by staff, comments are small; refuse anything huge early.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATELINE_MAX_REQUEST_BYTES", 5 * 1024 * 1024)

# Blog behaviour.
DATELINE_SITE_TITLE = env_str("DATELINE_SITE_TITLE", "Dateline")
DATELINE_SITE_DESCRIPTION = env_str(
    "DATELINE_SITE_DESCRIPTION", "News we follow, clipped with their sources."
)
DATELINE_PAGE_SIZE = env_int("DATELINE_PAGE_SIZE", 10)
# Seconds after a web request comes in by which its database queries must have ended;
# one still running is stopped (0: no limit). Commands and background tasks have none.
DATELINE_REQUEST_DB_BUDGET = env_int("DATELINE_REQUEST_DB_BUDGET", 5)
DATELINE_FEED_SIZE = env_int("DATELINE_FEED_SIZE", 25)
DATELINE_COMMENTS_AUTO_APPROVE_KNOWN = env_bool("DATELINE_COMMENTS_AUTO_APPROVE_KNOWN", False)
DATELINE_COMMENT_MAX_CHARS = env_int("DATELINE_COMMENT_MAX_CHARS", 4096)
DATELINE_COMMENT_MIN_SECONDS = env_int("DATELINE_COMMENT_MIN_SECONDS", 3)
DATELINE_COMMENT_RATE = env_int("DATELINE_COMMENT_RATE", 5)
DATELINE_COMMENT_RATE_WINDOW = env_int("DATELINE_COMMENT_RATE_WINDOW", 600)
# Label suggestions: retrain the learned model after this many label changes (0 = never
# automatically) or on a label change once the model is this many hours old.
DATELINE_LABELS_RETRAIN_AFTER = env_int("DATELINE_LABELS_RETRAIN_AFTER", 20)
DATELINE_LABELS_RETRAIN_HOURS = env_int("DATELINE_LABELS_RETRAIN_HOURS", 24)

# Every stored image (upload, clip, import) passes dateline.core.rasters: at most this
# many bytes and pixels.
DATELINE_IMAGE_MAX_BYTES = env_int("DATELINE_IMAGE_MAX_BYTES", 10_000_000)
DATELINE_IMAGE_MAX_PIXELS = env_int("DATELINE_IMAGE_MAX_PIXELS", 50_000_000)

# Clipping: what one clip may fetch. Loopback addresses are never allowed here; only
# settings/test.py turns DATELINE_CLIP_ALLOW_LOOPBACK on, for the tests' own HTTP server.
DATELINE_CLIP_MAX_BYTES = env_int("DATELINE_CLIP_MAX_BYTES", 10_000_000)
# What finding the article may cost: its time grows faster than the page does, so the
# HTML's size and element count are capped before the work, and the work has a deadline.
DATELINE_CLIP_MAX_HTML_BYTES = env_int("DATELINE_CLIP_MAX_HTML_BYTES", 5_000_000)
DATELINE_CLIP_MAX_ELEMENTS = env_int("DATELINE_CLIP_MAX_ELEMENTS", 25_000)
DATELINE_CLIP_EXTRACT_TIMEOUT = env_int("DATELINE_CLIP_EXTRACT_TIMEOUT", 10)
DATELINE_CLIP_TIMEOUT = env_int("DATELINE_CLIP_TIMEOUT", 20)
DATELINE_CLIP_IMAGE_MAX_BYTES = env_int("DATELINE_CLIP_IMAGE_MAX_BYTES", 5_000_000)
DATELINE_CLIP_MAX_IMAGES = env_int("DATELINE_CLIP_MAX_IMAGES", 20)
DATELINE_CLIP_ALLOW_LOOPBACK = False
DATELINE_CLIP_TEST_PORTS: tuple[int, ...] = ()
# Hosts and networks let through the private-address and port rules, for clipping and
# link checking alike ("intranet.example,10.1.0.0/16"). Weakens the SSRF rules: empty
# unless an intranet needs it.
DATELINE_FETCH_ALLOW = env_str("DATELINE_FETCH_ALLOW", "")

# Source link checks (dateline.sources): every source is checked about every this many
# days (with jitter); a host is asked at most once per DATELINE_SOURCE_HOST_INTERVAL
# seconds; a dead source's link falls back to our snapshot, else the Internet Archive's
# copy (DATELINE_WAYBACK_URL: the availability API, "off" to never ask).
DATELINE_SOURCE_CHECK_DAYS = env_int("DATELINE_SOURCE_CHECK_DAYS", 7)
DATELINE_SOURCE_HOST_INTERVAL = env_int("DATELINE_SOURCE_HOST_INTERVAL", 5)
DATELINE_SOURCE_CHECK_TIMEOUT = env_int("DATELINE_SOURCE_CHECK_TIMEOUT", 15)
DATELINE_WAYBACK_URL = env_str("DATELINE_WAYBACK_URL", "https://archive.org/wayback/available")
# Save a copy of each clipped story at the Internet Archive (off by default), one save at a
# time across every worker, at most one every DATELINE_ARCHIVE_SAVE_INTERVAL seconds.
DATELINE_ARCHIVE_ON_CLIP = env_bool("DATELINE_ARCHIVE_ON_CLIP", False)
DATELINE_WAYBACK_SAVE_URL = env_str("DATELINE_WAYBACK_SAVE_URL", "https://web.archive.org/save/")
DATELINE_ARCHIVE_SAVE_INTERVAL = env_int("DATELINE_ARCHIVE_SAVE_INTERVAL", 20)

# Imports from the admin: the largest upload accepted (bigger exports go through
# `dateline import FILE` on the server). Uploads wait in DATA_DIR/imports/ until imported.
DATELINE_IMPORT_MAX_BYTES = env_int("DATELINE_IMPORT_MAX_BYTES", 200 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DATELINE_LOG_LEVEL", "WARNING")},
}
