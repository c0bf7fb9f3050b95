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
# local-production (`make run`): production minus TLS — DEBUG off, the site's own error pages,
# hashed and compressed static files, but plain-HTTP cookies, localhost and secrets in var/.
if GONGKAI_ENV not in {"development", "production", "local-production"}:
    raise ImproperlyConfigured(
        f"GONGKAI_ENV={GONGKAI_ENV!r} is invalid: use 'production', 'local-production' "
        "or 'development'"
    )
PRODUCTION = GONGKAI_ENV == "production"
DEBUG = _bool("DEBUG", GONGKAI_ENV == "development")
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
    "gongkai.participation",
    "gongkai.interaction",
    "gongkai.supervision",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "gongkai.api",
]

MIDDLEWARE = [
    "gongkai.core.health.HealthCheckMiddleware",
    "gongkai.core.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
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
    "gongkai.core.middleware.BadParameterMiddleware",
]
# First, so that it sees the final response (gongkai/core/publish.py).
MIDDLEWARE.insert(0, "gongkai.core.publish.PublishMiddleware")
MIDDLEWARE.insert(1, "gongkai.core.db_router.ReplicaMiddleware")

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
# Persistent connections: a new PostgreSQL connection per request costs the app ~1.7 ms of
# CPU and the server a backend process (fork, authentication) — more than a search itself.
# Each gunicorn worker thread keeps one, checked before reuse (CONN_HEALTH_CHECKS);
# GONGKAI_DB_CONN_MAX_AGE=0 closes it after every request as before.
GONGKAI_DB_CONN_MAX_AGE = _number("GONGKAI_DB_CONN_MAX_AGE", 300, int)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=GONGKAI_DB_CONN_MAX_AGE,
                                conn_health_checks=True)
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
# Server-side parameter binding (psycopg 3) with prepared statements for the statements a
# connection repeats (psycopg's prepare_threshold, 5 executions): PostgreSQL parses and
# plans a repeated search statement once per connection instead of every time, ~1 ms less
# server CPU per search (bench/README.md). Off by default: behind a pooler in transaction
# mode (pgbouncer before 1.21, or without max_prepared_statements) prepared statements fail.
GONGKAI_DB_SERVER_SIDE_BINDING = _bool("GONGKAI_DB_SERVER_SIDE_BINDING", False)


def _binding(db: dict) -> dict:
    if GONGKAI_DB_SERVER_SIDE_BINDING and db["ENGINE"] == "django.db.backends.postgresql":
        db.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return db


DATABASES = {"default": _binding(_db)}
# PostgreSQL streaming replicas (docs/scaling.md): public reads go there (core/db_router.py).
GONGKAI_DB_REPLICAS: list[str] = []
for _i, _url in enumerate(u.strip() for u in (_env("DATABASE_REPLICA_URLS", "") or "").split(",")
                          if u.strip()):
    if not _url.startswith(("postgres://", "postgresql://")) or _db["ENGINE"] != (
            "django.db.backends.postgresql"):
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: {_url!r}: replicas need PostgreSQL (postgres://) for both "
            "DATABASE_URL and every replica")
    _alias = "replica" if _i == 0 else f"replica{_i + 1}"
    DATABASES[_alias] = _binding(dj_database_url.parse(
        _url, conn_max_age=GONGKAI_DB_CONN_MAX_AGE, conn_health_checks=True))
    # Tests run on the primary's test database; gongkai/core/tests/test_replica.py checks a
    # real replica.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    GONGKAI_DB_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["gongkai.core.db_router.PrimaryReplicaRouter"]
GONGKAI_REPLICA_PIN_SECONDS = _number("GONGKAI_REPLICA_PIN_SECONDS", 10, int, minimum=1)
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
    # The database is the store every worker process shares (rate limits must hold across
    # workers); `gongkai migrate` creates the table (core/apps.py, post_migrate).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "gongkai_cache",
                          "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4}}}

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
    "foi-purge-personal-data": {"task": "gongkai.foi.tasks.purge_personal_data",
                                "schedule": 24 * 3600},
    "core-holiday-notice-reminder": {"task": "core.holiday_notice_reminder",
                                     "schedule": 24 * 3600},
    "reports-deadline-reminder": {"task": "reports.deadline_reminder", "schedule": 24 * 3600},
    "disclosure-publish-sweep": {"task": "disclosure.publish_sweep", "schedule": 60},
    "participation-sweep": {"task": "participation.sweep", "schedule": 60},
    "interaction-daily": {"task": "gongkai.interaction.tasks.daily", "schedule": 24 * 3600},
    "supervision-inspect-site": {"task": "gongkai.supervision.tasks.inspect_site",
                                 "schedule": 24 * 3600},
    "api-webhook-retry": {"task": "api.webhook_retry", "schedule": 60},
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
# Lock a user name *from one address*: a stranger's wrong passwords cannot lock an
# official out, and behind nginx the address is the citizen's (GONGKAI_TRUSTED_PROXIES).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "gongkai.core.ratelimit.client_ip"
AXES_USERNAME_CALLABLE = "gongkai.core.ratelimit.axes_username"
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
# Applicants' personal data is anonymised this many years after an application closes.
GONGKAI_FOI_PERSONAL_DATA_YEARS = _number("GONGKAI_FOI_PERSONAL_DATA_YEARS", 5, int, minimum=1)

EMAIL_BACKEND = _env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", "gongkai@huaiyin.example.gov.cn")
# SMTP (with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = _env("EMAIL_HOST", "localhost")
EMAIL_PORT = _number("EMAIL_PORT", 25, int, minimum=1)
EMAIL_HOST_USER = _env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20

# Demo data shipped in the package: a curated corpus subset (notices, laws, questions) and the
# seed plan. Nothing outside the package is read at run time.
GONGKAI_CORPUS_DIR = BASE_DIR / "gongkai" / "disclosure" / "data" / "demo"
GONGKAI_SEED_DIR = BASE_DIR / "gongkai" / "core" / "data" / "seed"

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

# Search: backend by dotted path (a SearchBackend subclass, or a module with a SearchBackend
# attribute) or by alias ("sqlite", "postgres"); None = chosen from the database engine.
GONGKAI_SEARCH_BACKEND = _env("GONGKAI_SEARCH_BACKEND")
# The configured backend's options: any tuning attribute of its class (search/backends/),
# e.g. {"min_and_hits": 10, "rerank": 300}. Set in a settings module; unknown names fail.
GONGKAI_SEARCH_BACKEND_OPTIONS: dict = {}
# rjieba (Rust) cuts the same Chinese words as jieba (same dictionary; quality equal in
# bench/search_quality.py) 8-10x faster. A change of segmenter needs `gongkai search reindex`.
GONGKAI_SEGMENTER = _env("GONGKAI_SEGMENTER", "rjieba")
GONGKAI_SEARCH_TITLE_WEIGHT = _number("GONGKAI_SEARCH_TITLE_WEIGHT", 5.0, minimum=0.1)
# AND first; fewer entries than this holding every word: rank every entry with any word.
# bench/README.md: 10 is chosen by every cross-validation fold (held-out recall +0.009);
# with the re-ranker below it costs ~5% more search CPU at 100k (design note 42).
GONGKAI_SEARCH_MIN_AND_HITS = _number("GONGKAI_SEARCH_MIN_AND_HITS", 10, int, minimum=1)
# Abbreviation groups (gongkai/search/data/synonyms.tsv): 社保 finds 社会保险 and back. Off
# by default: cross-validated on the public questions it costs MRR (bench/README.md).
# A change needs `gongkai search reindex`.
GONGKAI_SEARCH_SYNONYMS = _bool("GONGKAI_SEARCH_SYNONYMS", False)
# Re-rank the engine's best candidates by where the words are (search/rerank.py: proximity,
# title, coverage; weights in search/data/rerank_weights.json, learned with cross-validation
# in bench/search_quality.py --rerank-cv). 0 off, 1 on at the shipped depth, N > 1 depth N.
# Held out (with MIN_AND_HITS 10) it reaches recall@10 0.979 and MRR@10 0.865-0.868 on both
# backends, against 0.945-0.962 / 0.819-0.837 for plain BM25 (bench/README.md); on since
# 100k was measured (design note 42).
GONGKAI_SEARCH_RERANK = _number("GONGKAI_SEARCH_RERANK", 1, int, minimum=0)
# A word in LIST_MIN_DF entries gets a top list of its LIST_SIZE best (search/impact.py).
GONGKAI_SEARCH_LIST_MIN_DF = _number("GONGKAI_SEARCH_LIST_MIN_DF", 1000, int, minimum=2)
GONGKAI_SEARCH_LIST_SIZE = _number("GONGKAI_SEARCH_LIST_SIZE", 100, int, minimum=10)
# 您是不是要找 on a search that found nothing may scan the vocabulary once for a mistyped
# first character (search/suggest.py; 50-100 ms per million distinct words).
GONGKAI_SEARCH_SUGGEST_SCAN = _bool("GONGKAI_SEARCH_SUGGEST_SCAN", True)
# Seconds an anonymous visitor's search page is kept in the shared cache (0: off); every
# change to what a public search page shows drops all kept pages at once on commit
# (gongkai/search/result_cache.py).
GONGKAI_SEARCH_RESULT_CACHE = _number("GONGKAI_SEARCH_RESULT_CACHE", 600, int, minimum=0)
# Remedy paragraph of answer letters (core/remedies.py): the government one level up and
# the courts by 行政诉讼法 Art. 14, 15, 18; a unit's own entries in the admin win.
GONGKAI_REMEDY_BODIES = {
    "upper_government": _env("GONGKAI_UPPER_GOVERNMENT", "济南市人民政府"),
    "local_court": _env("GONGKAI_LOCAL_COURT", "济南市槐荫区人民法院"),
    "intermediate_court": _env("GONGKAI_INTERMEDIATE_COURT", "济南市中级人民法院"),
}
# Calendar days a mailed 收费通知 is assumed to take until its 签收 date is recorded.
GONGKAI_FOI_FEE_MAIL_DAYS = _number("GONGKAI_FOI_FEE_MAIL_DAYS", 5, int, minimum=0)
# 建议提案 answer categories, code=label pairs (validated at start-up by the interaction app).
GONGKAI_PROPOSAL_CATEGORIES = _env("GONGKAI_PROPOSAL_CATEGORIES",
                                   "A=解决或采纳;B=正在解决或列入计划;C=留作参考")

# Logs go to stderr (journald under systemd). GONGKAI_LOG_FORMAT=json: one JSON object a line
# with the request id; every line written during a request carries its id either way.
GONGKAI_LOG_FORMAT = _env("GONGKAI_LOG_FORMAT", "text")
if GONGKAI_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"GONGKAI_LOG_FORMAT={GONGKAI_LOG_FORMAT!r}: use text or json")
# A request slower than this is logged as a warning with its timing; ACCESS_LOG logs them all.
GONGKAI_SLOW_REQUEST_MS = _number("GONGKAI_SLOW_REQUEST_MS", 1000.0, minimum=1)
GONGKAI_ACCESS_LOG = _bool("GONGKAI_ACCESS_LOG", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gongkai.core.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "gongkai.core.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": GONGKAI_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gongkai": {"level": _env("GONGKAI_LOG_LEVEL", "INFO")}},
}
# /healthz (gongkai/core/health.py): 503 when a check fails its limit.
GONGKAI_HEALTH_PATH = _env("GONGKAI_HEALTH_PATH", "/healthz")
GONGKAI_HEALTH_MAX_REPLICA_LAG = _number("GONGKAI_HEALTH_MAX_REPLICA_LAG", 30.0)
GONGKAI_HEALTH_MAX_QUEUE = _number("GONGKAI_HEALTH_MAX_QUEUE", 500, int)
GONGKAI_HEALTH_QUEUE_NAME = _env("GONGKAI_HEALTH_QUEUE_NAME", "celery")
GONGKAI_HEALTH_MIN_FREE_MB = _number("GONGKAI_HEALTH_MIN_FREE_MB", 1024, int)
CSRF_FAILURE_VIEW = "gongkai.portal.views.csrf_failure"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if GONGKAI_ENV != "development":
    # Cache-busting names (app.3f2a9c.css) and pre-compressed .gz/.br copies, made by
    # collectstatic (`gongkai serve` runs it); WhiteNoise serves them with a year's max-age.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
# Accounts lock by user name + address, never by address alone: a whole government office
# often shares one NAT address (axes.W006 warns about combined parameters).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Reverse proxies in front of the site (nginx: 1). The client address is read that many hops
# deep from X-Forwarded-For; 0 = REMOTE_ADDR (no proxy). core/ratelimit.py.
GONGKAI_TRUSTED_PROXIES = _number("GONGKAI_TRUSTED_PROXIES", 0, int, minimum=0)

# Static publish tree of anonymous public pages, served by nginx (gongkai/core/publish.py,
# `gongkai deploy nginx`). Pages are always purged on change; written only when on.
GONGKAI_PUBLISH = _bool("GONGKAI_PUBLISH", PRODUCTION)
GONGKAI_PUBLISH_DIR = Path(_env("GONGKAI_PUBLISH_DIR", str(VAR_DIR / "publish")))
# Behind nginx (`gongkai deploy nginx`): attachments leave through X-Accel-Redirect.
GONGKAI_MEDIA_ACCEL = _bool("GONGKAI_MEDIA_ACCEL", False)

# Media (uploaded attachments, letters): the filesystem under MEDIA_ROOT by default; with
# several application machines either a shared mount at MEDIA_ROOT or S3-compatible object
# storage through django-storages (pip install 'gongkai[s3]'; docs/scaling.md).
GONGKAI_MEDIA_STORAGE = _env("GONGKAI_MEDIA_STORAGE", "filesystem")
if GONGKAI_MEDIA_STORAGE == "s3":
    _bucket = _env("GONGKAI_S3_BUCKET")
    if _bucket is None:
        raise ImproperlyConfigured("GONGKAI_S3_BUCKET must be set when GONGKAI_MEDIA_STORAGE=s3")
    if GONGKAI_MEDIA_ACCEL:
        raise ImproperlyConfigured(
            "GONGKAI_MEDIA_ACCEL serves files from MEDIA_ROOT: turn it off with "
            "GONGKAI_MEDIA_STORAGE=s3")
    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _env("GONGKAI_S3_ENDPOINT_URL"),  # e.g. MinIO, a 政务云 OSS
            "region_name": _env("GONGKAI_S3_REGION"),
            "access_key": _env("GONGKAI_S3_ACCESS_KEY"),
            "secret_key": _env("GONGKAI_S3_SECRET_KEY"),
            # Attachments are released only by the application's checks: private objects,
            # short signed links.
            "default_acl": "private", "querystring_auth": True, "querystring_expire": 300,
            "file_overwrite": False,
        }},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
elif GONGKAI_MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(
        f"GONGKAI_MEDIA_STORAGE={GONGKAI_MEDIA_STORAGE!r} is invalid: use filesystem or s3")

import re  # noqa: E402

API_ANON_RATE = _env("GONGKAI_API_ANON_RATE") or "1200/min"
if not re.fullmatch(r"[1-9]\d*/(s|sec|m|min|h|hour|d|day)", API_ANON_RATE):
    raise ImproperlyConfigured(
        f"GONGKAI_API_ANON_RATE={API_ANON_RATE!r} must look like 1200/min (per s, min, hour, day)")
# Open API (gongkai.api): anonymous read-only JSON, writes only with an administrator's
# scoped token; errors in one JSON shape; OpenAPI 3 schema with locally served docs.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["gongkai.api.auth.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "gongkai.api.pagination.IdCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["gongkai.api.throttles.AnonApiThrottle",
                                 "gongkai.api.throttles.TokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon_api": API_ANON_RATE},
    # Like the rest of the site, clients are told apart by REMOTE_ADDR (a forged
    # X-Forwarded-For must not buy a fresh rate limit).
    "NUM_PROXIES": 0,
    "EXCEPTION_HANDLER": "gongkai.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务公开开放接口",
    "DESCRIPTION": "主动公开文件、政策解读、公开目录、政府公报、法规库、年度报告和"
                   "依申请公开统计的只读接口；供12345等系统提交依申请公开申请和政民互动留言并查询"
                   "办理状态、供新媒体系统读取可转载信息的接口（需管理员签发的令牌）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two models' choice sets are both called "status": name each after its model.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "gongkai.foi.models.Status",
        "MessageStatusEnum": "gongkai.interaction.models.MStatus",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "gongkai.api.schema.add_error_responses"],
}
# Read-only CORS on the API: any site may GET public data; writes come from servers.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
