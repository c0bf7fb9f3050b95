"""Settings, read from the environment. A bad value stops start-up with a message naming it."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def _number(name: str, default: float, kind=float, minimum: float = 0):
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


GONGKAI_ENV = _env("GONGKAI_ENV", "development")
if GONGKAI_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"GONGKAI_ENV={GONGKAI_ENV!r} is invalid: use 'production' or 'development'"
    )
PRODUCTION = GONGKAI_ENV == "production"
DEBUG = _bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when GONGKAI_ENV=production")

# SECRET_KEY: required in production; generated once into var/ for development.
SECRET_KEY = _env("SECRET_KEY")
if SECRET_KEY is None:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when GONGKAI_ENV=production")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY is too short: use at least 50 random characters")

# Key for encrypting personal data at rest (identity numbers). Separate from SECRET_KEY so
# that rotating SECRET_KEY never makes stored identity numbers unreadable.
GONGKAI_FIELD_KEY = _env("GONGKAI_FIELD_KEY")
if PRODUCTION and GONGKAI_FIELD_KEY is None:
    raise ImproperlyConfigured(
        "GONGKAI_FIELD_KEY must be set when GONGKAI_ENV=production "
        "(a long random string; keep it safe: stored identity numbers depend on it)"
    )
# Public address of the site, for links in e-mails (e.g. https://www.huaiyin.gov.cn).
GONGKAI_BASE_URL = _env("GONGKAI_BASE_URL", "")

_hosts = _env("ALLOWED_HOSTS")
if _hosts is None:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when GONGKAI_ENV=production (comma-separated host names)"
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1", "testserver"]
else:
    ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS is empty")

CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (_env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "gongkai.core",
    "gongkai.portal",
    "gongkai.disclosure",
    "gongkai.search",
    "gongkai.foi",
    "gongkai.reports",
    "gongkai.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context_processors.site",
            ],
        },
    }
]

# Database: DATABASE_URL, default a SQLite file under var/.
import dj_database_url  # noqa: E402

_db_url = _env("DATABASE_URL")
if _db_url is None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db_url = f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=0)
except Exception as exc:  # dj_database_url raises several types
    raise ImproperlyConfigured(f"DATABASE_URL={_db_url!r} is invalid: {exc}") from exc
if _db.get("ENGINE") not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured(
        f"DATABASE_URL={_db_url!r}: only sqlite:/// and postgres:// are supported"
    )
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": (
            # WAL: readers never wait for the writer. synchronous=NORMAL is durable in WAL
            # mode up to the last commits before a power cut (no corruption). A 64 MB page
            # cache keeps the search index's b-trees in memory.
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;")}
    )
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file (not shared-cache memory) so concurrent writers see real locking
    # with the busy timeout, as in production.
    _db.setdefault("TEST", {})["NAME"] = _env(
        "GONGKAI_TEST_DB_NAME",
        str(Path(tempfile.gettempdir()) / f"gongkai-test-{os.getpid()}.sqlite3"),
    )
if _db["ENGINE"] == "django.db.backends.postgresql":
    # A test database per process, so parallel test runs on one server do not collide.
    _db.setdefault("TEST", {})["NAME"] = _env(
        "GONGKAI_TEST_DB_NAME", f"test_{_db.get('NAME') or 'gongkai'}_{os.getpid()}"
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis (optional): enables the shared cache, Celery workers and beat.
REDIS_URL = _env("REDIS_URL")
if REDIS_URL is not None and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis:// or rediss://")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis, tasks run in the calling process: the embedded default.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
# Periodic jobs (with Redis; without it run `gongkai foi remind` from cron).
CELERY_BEAT_SCHEDULE: dict = {
    "foi-daily-reminders": {"task": "gongkai.foi.tasks.daily_reminders",
                            "schedule": 24 * 3600},
    "disclosure-publish-due": {"task": "disclosure.publish_due", "schedule": 60},
    "supervision-inspect-site": {"task": "gongkai.supervision.tasks.inspect_site",
                                 "schedule": 24 * 3600},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "portal:home"

# Staff sessions expire after 30 idle minutes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "gongkai" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_env("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GONGKAI_MAX_UPLOAD_BYTES = int(_env("GONGKAI_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

EMAIL_BACKEND = _env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", "gongkai@huaiyin.example.gov.cn")

# Shared corpus (demo data, search benchmarks): ../shared/corpus beside the checkout.
GONGKAI_CORPUS_DIR = Path(_env("GONGKAI_CORPUS_DIR", str(BASE_DIR.parent / "shared" / "corpus")))
GONGKAI_SEED_DIR = Path(_env("GONGKAI_SEED_DIR", str(BASE_DIR.parent / "shared" / "seed")))

# The site's identity, shown in the header and footer.
GONGKAI_SITE = {
    "name": _env("GONGKAI_SITE_NAME", "济南市槐荫区人民政府"),
    "short_name": "槐荫区人民政府",
    "site_code": _env("GONGKAI_SITE_CODE", "3701040001"),
    "icp": _env("GONGKAI_ICP", "鲁ICP备00000000号"),
    "organizer": "济南市槐荫区人民政府办公室",
    "address": "济南市槐荫区经十路24001号",
    "phone": "0531-87587000",
    "email": "hyqzfb@jn.shandong.cn",
}

# Patterns for numbers the platform hands out (RULES.md §1; issue texts).
GONGKAI_INDEX_NUMBER_PATTERN = _env(
    "GONGKAI_INDEX_NUMBER_PATTERN", "{credit_code}/{year}-{serial:05d}"
)
GONGKAI_APPLICATION_NUMBER_PATTERN = _env(
    "GONGKAI_APPLICATION_NUMBER_PATTERN", "槐荫依申请〔{year}〕{serial}号"
)

# Search: backend by name ("sqlite", "postgres"); None = chosen from the database engine.
GONGKAI_SEARCH_BACKEND = _env("GONGKAI_SEARCH_BACKEND")
# rjieba (Rust) cuts the same Chinese words as jieba (same dictionary; quality equal in
# bench/search_quality.py) 8-10x faster. A change of segmenter needs `gongkai search reindex`.
GONGKAI_SEGMENTER = _env("GONGKAI_SEGMENTER", "rjieba")
GONGKAI_SEARCH_TITLE_WEIGHT = _number("GONGKAI_SEARCH_TITLE_WEIGHT", 5.0, minimum=0.1)
# A word in LIST_MIN_DF entries gets a top list of its LIST_SIZE best (search/impact.py).
GONGKAI_SEARCH_LIST_MIN_DF = _number("GONGKAI_SEARCH_LIST_MIN_DF", 1000, int, minimum=2)
GONGKAI_SEARCH_LIST_SIZE = _number("GONGKAI_SEARCH_LIST_SIZE", 100, int, minimum=10)
# 您是不是要找 on a search that found nothing may scan the vocabulary once for a mistyped
# first character (search/suggest.py; 50-100 ms per million distinct words).
GONGKAI_SEARCH_SUGGEST_SCAN = _bool("GONGKAI_SEARCH_SUGGEST_SCAN", True)
# Remedy paragraph of answer letters (core/remedies.py): the government one level up and
# the courts by 行政诉讼法 Art. 14, 15, 18; a unit's own entries in the admin win.
GONGKAI_REMEDY_BODIES = {
    "upper_government": _env("GONGKAI_UPPER_GOVERNMENT", "济南市人民政府"),
    "local_court": _env("GONGKAI_LOCAL_COURT", "济南市槐荫区人民法院"),
    "intermediate_court": _env("GONGKAI_INTERMEDIATE_COURT", "济南市中级人民法院"),
}
# Calendar days a mailed 收费通知 is assumed to take until its 签收 date is recorded.
GONGKAI_FOI_FEE_MAIL_DAYS = _number("GONGKAI_FOI_FEE_MAIL_DAYS", 5, int, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gongkai": {"level": _env("GONGKAI_LOG_LEVEL", "INFO")}},
}
CSRF_FAILURE_VIEW = "gongkai.portal.views.csrf_failure"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Lock accounts by user name, not by IP: a whole government office often shares one NAT
# address, and locking it would lock every colleague out (axes.W006 warns about this).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
