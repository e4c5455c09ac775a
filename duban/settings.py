"""Django settings for Duban.

Everything that differs between a laptop and production is read from the
environment (see docs/deploy.md). Without any variables set, Duban runs
in development mode on an SQLite file under ./var/.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DUBAN_VAR_DIR", BASE_DIR.parent / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DUBAN_DEBUG", True)
SECRET_KEY = os.environ.get("DUBAN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DUBAN_SECRET_KEY must be set when DUBAN_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [h for h in os.environ.get("DUBAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    # Before django.contrib.auth, whose management commands it replaces (createsuperuser takes --region).
    "duban.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # the API docs' Swagger UI from our own static files, not a CDN (closed network, CSP)
    "duban.core",
    "duban.plans",
    "duban.calendar",
    "duban.progress",
    "duban.kpi",
    "duban.hotline",
    "duban.supervision",
    # After supervision: their agenda source and circular columns come after the built-in ones.
    "duban.policies",
    "duban.visits",
    "duban.api",
    "duban.public",
    "duban.audit",
    "duban.simulation",
    "duban.todo",  # 我的待办, on top: reads what the apps above register in duban.core.todo
    # Log-in hardening: lockout after repeated failures, optional TOTP second factor.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "duban.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Bodies over the size limit: 413 (JSON on the API) before a view or the CSRF check reads them.
    "duban.core.request_size.RequestSizeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Who and from where, for the audit trail of everything the request changes.
    "duban.audit.middleware.AuditMiddleware",
    # Deny by default: every view needs a logged-in user unless it is
    # explicitly marked @login_not_required (log-in page, public pages).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A user with a confirmed TOTP device must give a token before any other page.
    "duban.accounts.twofactor.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out log-in into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

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
                "duban.accounts.navigation.navigation",
            ],
        },
    },
]


def database_from_url(url):
    """Parse DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path)."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "ATOMIC_REQUESTS": True,
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path), "ATOMIC_REQUESTS": True}
    raise RuntimeError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r} (use postgres:// or sqlite://)")


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "duban.sqlite3",
            "ATOMIC_REQUESTS": True,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default, adopted now
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "duban.core.errors.csrf_failure"
LOGIN_REDIRECT_URL = "home"  # 我的待办
LOGOUT_REDIRECT_URL = "login"

# The lockout backend goes first: it refuses a locked-out log-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "duban.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for
# 30 minutes. Not by address alone: a whole office often shares one NAT address.
AXES_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("DUBAN_LOGIN_LOCKOUT_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "duban.core.addresses.client_ip"
AXES_VERBOSE = False
# How many reverse proxies (nginx) stand in front of gunicorn: the client's address is
# that many entries from the right of X-Forwarded-For. 0 (the default) trusts no header, so that a
# gunicorn reached without nginx cannot be fooled by a forged one; deploy/env.example sets 1 for its nginx.
DUBAN_PROXY_COUNT = int(os.environ.get("DUBAN_PROXY_COUNT", 0))
OTP_TOTP_ISSUER = os.environ.get("DUBAN_OTP_ISSUER", "Duban")

PASSWORD_HASHERS = [
    "duban.accounts.hashers.Argon2PasswordHasher",  # Argon2id, 19 MiB, t=2, p=1 (accounts/hashers.py)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The site-wide assets (duban.css, vendored htmx and echarts) live in duban/static/, outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence, attachments, imported plans and generated files go through Django's storage API: on disk under
# MEDIA_ROOT, or — for several app servers against one database — in S3-compatible object storage (MinIO,
# docs/deploy.md) with DUBAN_STORAGE=s3 (django-storages with boto3). The bucket must not be public: files
# are served only by views that check permissions.
if os.environ.get("DUBAN_STORAGE", "filesystem") == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["DUBAN_S3_BUCKET"],
            "endpoint_url": os.environ.get("DUBAN_S3_ENDPOINT_URL") or None,  # e.g. https://minio.internal:9000
            "access_key": os.environ.get("DUBAN_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("DUBAN_S3_SECRET_KEY"),
            "region_name": os.environ.get("DUBAN_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": os.environ.get("DUBAN_S3_ADDRESSING_STYLE", "path"),  # MinIO: path-style
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded and imported files live outside the web root and are served only
# through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("DUBAN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = None
# Uploads larger than this are refused by duban.core.uploads (bytes).
DUBAN_MAX_UPLOAD_SIZE = int(os.environ.get("DUBAN_MAX_UPLOAD_MB", 20)) * 1024 * 1024
# Office and zip files whose parts unpack beyond this are refused before any reader opens them
# (duban.core.archives), as are parts unpacking more than DUBAN_ARCHIVE_MAX_RATIO times their packed size.
# The largest request body (a form with its files; nginx's client_max_body_size is 25m). Other bodies (the
# API's JSON, forms without files) are held to Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
DUBAN_MAX_REQUEST_BYTES = int(os.environ.get("DUBAN_MAX_REQUEST_MB", 25)) * 1024 * 1024
DUBAN_ARCHIVE_MAX_BYTES = int(os.environ.get("DUBAN_ARCHIVE_MAX_MB", 50)) * 1024 * 1024
DUBAN_ARCHIVE_MAX_RATIO = int(os.environ.get("DUBAN_ARCHIVE_MAX_RATIO", 200))
# Closed complaints keep the contact's name and number this many days, then `duban tick` removes them.
DUBAN_PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("DUBAN_PERSONAL_DATA_RETENTION_DAYS", 3 * 365))

SESSION_COOKIE_AGE = int(os.environ.get("DUBAN_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (duban.core.csp): no inline scripts or styles. On in
# production; DUBAN_CSP=1 turns it on in development too.
DUBAN_CSP = env_bool("DUBAN_CSP", not DEBUG)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DUBAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DUBAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Email for reminders: console in development, SMTP when DUBAN_EMAIL_HOST is set.
if os.environ.get("DUBAN_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DUBAN_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("DUBAN_EMAIL_PORT", 465))
    EMAIL_HOST_USER = os.environ.get("DUBAN_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DUBAN_EMAIL_PASSWORD", "")
    EMAIL_USE_SSL = env_bool("DUBAN_EMAIL_SSL", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DUBAN_EMAIL_FROM", "duban@localhost")
DUBAN_SITE_URL = os.environ.get("DUBAN_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DUBAN_LOG_LEVEL", "INFO")},
    # django-axes logs every log-in at INFO; the audit trail already records them.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Fix "today" for the whole site (ISO date or datetime), e.g. to show the demo
# inside its plan's year. Empty: the real date. See duban/core/clock.py.
DUBAN_TODAY = os.environ.get("DUBAN_TODAY", "")

# Requests per minute for each API token (shared by every server: counted in the database).
DUBAN_API_RATE_PER_MINUTE = int(os.environ.get("DUBAN_API_RATE_PER_MINUTE", 120))

# Complaints the public form takes from one address per hour (duban.hotline.throttle). A load test
# from 127.0.0.1 raises it; a government network behind one NAT address may need more than 20.
DUBAN_HOTLINE_INTAKE_PER_HOUR = int(os.environ.get("DUBAN_HOTLINE_INTAKE_PER_HOUR", 20))

# API pages: at most 500 rows, and no offsets beyond what a database can count.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_MAX_OFFSET = 10_000_000

# The region whose holidays apply when nothing else is said (calendar app).
DUBAN_DEFAULT_REGION = os.environ.get("DUBAN_REGION", "CN")
