"""Settings for the Visit Tracker, read from the environment.

Environment variables (see README.md):
  DATABASE_URL          sqlite:///path or postgres://user@host:port/name (default: db.sqlite3 here)
  DJANGO_SECRET_KEY     required unless DJANGO_DEBUG is on
  DJANGO_DEBUG          "1"/"true" turns debug on; off by default
  DJANGO_ALLOWED_HOSTS  comma-separated host names (default: localhost names when debugging)
  DJANGO_MEDIA_ROOT     folder for uploaded report files; never served directly
  DJANGO_API_RATE       requests a client may make to the API ("240/minute"; "none": no limit)
  DJANGO_DEV_TOOLS      "1" installs the development tools (devtools/: generate_bench_data);
                        on by default with DJANGO_DEBUG, off otherwise: production never has them
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=1 for local development only."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [],
)

INSTALLED_APPS = [
    "tracker.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "csp",
    "simple_history",
    "axes",
    # States' names in English and French (visits/countries.py): the app brings CLDR's names
    # and their translations.
    "django_countries",
    # Background tasks (the extraction of documents' text, visits/tasks.py): django-tasks,
    # the backport of Django 6's tasks, with its database backend and `manage.py db_worker`.
    "django_tasks",
    "django_tasks_db",
    # The public read API (/api/v1/, visits/api/): REST framework, its OpenAPI schema and
    # Swagger UI's files served from our own static files, and CORS headers for it.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "visits",
]
# The development tools (the bench data set for `make bench` and `make load`) stay out of
# production: the scripts turn them on for the one command that needs them.
if env.bool("DJANGO_DEV_TOOLS", default=DEBUG):
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Answers the API's CORS preflight requests itself, before anything else can answer.
    "corsheaders.middleware.CorsMiddleware",
    # Static files, compressed and with hashed names, straight from gunicorn.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins from a locked-out user name and address before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database.
# postgres:// URLs use psycopg 3 through Django's postgresql backend.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends more time compiling the summary's and the exports'
    # queries (0.4 to 0.9 s each, measured with bench data) than it saves.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (CACHE_URL): local memory by default, one per process; in production with several
# workers, a shared one: redis://127.0.0.1:6379/1, or dbcache://tracker_cache (run
# `manage.py createcachetable` once). Whatever the backend, a change to public data reaches
# every worker at once: visits/cache.py checks a version kept in the database.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://tracker")}
CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2000)
# How long a cached public page, count or facet may live at most (0 turns caching off), and
# whether whole pages are cached (DJANGO_PAGE_CACHE=0: counts and facets only).
PUBLIC_CACHE_SECONDS = env.int("DJANGO_PUBLIC_CACHE_SECONDS", default=600)
PUBLIC_PAGE_CACHE = env.bool("DJANGO_PAGE_CACHE", default=True)

# Where queued tasks go (DJANGO_TASKS_BACKEND): the database, read by `manage.py db_worker`
# (README, "Deployment"); the tests run them at once with the immediate backend.
TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# The public read API (visits/api/, README "The API"): read-only, anonymous, JSON. The
# browsable API is for development only. DJANGO_API_RATE is how many requests one client
# address may make (DRF's rate syntax: "240/minute", "10000/hour"; "none": no limit); behind
# the TLS proxy, the client's address is the last one the proxy added to X-Forwarded-For.
API_ANON_RATE = env.str("DJANGO_API_RATE", default="240/minute")
if API_ANON_RATE.lower() == "none":
    API_ANON_RATE = None
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["visits.api.throttling.AnonymousRateThrottle"],
    "NUM_PROXIES": 1 if env.bool("DJANGO_TLS_PROXY", default=False) else 0,
    "DEFAULT_PAGINATION_CLASS": "visits.api.pagination.KeysetPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "visits.api.views.exception_handler",
    # The format is chosen by the Accept header only: no ?format= parameter to document.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Visit Tracker public API",
    "DESCRIPTION": (
        "Read-only access to what the public site shows: published reports, completed visits, "
        "public statements, disclosed refusals to co-operate, recommendations with their "
        "public assessments, States and the non-cooperation summary. Nothing confidential is "
        "ever served. The parameters mean what they mean on the site's pages and exports."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI from drf-spectacular-sidecar's files, served by us: no CDN, and the split
    # view sends its script as a file, so the Content-Security-Policy needs no exception.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for each list of codes, whichever field uses it.
    "ENUM_NAME_OVERRIDES": {
        "VisitTypeEnum": "visits.models.VisitType",
        "PlaceTypeEnum": "visits.models.PlaceType",
        "RefusalKindEnum": "visits.models.RefusalKind",
        "RecommendationKindEnum": "visits.models.RecommendationKind",
        "AssessmentStatusEnum": "visits.models.AssessmentStatus",
        "PublicStatusEnum": "visits.api.serializers.STATUSES",
        "StatusSourceEnum": "visits.api.serializers.SOURCES",
        "DatePrecisionEnum": "visits.api.serializers.PRECISIONS",
        "TreatyStatusEnum": "visits.treaty.TreatyStatus",
    },
    # `check --deploy` must pass before the database exists; the schema reads the States' and
    # themes' codes from it, and the tests check the schema against every answer.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "visits.api.schema.list_state_codes",
        "visits.api.schema.empty_means_left_out",
    ],
    # Our models have no bare ``objects`` (visits/querysets.py).
    "DEFAULT_QUERY_MANAGER": "public_objects",
}
# Any site may read the API from a browser: GET only, no cookies.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Content-Language"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login guard (django-axes): after AXES_FAILURE_LIMIT failed attempts for one user name
# from one address, that pair is locked out for AXES_COOLOFF_HOURS. Attempts are stored in
# the database, so every worker sees them.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# History of every change staff make (django-simple-history): shown as readable differences.
SIMPLE_HISTORY_REVERT_DISABLED = False

# Report, response and statement files: PDF only, checked by content, at most this size.
REPORT_FILE_MAX_BYTES = env.int("REPORT_FILE_MAX_MB", default=50) * 1024 * 1024

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Hashed, compressed names need `collectstatic` first (production); plain names otherwise.
HASHED_STATIC = env.bool("DJANGO_HASHED_STATIC", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if HASHED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Report and response files are confidential until published: they live outside any
# folder a web server publishes, and MEDIA_URL is deliberately not routed anywhere.
# Files reach the public only through views that apply the confidentiality gate.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "private_media")
# No URL pattern serves this prefix (tests check /private-files/... answers 404).
MEDIA_URL = "/private-files/"

# Security headers and cookies. Behind a TLS-terminating proxy, set DJANGO_TLS_PROXY=1 (the
# proxy sends X-Forwarded-Proto) and DJANGO_SSL_REDIRECT=1; see README "Deployment".
if env.bool("DJANGO_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Entering a domain in browsers' HSTS preload list is a commitment the operator makes
# (DJANGO_HSTS_PRELOAD=1), not a default: its check is silenced, not failed.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# A strict Content-Security-Policy: no inline script or style anywhere (the templates have
# none), nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
