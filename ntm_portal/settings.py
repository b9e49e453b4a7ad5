"""Settings for the NTM portal, read from the environment (see .env.example)."""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str | None) -> dict:
    """A Django DATABASES entry from DATABASE_URL; the SQLite file in the checkout when unset."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            # Persistent connections in production: opening one per request cost a fifth of the dashboard's time.
            "CONN_MAX_AGE": env_int("DJANGO_CONN_MAX_AGE", 0 if env_bool("DJANGO_DEBUG", True) else 60),
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        path = unquote(parts.path)[1:] if parts.path.startswith("//") else unquote(parts.path).lstrip("/")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path or BASE_DIR / "db.sqlite3"}
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported (use postgresql:// or sqlite://)."
    )


def cache_from_url(url: str | None) -> dict:
    """A Django CACHES entry from DJANGO_CACHE_URL; the database cache (table portal_cache) when unset."""
    if not url:
        # Made by api's migration 0002 (createcachetable), so `migrate` is all a new database needs.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            # Past MAX_ENTRIES Django culls a third of the table, throttle counts included: keep it well above the
            # number of tokens, users and addresses counted at once.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if urlsplit(url).scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}  # needs `redis` installed
    raise ImproperlyConfigured("DJANGO_CACHE_URL must be a redis:// or rediss:// address (unset: the database cache).")


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the portal refuses to start without a secret key: "
            "set DJANGO_SECRET_KEY to a long random string, "
            "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Failed logins, lockouts and their unlocking in the admin (AXES_* below).
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The task table of the "database" tasks backend (TASKS below); installed whichever backend runs, so the
    # schema does not depend on the environment.
    "django_tasks_db",
    # Our apps, each importing only those above it (docs/architecture.md).
    "criteria",
    "communes",
    "records",
    "monthly",
    "reports",
    "api",
    "demo",
]

MIDDLEWARE = [
    "ntm_portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ntm_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ntm_portal.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "communes.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a login refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy: scripts, styles, fonts and images from the portal itself only (no CDN, no inline script;
# Swagger UI loads its start-up script from its own URL). Inline style attributes stay allowed: the server-drawn
# SVG charts colour their marks with them.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "ntm_portal.urls"

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
                "communes.context_processors.current_unit",
            ],
        },
    },
]

WSGI_APPLICATION = "ntm_portal.wsgi.application"

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "communes.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Refuses every login of a locked account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "communes.backends.AccountBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the app and project static folders, so neither `make run` nor the tests need collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Served over TLS (the usual deployment: nginx in front terminates it and says so in X-Forwarded-Proto). Off by
# default, so a province's intranet server on plain HTTP still works; docs/deploy.md turns it on.
if env_bool("DJANGO_TLS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # /healthz is asked over plain HTTP by the load balancer or the container's health check.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    # Joining the browsers' preload list is the domain owner's decision (a province's gov.vn), not the app's.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Structured (one JSON object a line) in production, plain text on a developer's console.
    "formatters": {
        "json": {"()": "ntm_portal.logs.JsonFormatter"},
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env_str("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}


# ---------------------------------------------------------------- caches, client addresses, login lockout

# Throttle counts (the API's rate per token, invalid tokens per address) live in this cache, which every worker
# process shares: the database by default, Redis with DJANGO_CACHE_URL.
CACHES = {"default": cache_from_url(env_str("REDIS_URL") or env_str("DJANGO_CACHE_URL"))}

# How many reverse proxies in front of the portal add to X-Forwarded-For. 0 (the default): the address is the
# connection's own (REMOTE_ADDR), and a client cannot choose the address it is counted under by sending the header.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXIES must be 0 or more.")

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one account (from anywhere), or from one address (for any
# accounts), logins are refused for AXES_COOLOFF_TIME after the last try; an administrator unlocks sooner by deleting
# the attempts ("Mở khóa" under Axes in the admin). A good login clears its account's failures, and only those
# (communes/receivers.py: axes' own reset would clear the address's too). An office behind one address shares that
# address's count: raise DJANGO_LOGIN_FAILURE_LIMIT if its people lock each other out.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured("DJANGO_LOGIN_FAILURE_LIMIT and DJANGO_LOGIN_COOLOFF_MINUTES must be at least 1.")
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "communes.account_views.locked_out"
# The address the API's throttles count under too, so that both read DJANGO_TRUSTED_PROXIES the same way.
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_address"

# ---------------------------------------------------------------- background tasks (django.tasks)

# Recomputing statuses after an approval runs as a task (reports/tasks.py). "immediate" runs it at once, in the
# process that queues it: no worker to start on a developer's machine or in the tests. "database" stores it in
# the database (django-tasks-db), where it survives a restart, for `python manage.py db_worker` to run: production.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_task_backend = env_str("DJANGO_TASKS_BACKEND", "immediate")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# ---------------------------------------------------------------- email

# District officials are emailed when the office returns or approves a report (monthly/notifications.py). Without
# DJANGO_EMAIL_HOST (a developer's machine) the messages are printed on the console; with it they go by SMTP.
# Django 6.1's MAILERS (the EMAIL_HOST... settings are deprecated).
_email_host = env_str("DJANGO_EMAIL_HOST")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("DJANGO_EMAIL_PORT", 587),
                "username": env_str("DJANGO_EMAIL_HOST_USER", ""),
                "password": env_str("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
                "timeout": env_int("DJANGO_EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Cổng điều hành NTM <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as people reach it, for the links in emails (no request to take it from).
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# ---------------------------------------------------------------- the REST API (/api/v1/)

REST_FRAMEWORK = {
    # Browsers use their session; other agencies' systems a token (api.models.ApiToken, made in the admin).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.auth.TokenAccess",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("DJANGO_API_RATE", "1200/minute"),
        # Past this many invalid tokens from one address, every token from it is refused unread until the window
        # has room again (api.throttling.InvalidTokenThrottle).
        "invalid_token": env_str("DJANGO_API_INVALID_TOKEN_RATE", "10/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# The API schema and its viewer need a login like every page, unless opened on purpose (api.views.SchemaAccess).
API_SCHEMA_PUBLIC = env_bool("DJANGO_API_SCHEMA_PUBLIC", False)

SPECTACULAR_SETTINGS = {
    "TITLE": "NTM portal API",
    "DESCRIPTION": (
        "Đơn vị hành chính, bộ tiêu chí, báo cáo tháng, kết quả đánh giá, quyết định công nhận và chỉ tiêu của "
        "Chương trình MTQG xây dựng nông thôn mới. Mỗi khóa truy cập chỉ thấy phạm vi của tài khoản gắn với nó."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package: served by the portal itself, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a "level", "tier" or "status" of their own choices: name each set of choices.
    "ENUM_NAME_OVERRIDES": {
        "UnitLevelEnum": "communes.models.Level",
        "RecognisedTierEnum": "records.models.RecognisedTier",
        "ReportStatusEnum": "monthly.models.ReportStatus",
        "SetTierEnum": "criteria.models.Tier",
        "SetStatusEnum": "criteria.models.SetStatus",
    },
}
