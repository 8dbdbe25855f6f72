"""Settings of the JLI site, read from the environment (see .env.example).

Safe by default: DEBUG is off unless set, a real SECRET_KEY is required when it is
off, SQLite is used when DATABASE_URL is unset.
"""

import datetime
from email.utils import parseaddr
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (written by `make run`) fills in what the environment leaves unset.
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address: every absolute URL the site writes (feeds, sitemaps, calendars,
# e-mails) comes from it, never from the request's Host (core/site.py). Required when
# DEBUG is off (a system check); in development, the address `make run` serves on.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

INSTALLED_APPS = [
    # French versions of content (docs/design.md, "Languages"); before the admin, as
    # modeltranslation asks, so its admin widgets and registrations load first.
    "modeltranslation",
    "core.apps.SecretariatAdminConfig",  # the admin, with its sidebar in clear words
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_countries",
    "imagekit",
    "django_prose_editor",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API's docs page (its static Swagger UI)
    # Every content record's history in real tables beside its own (core/history.py).
    "simple_history",
    # The project's apps, from the ground up (docs/design.md): each imports only
    # those listed before it.
    "core",
    "groups",
    "funders",
    "publications",
    "events",
    "members",
    "search",
    "opendata",
    "imports",
    "jli",
]

MIDDLEWARE = [
    # First: X-Forwarded-* headers count only from TRUSTED_PROXIES (core/security.py).
    "core.security.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A body larger than any upload accepted is refused (413) before it is read.
    "core.security.RequestBodyLimitMiddleware",
    # Anonymous readers' public pages, kept finished (compressed or not, with every
    # header the middleware below adds): a hit skips the rest of the stack and the view.
    "core.cache.PublicPageCacheMiddleware",
    # gzip for anonymous public pages only (no secret in them, so no BREACH); above the
    # middleware that read or write the body, so it compresses what they leave.
    "core.compression.PublicPageGZipMiddleware",
    # ETag from the content: an unchanged page answers 304 Not Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (the admin's language comes from the cookie), before
    # CommonMiddleware (its slash redirect must see the language prefix). Public pages take
    # their language from the address (/fr/...); the admin from the cookie or the browser.
    "core.i18n.LocaleMiddleware",
    # `?x=%00` answers 400 before any view or database sees it.
    "core.security.RefuseNullInQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lends the request to django-simple-history, which records the signed-in user as
    # the author of each change made during it (read only when something is saved).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jli.urls"
# Django 6.0's default, opted into now: a web address typed without a scheme is https.
FORMS_URLFIELD_ASSUME_HTTPS = True
WSGI_APPLICATION = "jli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jli.context_processors.site",
                "core.i18n.alternates",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# After a database restart, a stale persistent connection would fail the first
# request of each worker; health checks reconnect first (docs/testing.md).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Write-ahead log: pages keep reading while a worker writes a long transaction (a
    # bulk import); in the default journal a large write locks readers out.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "init_command", "PRAGMA journal_mode=WAL;"
    )
else:
    # Fail fast when the database is unreachable (readiness answers within seconds).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
    # The server keeps its plans of the pages' look-ups (core/backends/postgresql):
    # off behind a pooler that cannot hold prepared statements (PgBouncer in transaction
    # mode before 1.21), docs/operations.md.
    postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if postgresql and env.bool("DATABASE_KEEP_PLANS", default=True):
        DATABASES["default"]["ENGINE"] = "core.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, one client per pool instead of one per call.
            "BACKEND": "core.cache_backends.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole public pages are cached for anonymous readers this many seconds (0: off);
# any content change invalidates them at once (core/cache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# The public lists' row counts (their paginators' COUNT(*)) and filter menus (countries,
# years) are cached this many seconds (0: off), under the same content version: any
# change invalidates them at once (core.cache.cached_value).
COUNT_CACHE_SECONDS = env.int("COUNT_CACHE_SECONDS", default=300)

# --- Background tasks -----------------------------------------------------
# Work that must not hold up a request runs as a task of Django's tasks framework
# (django-tasks), queued in the database: `manage.py db_worker` runs them, one worker
# beside the development server (`make run`), any number on any number of machines in
# production (docs/operations.md).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# The text of a publication's PDF is read by a task, in a child process of the worker
# (publications/extract.py) stopped after this many seconds and allowed this much memory;
# the text kept is cut at this many characters (docs/operations.md, "PDF text").
PDF_TEXT_TIMEOUT_SECONDS = env.int("PDF_TEXT_TIMEOUT_SECONDS", default=120)
PDF_TEXT_MEMORY_MB = env.int("PDF_TEXT_MEMORY_MB", default=1024)
PDF_TEXT_MAX_CHARS = env.int("PDF_TEXT_MAX_CHARS", default=5_000_000)

# --- Authentication -------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in while the username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    # Then: refuses an attempt on an account that must wait (members/throttling.py).
    "members.throttling.AccountSlowdownBackend",
    # Members sign in with their e-mail address; the admin's username sign-in stays.
    "members.backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
# By name: reversed in the language of the sign-in page (/fr/profile/ after /fr/accounts/login/).
LOGIN_REDIRECT_URL = "members:profile"
LOGOUT_REDIRECT_URL = "/"

# Sign-in throttling (members/throttling.py), on the site and the admin: after
# AXES_FAILURE_LIMIT failures, the pair of name and address is locked for
# AXES_COOLOFF_MINUTES, and so is an address after that many failures on any names
# (password spraying). An account failing ACCOUNT_SLOWDOWN_AFTER times within that time,
# from anywhere, takes one attempt every ACCOUNT_SLOWDOWN_SECONDS: slowed, never locked.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
ACCOUNT_SLOWDOWN_AFTER = env.int("ACCOUNT_SLOWDOWN_AFTER", default=10)
ACCOUNT_SLOWDOWN_SECONDS = env.int("ACCOUNT_SLOWDOWN_SECONDS", default=60)
# A successful sign-in clears that account's failures from that address only.
AXES_HANDLER = "members.throttling.AxesHandler"
# Attempts refused during a lock or a slow-down are not counted: waiting always works.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The lockout page in the site's look (also for the admin's sign-in).
AXES_LOCKOUT_CALLABLE = "members.views.lockout"
AXES_RESET_ON_SUCCESS = True
# django-axes' own log lines carry the request path (an invitation's token, after a
# sign-in from one): failures and lockouts are in the security log (core/security.py).
AXES_VERBOSE = False
# One count per account, whether named by username or e-mail address (any case).
AXES_USERNAME_CALLABLE = "members.throttling.axes_username"
# The client's address as the security log sees it: X-Forwarded-For counts only when the
# request came from one of TRUSTED_PROXIES (core.security.client_ip).
AXES_CLIENT_IP_CALLABLE = "core.security.axes_client_ip"
# Days an invitation link to set a password stays valid.
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=5)
# Members' photos are scaled down to fit this many pixels on their longer side.
PROFILE_PHOTO_MAX_PIXELS = 800

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# French versions of content (django-modeltranslation): each translated field gets a
# `<field>_en` and a `<field>_fr` column; English is the default and the fallback, so a
# record without a French version reads in English everywhere. The original column is
# kept (and written in English by the admin), so nothing that reads it changes.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",)}
# `Model.objects.create(title=...)` fills the English column whatever language is
# active (tests, load_jli and seed_sample create content that way).
MODELTRANSLATION_AUTO_POPULATE = "default"
# Story pages' rich text has French versions too.
MODELTRANSLATION_CUSTOM_FIELDS = ("ProseEditorField",)
USE_TZ = True

# --- Static and media files -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded files: local folder by default; S3-compatible object storage when a bucket is
# named (shared by every app machine when scaled out).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=""),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        # Hashed, compressed names cached for a year; tests use the plain storage
        # so they need no collectstatic.
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}
# Static files are only for this site's pages: no `Access-Control-Allow-Origin: *`.
WHITENOISE_ALLOW_ALL_ORIGINS = False
# Largest upload accepted, in megabytes: PDFs of reports, photos, logos.
MAX_DOCUMENT_UPLOAD_MB = env.int("MAX_DOCUMENT_UPLOAD_MB", default=40)
MAX_IMAGE_UPLOAD_MB = env.int("MAX_IMAGE_UPLOAD_MB", default=5)
# A request body larger than this is refused before it is read (413): the largest PDF,
# an image and the form around them. The proxy's `client_max_body_size` matches it
# (docs/operations.md).
MAX_REQUEST_BODY_MB = MAX_DOCUMENT_UPLOAD_MB + MAX_IMAGE_UPLOAD_MB + 1
# The form fields of a request (files aside) are held in memory up to this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files larger than this are written to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644
# Files of records (covers, photos, logos, PDFs) are served by views that check the
# record is visible (core/media.py). True behind nginx: the view answers with
# X-Accel-Redirect and nginx sends the file from its `internal` /media/ location
# (docs/operations.md); false: the view streams the file itself.
MEDIA_ACCEL_REDIRECT = env.bool("MEDIA_ACCEL_REDIRECT", default=False)

# --- E-mail ---------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="JLI secretariat <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address OAI-PMH's Identify gives harvesters to write to about the repository
# (the sender's address by default).
OAI_ADMIN_EMAIL = env.str("OAI_ADMIN_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1])

# The read API (/api/v1/): requests per client address ("120/min", "5000/day", ...),
# counted in the cache. The client's address is REMOTE_ADDR, or the one the
# TRUSTED_PROXIES saw (core.security.client_address): a client cannot choose its own.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")

# The licence of the bulk open data (/data/, its datapackage.json and schema.org
# metadata): a Frictionless licence object. The JLI secretariat decides it: CC-BY-4.0 is
# a proposal it has NOT confirmed yet. To change the licence, edit this object; once the
# secretariat confirms it, set OPEN_DATA_LICENCE_CONFIRMED=true in the environment. Until
# then /data/ and the data package say the licence is proposed, awaiting confirmation,
# and the schema.org Dataset states no licence.
OPEN_DATA_LICENCE_CONFIRMED = env.bool("OPEN_DATA_LICENCE_CONFIRMED", default=False)
OPEN_DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}

# --- Security -------------------------------------------------------------
# The reverse proxies in front of the site (addresses or networks, comma-separated, e.g.
# 127.0.0.1 or 10.0.0.0/8). Only requests from them may say, with X-Forwarded-For and
# X-Forwarded-Proto, who the client is and that it came over https; from anyone else
# those headers are dropped (core.security.TrustedProxyMiddleware). Empty: no proxy.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
# The __Host- prefix pins cookies to this exact host over https (needs Secure).
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "django_language" if DEBUG else "__Host-language"
# Only the server reads the chosen language.
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
# Staff (the admin can change everything) get a shorter session, set at sign-in.
STAFF_SESSION_AGE = env.int("STAFF_SESSION_AGE", default=8 * 3600)
CSRF_FAILURE_VIEW = "jli.views.csrf_failure"
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: no inline script or style anywhere. NONCE is sent
# only by pages that ask for it (request.csp_nonce): the admin's rich text editor, for
# its inline import map (core/admin.py). Public pages never do.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Turn off the browser features the site does not use.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    ]
}  # fmt: skip

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One line per security event, with the time in UTC.
        "security": {
            "()": "core.logging.UTCFormatter",
            "format": "%(asctime)s security %(message)s",
        },
    },
    # Django logs the path of a 404, a 410 and a CSRF failure: invitation and password
    # reset links carry a token there. Every handler masks it, so a record from any logger
    # (a library's too) is written without it; gunicorn's access log does the same
    # (core.logging.RedactingGunicornLogger, named in gunicorn.conf.py).
    "filters": {"redact_secrets": {"()": "core.logging.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        },
        "security": {
            "class": "logging.StreamHandler",
            "formatter": "security",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes' info lines carry the request path; its warnings (lockouts) stay.
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["redact_secrets"]},
        "django.security.csrf": {"filters": ["redact_secrets"]},
        "django.server": {"filters": ["redact_secrets"]},
        "jli.security": {
            "handlers": ["security"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secrets"],
        },
    },
}
