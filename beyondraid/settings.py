"""One settings module, configured by environment variables.

The defaults run the embedded demo (SQLite under ``var/``). Production is chosen with
``BEYONDRAID_ENV=production`` and then refuses to start without a real secret key and host list,
so that a mis-configured deployment fails loudly instead of running insecurely.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from beyondraid import replica
from beyondraid.core import clocks, linkage

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent

ENVIRONMENT = os.environ.get("BEYONDRAID_ENV", "demo").strip().lower()
if ENVIRONMENT not in {"demo", "production"}:
    raise ImproperlyConfigured(
        f"BEYONDRAID_ENV is {ENVIRONMENT!r}; set it to 'demo' or 'production'."
    )
PRODUCTION = ENVIRONMENT == "production"
DEMO_MODE = not PRODUCTION

DATA_DIR = Path(os.environ.get("BEYONDRAID_DATA_DIR", REPO_DIR / "var")).resolve()


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 characters in production."
        )
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) served in production.")
    DEBUG = False
else:
    # The demo key only ever protects a local, throw-away database.
    SECRET_KEY = os.environ.get("SECRET_KEY", "demo-only-not-secret-" + "x" * 40)
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
    DEBUG = os.environ.get("DEBUG", "0") == "1"

INSTALLED_APPS = [
    "beyondraid.apps.RecordsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "beyondraid.standard",
    "beyondraid.accounts",
    "beyondraid.intake",
    "beyondraid.planning",
    "beyondraid.care",
    "beyondraid.accountability",
    "beyondraid.records",
    "beyondraid.transparency",
    "beyondraid.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reporting pages speak the reader's language (Accept-Language, or the language they
    # chose); staff pages fall back to English wherever no translation exists.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Once the user is known: an anonymous visitor's public pages read from the replica, if any.
    "beyondraid.replica.PublicReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A refusal answered with no body (require_POST's 405) becomes the site's page for it; after
    # the user and messages are known, which the page shows.
    "beyondraid.middleware.ErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An idle session that ended is explained, and a user who needs a second factor reaches
    # nothing else until they give it. After the user, their device and messages are known, and
    # inside the header middlewares so that their redirects carry the headers too.
    "beyondraid.accounts.middleware.SessionExpiredMiddleware",
    "beyondraid.accounts.middleware.TwoFactorRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "beyondraid.accounts.audit.AuditActorMiddleware",
    "beyondraid.accounts.audit.PersonLevelReadsMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Password first, then a code of an authenticator app (beyondraid.accounts.views_signin); the
# records administration's own sign-in page sends here too.
LOGIN_URL = "accounts:sign_in"
# Every sign-in lands on the start page of the person's role, unless it asked for a page.
LOGIN_REDIRECT_URL = "start"
# A form refused for its missing or stale token is explained on a page of the site.
CSRF_FAILURE_VIEW = "beyondraid.views.csrf_failure"

ROOT_URLCONF = "beyondraid.urls"
WSGI_APPLICATION = "beyondraid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beyondraid.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'beyondraid.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The indicator queries are single large statements that PostgreSQL's JIT spends seconds
    # compiling and that run in well under a second without it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "BEYONDRAID_TEST_DATABASE", f"test_{DATABASES['default'].get('NAME') or 'beyondraid'}"
    )
# The embedded demo database has one writer at a time. While the task worker holds it for an
# import, pages still read (write-ahead log), and a page that writes (every page renews the
# session) waits for the import to commit rather than fail; PostgreSQL has no such wait.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 60, "init_command": "PRAGMA journal_mode=WAL;"}
    )
# A read-only replica of the primary, from which anonymous visitors' public pages are read
# (beyondraid/replica.py, docs/scaling.md). Without it every read goes to the primary. Tests never
# create a database for it: it mirrors the primary's test database.
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "REPLICA_DATABASE_URL must name a replica of the database that DATABASE_URL names, "
            f"so of the same kind: it names a {DATABASES['replica']['ENGINE']} database and "
            f"DATABASE_URL a {DATABASES['default']['ENGINE']} one."
        )
    # The primary's options (no JIT, the SQLite wait), then any the replica's address gives.
    DATABASES["replica"]["OPTIONS"] = replica.read_only_options(
        DATABASES["replica"]["ENGINE"],
        {**DATABASES["default"].get("OPTIONS", {}), **DATABASES["replica"].get("OPTIONS", {})},
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # Only with a replica: Django asks the routers at every link between two records, which a
    # large import makes millions of times.
    DATABASE_ROUTERS = [replica.ROUTER]

# The cache carries what a task worker tells the web processes while it runs (an import's
# progress), so it must be shared between them: Redis when REDIS_URL is set, else files under the
# data directory, which serves a single machine.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected static files exist only in production; the demo and tests serve them from the
# finders (see WHITENOISE_USE_FINDERS), so nothing has to be collected first.
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# USWDS is installed from npm at set-up and served from node_modules; its build files are never
# copied into the repository.
USWDS_DIST = Path(
    os.environ.get("BEYONDRAID_USWDS_DIST", REPO_DIR / "node_modules" / "@uswds" / "uswds" / "dist")
)
if USWDS_DIST.is_dir():
    STATICFILES_DIRS.append(("uswds", USWDS_DIST))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Signed-in sessions end after 30 minutes without a request (every request renews the cookie).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Five wrong passwords for one account from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A plain page with HTTP 429 that does not repeat the username typed.
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

OTP_TOTP_ISSUER = "Beyond the Raid"

# E-mail carries the one-time link with which an invited user chooses a password, to that user
# alone: whoever gives the account its role never sees it (docs/deploy.md). The demo prints its
# e-mails on the console it runs in; production sends through SMTP, and refuses the console,
# where a link would be readable by anyone who reads the logs.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    (
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
if PRODUCTION and EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    raise ImproperlyConfigured(
        "EMAIL_BACKEND must send e-mail in production: the console would print the links to "
        "choose a password into the logs."
    )
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
# A mail server that does not answer makes the invitation fail with a message, not hang.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Beyond the Raid <noreply@localhost>")

# No third-party origin anywhere; scripts only from our own static files, never inline.
# Django's admin needs no exception: its pages run under this policy with no violation
# (beyondraid/tests/test_browser_*).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The data exchange API (docs/api.md): JSON in and out, errors as RFC 9457 problem details, the
# OpenAPI schema from drf-spectacular with its documentation page served from this site.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "beyondraid.api.problems.handle_exception",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Beyond the Raid API",
    "DESCRIPTION": "The uniform data standard for anti-trafficking operations, exchanged with "
    "agency systems, and the published, disclosure-checked releases. Errors are RFC 9457 "
    "problem details.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "YesNoUnknownEnum": "beyondraid.api.enums.YES_NO_UNKNOWN",
        "WorkSectorEnum": "beyondraid.api.enums.WORK_SECTOR",
    },
    # Error answers are sent as application/problem+json, so the schema says so.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "beyondraid.api.problems.document_problem_media_type",
    ],
}

# Plan review (docs/planning.md). Rec 2.2 asks for 20 to 40 hours of specialised training; the
# deployment chooses where in that range its bar sits. Implicit-bias training is repeated
# "periodically" (R29): every two years unless configured otherwise.
PLANNING_MINIMUM_TRAINING_HOURS = int(os.environ.get("PLANNING_MINIMUM_TRAINING_HOURS", "20"))
if not 20 <= PLANNING_MINIMUM_TRAINING_HOURS <= 40:
    raise ImproperlyConfigured(
        "PLANNING_MINIMUM_TRAINING_HOURS must be between 20 and 40 (Rec 2.2 of the 2021 report)."
    )
PLANNING_IMPLICIT_BIAS_REFRESH_DAYS = int(
    os.environ.get("PLANNING_IMPLICIT_BIAS_REFRESH_DAYS", str(2 * 365))
)

# Deadline lengths a jurisdiction sets for itself, in the rule's own unit (docs/clocks.md), e.g.
# "reflection-period=45,services-offered=2". Only rules marked configurable can change: the
# others follow a law the deployment cannot change.
try:
    CLOCK_OVERRIDES = clocks.parse_overrides(os.environ.get("BEYONDRAID_CLOCK_OVERRIDES", ""))
except ValueError as error:
    raise ImproperlyConfigured(f"BEYONDRAID_CLOCK_OVERRIDES: {error}") from None


def _report_secret(name: str) -> bytes:
    """A secret of the anonymous reporting channel (docs/reporting.md), kept out of the database:
    from the environment in production; derived from the demo's key otherwise."""
    value = os.environ.get(name, "")
    if PRODUCTION and len(value) < 32:
        raise ImproperlyConfigured(
            f"{name} must be set to a random string of at least 32 characters."
        )
    # Hashed to 32 bytes, the length the keyed hashes and Argon2id take, whatever was typed.
    return hashlib.blake2b(
        (value or SECRET_KEY).encode(), digest_size=32, person=name.encode()[:16]
    ).digest()


# Finds a report from its receipt (Argon2id salt), matches officer identifiers across reports,
# and names the day's rate-limit counters. Losing the first makes every receipt useless.
REPORT_RECEIPT_PEPPER = _report_secret("REPORT_RECEIPT_PEPPER")
REPORT_MATCHING_KEY = _report_secret("REPORT_MATCHING_KEY")
REPORT_RATE_SECRET = _report_secret("REPORT_RATE_SECRET")
# How many reports one client may send, and how many wrong receipts it may type, in a day
# (a right receipt is never refused: accountability/ratelimit.py).
REPORT_SUBMISSIONS_PER_DAY = int(os.environ.get("REPORT_SUBMISSIONS_PER_DAY", "10"))
REPORT_RECEIPT_ATTEMPTS_PER_DAY = int(os.environ.get("REPORT_RECEIPT_ATTEMPTS_PER_DAY", "20"))
# Years a closed report is kept, by finding; extensions are recorded with their reason.
REPORT_RETENTION_YEARS = {
    "sustained": 10,
    "policy_failure": 10,
    "not_sustained": 5,
    "exonerated": 3,
    "unfounded": 3,
}


def _linkage_key() -> bytes | None:
    """The key of person links (docs/linkage.md), kept outside the database and its backups:
    BEYONDRAID_LINKAGE_KEY, or the file BEYONDRAID_LINKAGE_KEY_FILE names. Production refuses to
    start without one; the demo generates its own on first use (``standard.linkage``)."""
    value = os.environ.get("BEYONDRAID_LINKAGE_KEY", "")
    path = os.environ.get("BEYONDRAID_LINKAGE_KEY_FILE", "")
    if value and path:
        raise ImproperlyConfigured(
            "Set BEYONDRAID_LINKAGE_KEY or BEYONDRAID_LINKAGE_KEY_FILE, not both."
        )
    if path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"BEYONDRAID_LINKAGE_KEY_FILE names {path}, which cannot be read "
                f"({error.strerror or error})."
            ) from None
    if PRODUCTION and len(value) < linkage.MINIMUM_KEY_LENGTH:
        raise ImproperlyConfigured(
            "BEYONDRAID_LINKAGE_KEY (or a file named by BEYONDRAID_LINKAGE_KEY_FILE) must hold a "
            f"random string of at least {linkage.MINIMUM_KEY_LENGTH} characters in production, "
            "kept outside the database and its backups (docs/linkage.md)."
        )
    if value and len(value) < linkage.MINIMUM_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"The linkage key must be at least {linkage.MINIMUM_KEY_LENGTH} characters long."
        )
    return value.encode() if value else None


# Links the records of one person across contacts; None in the demo until the key it generates
# into LINKAGE_KEY_DEMO_FILE is first needed. Changing the key unlinks every record.
LINKAGE_KEY = _linkage_key()
LINKAGE_KEY_DEMO_FILE = DATA_DIR / "linkage.key"

# No log line carries a client address, nor says when someone used the reporting pages
# (docs/reporting.md): the one handler removes them. Django's defaults would give its loggers
# handlers of their own, one mailing errors with the request's address and headers to ADMINS, one
# printing the development server's lines with their time; here they write through the same
# handler instead.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_client_addresses": {"()": "beyondraid.accountability.traceless.NoClientAddresses"},
        "no_reporting_page_refusals": {
            "()": "beyondraid.accountability.traceless.NoReportingPageRefusals"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_client_addresses", "no_reporting_page_refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}
