"""Settings: configured by environment variables only (twelve-factor).

The defaults run the embedded mode: one SQLite file in DATA_DIR, local memory cache, console
e-mail, no external service. `satudata check` refuses these defaults for production.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()

DATA_DIR = Path(env.str("DATA_DIR", default=str(Path.cwd() / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """A per-installation key kept in DATA_DIR, so the embedded mode needs no setup.

    Production sets SECRET_KEY in the environment (every host must share it); `satudata check`
    refuses a key that did not come from there.
    """
    path = DATA_DIR / ".secret_key"
    if not path.exists():
        from django.utils.crypto import get_random_string

        path.write_text(get_random_string(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY_FROM_ENV = "SECRET_KEY" in env
SECRET_KEY = env.str("SECRET_KEY") if SECRET_KEY_FROM_ENV else _embedded_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS_FROM_ENV = "ALLOWED_HOSTS" in env
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# The region the installation serves (Kemendagri code); Jember by default.
REGION_CODE = env.str("REGION_CODE", default="35.09")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "satudata.core",
    "satudata.audit",
    "satudata.accounts",
    "satudata.catalog",
    "satudata.schedule",
    "satudata.values",
    "satudata.notifications",
    "satudata.portal",
    "satudata.access",
    "satudata.sop",
    "satudata.publications",
    "satudata.reports",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "satudata.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "satudata.core.middleware.UploadLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "satudata.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "satudata.urls"
WSGI_APPLICATION = "satudata.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "satudata.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'satudata.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ""
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Background jobs (posting to channels, reports): django-tasks with its database queue, run by
# `satudata worker` (N of them on N hosts). The embedded default starts one worker beside
# `satudata serve` (EMBEDDED_WORKER), so a fresh laptop needs no second command.
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}
EMBEDDED_WORKER = env.bool(
    "EMBEDDED_WORKER", default=DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
)

# Channel credentials are stored encrypted (Fernet); the key is derived from this secret, which
# defaults to SECRET_KEY. Changing it makes stored credentials unreadable: re-enter them.
CREDENTIALS_KEY = env.str("CREDENTIALS_KEY", default=SECRET_KEY)

# The social networks' API addresses (tests point them at local fakes).
FACEBOOK_GRAPH_URL = env.str("FACEBOOK_GRAPH_URL", default="https://graph.facebook.com/v21.0")
X_API_URL = env.str("X_API_URL", default="https://api.x.com")

# Uploads above this are refused before they are read (a data list is a few hundred kB).
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="satudata@localhost")

if "REDIS_URL" in env:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Reads of open data from any web page: the APIs, the DCAT catalog and the downloads. No
# credentials cross origins (CORS_ALLOW_CREDENTIALS stays False).
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/|catalog\.|dataset/[^/]+/(data\.|datapackage\.json))"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST")

# Anonymous API use per client (IP) and minute; signed-in users are not limited.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")
# API calls are counted in memory and written to the usage table every so many seconds
# (one row write per call would hold SQLite's write lock under load); 0 writes every call.
API_USAGE_FLUSH_SECONDS = env.float("API_USAGE_FLUSH_SECONDS", default=5.0)
# Public access requests per client (IP) and hour.
ACCESS_REQUEST_RATE = env.str("ACCESS_REQUEST_RATE", default="5/h")
# Behind a reverse proxy the client's address comes from X-Forwarded-For (core.clients).
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
RATELIMIT_IP_META_KEY = "satudata.core.clients.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Concerns kept in their own modules (satudata/conf/): each changes this namespace.
from satudata.conf import observability, scaleout, security  # noqa: E402

for _part in (security, observability, scaleout):
    _part.apply(globals())
