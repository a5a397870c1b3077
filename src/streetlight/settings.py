"""Django settings, all from the environment so one build runs anywhere (12-factor).

The defaults give a working single-machine install on an embedded SQLite file; production sets
DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import copy
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("STREETLIGHT_DATA_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise keep a random one in the data folder so sessions survive
    a restart of a development install without anybody committing a key."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "streetlight.core",
    "streetlight.accounts",
    "streetlight.audit",
    "streetlight.reports",
    "streetlight.routing",
    "streetlight.live",
    "streetlight.control",
    "streetlight.triage",
    "streetlight.insight",
    "streetlight.notify",
    "streetlight.integrations",
    "streetlight.alerts",
    "streetlight.subscriptions",
    "streetlight.community",
    "streetlight.nightwalks",
    "streetlight.companion",
    "streetlight.feeds",
    "streetlight.chat",
    "streetlight.complaints",
    "streetlight.stories",
]

MIDDLEWARE = [
    "streetlight.core.hardening.HardeningMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "streetlight.core.request_context.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "streetlight.accounts.middleware.SecondFactorMiddleware",
    "streetlight.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "streetlight.core.ratelimit.PublicRateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The benchmarks serve the same app with one extra endpoint (bench/floor_urls.py) to measure against.
ROOT_URLCONF = os.environ.get("STREETLIGHT_URLCONF", "streetlight.urls")
WSGI_APPLICATION = "streetlight.wsgi.application"
ASGI_APPLICATION = "streetlight.asgi.application"

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
                "django.template.context_processors.csp",
                "streetlight.core.context_processors.city",
            ],
        },
    },
]

# A request gives its connection back when it ends (conn_max_age=0): on PostgreSQL to psycopg's pool,
# which the request threads and the live hub share, so idle threads hold none; SQLite opens its file
# per request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'streetlight.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_POOL", True):
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "20")),
            "timeout": 10,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file safely.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too, as a city does, not Django's in-memory default: its shared cache refuses
    # a second writer at once ("database table is locked") where WAL waits, and the test servers'
    # request threads write at the same moment.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
# A read replica (a PostgreSQL hot standby) for the analysts' screens; core/db_router.py decides which
# reads may go there. Every write, and every other read, stays on the primary.
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(replica_url, conn_max_age=0)
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:  # the same pool or SQLite options
        DATABASES["replica"]["OPTIONS"] = {
            **copy.deepcopy(DATABASES["default"].get("OPTIONS", {})),
            **DATABASES["replica"].get("OPTIONS", {}),
        }
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # Read-only sessions: a write sent to the replica by mistake fails rather than diverges.
        DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c default_transaction_read_only=on"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["streetlight.core.db_router.ReplicaRouter"]
    MIDDLEWARE.append("streetlight.core.db_router.ReplicaReadsMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # No composition rules (an all-digit passphrase is as good as any of its length): ASVS 6.2.5.
    {"NAME": "streetlight.accounts.passwords.ContextWordsValidator"},
]

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "streetlight"}
    )
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("nl", "Nederlands"),
    ("it", "Italiano"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("STREETLIGHT_TIME_ZONE", "Europe/Rome")

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "streetlight.core.storage.StaticStorage"
            if env_bool("STREETLIGHT_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

# Security headers. HTTPS-only settings switch on with STREETLIGHT_HTTPS=1 behind TLS.
HTTPS = env_bool("STREETLIGHT_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every cookie HttpOnly and SameSite=Lax (no script reads the CSRF cookie: forms carry the token);
# under HTTPS also Secure and named __Host- (this host only, path /). Messages live in the session.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_NAME = "__Host-language" if HTTPS else "django_language"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

TILE_URL = os.environ.get("STREETLIGHT_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TILE_ATTRIBUTION = os.environ.get("STREETLIGHT_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
_tile_origin = "/".join(TILE_URL.split("/")[:3]) if TILE_URL.startswith("http") else None
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],  # the nonce: the policy report carries its own print styles
    "img-src": [CSP.SELF, "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Citizen intake
STREETLIGHT: dict[str, Any] = {
    "CITY_NAME": os.environ.get("STREETLIGHT_CITY_NAME", "Portavera"),
    "EMERGENCY_NUMBER": os.environ.get("STREETLIGHT_EMERGENCY_NUMBER", "112"),
    # "<count>/<period>" where period is s, m, h or d, optionally with a multiplier ("20/10m").
    "SUBMIT_RATE": os.environ.get("STREETLIGHT_SUBMIT_RATE", "20/10m"),
    # Every request by a visitor who is not signed in (pages, API, Open311, open data), per address.
    "PUBLIC_RATE": os.environ.get("STREETLIGHT_PUBLIC_RATE", "300/1m"),
    "MAX_PHOTO_BYTES": int(os.environ.get("STREETLIGHT_MAX_PHOTO_BYTES", str(8 * 1024 * 1024))),
    "MAX_PHOTOS": int(os.environ.get("STREETLIGHT_MAX_PHOTOS", "3")),
    "PHOTO_MAX_SIDE": int(os.environ.get("STREETLIGHT_PHOTO_MAX_SIDE", "2048")),
    # The whole request body, checked as it arrives (core/body_limit.py): the photos and the form.
    "MAX_REQUEST_BYTES": int(os.environ.get("STREETLIGHT_MAX_REQUEST_BYTES", str(26 * 1024 * 1024))),
    # Public outputs show the centre of an H3 cell of this resolution (8 ≈ 0.7 km²).
    # Where staff open the platform; used in e-mails and webhook payloads.
    "BASE_URL": os.environ.get("STREETLIGHT_BASE_URL", "http://127.0.0.1:8000"),
    "AREA_LEVEL": os.environ.get("STREETLIGHT_AREA_LEVEL", "district"),
    "PUBLIC_BLUR_RESOLUTION": int(os.environ.get("STREETLIGHT_PUBLIC_BLUR_RESOLUTION", "8")),
    # Public pages and open data never show a count under this (k); see docs/methods.md.
    "PUBLIC_MIN_COUNT": int(os.environ.get("STREETLIGHT_PUBLIC_MIN_COUNT", "10")),
    # Differentially private open data (insight/private_release.py), when the opendp package is
    # installed: ε per quarterly table (0 switches it off), a total budget (0: none), and how many
    # reports one person may add to a quarter's table.
    "DP_EPSILON": os.environ.get("STREETLIGHT_DP_EPSILON", "1.0"),
    "DP_BUDGET": os.environ.get("STREETLIGHT_DP_BUDGET", "0"),
    "DP_CONTRIBUTIONS": os.environ.get("STREETLIGHT_DP_CONTRIBUTIONS", "1"),
    # Days after a report is closed (docs/operations.md, "Retention and data rights"); categories may
    # override them. DELETE_DAYS 0 keeps anonymised reports as statistics for good.
    "RETENTION": {
        key: int(os.environ.get(f"STREETLIGHT_RETENTION_{key}", default))
        for key, default in {
            "CONTACT_DAYS": "90",
            "ANONYMISE_DAYS": "1095",
            "DELETE_DAYS": "2555",
            "SENSITIVE_CONTACT_DAYS": "60",
            "SENSITIVE_ANONYMISE_DAYS": "365",
            "SENSITIVE_DELETE_DAYS": "2555",
            "BATCH": "500",
        }.items()
    },
    # CAP warnings: the sender written in every message (default: streetlight@<host of BASE_URL>).
    "CAP_SENDER": os.environ.get("STREETLIGHT_CAP_SENDER", ""),
    # The public night-safety map shows a cell only with at least this many audits (default: k).
    "SAFETY_WALK_MIN_AUDITS": int(
        os.environ.get("STREETLIGHT_SAFETY_WALK_MIN_AUDITS", os.environ.get("STREETLIGHT_PUBLIC_MIN_COUNT", "10"))
    ),
    # Walk me home (companion/conf.py has the rest): minutes of grace after the expected arrival,
    # minutes positions stay after a walk ends, hours an alerted walk keeps them, longest walk.
    "COMPANION": {
        key: int(os.environ.get(f"STREETLIGHT_WALK_{key}", default))
        for key, default in {
            "GRACE_MINUTES": "5",
            "POSITION_GRACE_MINUTES": "15",
            "ALERT_KEEP_HOURS": "24",
            "MAX_HOURS": "6",
        }.items()
    },
    # Warning subscriptions: hours a confirmation link works.
    "SUBSCRIPTIONS": {"CONFIRM_HOURS": int(os.environ.get("STREETLIGHT_SUBSCRIPTION_CONFIRM_HOURS", "48"))},
    # Public posts (docs/feeds.md): the city's gazetteer (CSV: name, kind, lat, lon, area, aliases; default
    # the demo city's), and the feeds app's limits (feeds/conf.py lists them and their defaults).
    "GAZETTEER": os.environ.get("STREETLIGHT_GAZETTEER", ""),
    "FEEDS": {"PAUSE_AFTER_FAILURES": int(os.environ.get("STREETLIGHT_FEEDS_PAUSE_AFTER_FAILURES", "5"))},
    # The chat assistant (chat/conf.py has every key): retention, and the messaging channels, which
    # stay off until their secrets are set.
    "CHAT": {
        key: os.environ[f"STREETLIGHT_CHAT_{key}"]
        for key in (
            "RETENTION_DAYS",
            "IDLE_HOURS",
            "GENERIC_SECRET",
            "TELEGRAM_TOKEN",
            "TELEGRAM_SECRET",
            "TELEGRAM_API",
            "MATRIX_HOMESERVER",
            "MATRIX_HS_TOKEN",
            "MATRIX_AS_TOKEN",
            "MATRIX_USER_ID",
        )
        if os.environ.get(f"STREETLIGHT_CHAT_{key}")
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "streetlight.core.logformat.LineFormatter",  # one line per entry, UTC times
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# E-mail (Django 6.1 MAILERS). Without EMAIL_HOST, messages are printed by the console backend.
MAILERS: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if os.environ.get("EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "streetlight@localhost")

# Staff sign-in: password (argon2), then a one-time code (django-otp) for every role; see
# accounts/signin.py. django-axes pauses sign-in for a user name from an address after repeated
# failures, and every failure during the pause starts the wait again.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Single sign-on through the city's identity provider (OpenID Connect): on when OIDC_RP_CLIENT_ID
# is set. The provider's endpoints and keys come from the environment under mozilla-django-oidc's
# names; see docs/security/identity.md.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
STREETLIGHT_OIDC_NAME = os.environ.get("STREETLIGHT_OIDC_NAME", "")
STREETLIGHT_OIDC_ROLES_CLAIM = os.environ.get("STREETLIGHT_OIDC_ROLES_CLAIM", "streetlight_roles")
STREETLIGHT_OIDC_TRUST_MFA = env_bool("STREETLIGHT_OIDC_TRUST_MFA", True)
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("streetlight.accounts.oidc.ProviderBackend")
AXES_FAILURE_LIMIT = int(os.environ.get("STREETLIGHT_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("STREETLIGHT_SIGNIN_PAUSE_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "streetlight.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "streetlight.core.request_context.address_of"
AXES_VERBOSE = False
# Every refused password is kept (axes' failure log, in the admin) even after the person gets in.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Words no password may contain, besides "streetlight" and the city's name (accounts/passwords.py).
STREETLIGHT_PASSWORD_WORDS = env_list("STREETLIGHT_PASSWORD_WORDS", "")
OTP_TOTP_ISSUER = f"{os.environ.get('STREETLIGHT_CITY_NAME', 'Portavera')} Streetlight"
# Contact details and exports ask for password and code again if the last time was longer ago.
STREETLIGHT_REAUTH_SECONDS = int(os.environ.get("STREETLIGHT_REAUTH_SECONDS", "600"))
# A staff session lasts one shift at most and ends when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("STREETLIGHT_SESSION_HOURS", "10")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ...and ends after this long without a request (accounts/middleware.py; NIST SP 800-63B AAL2).
STREETLIGHT_IDLE_SECONDS = int(os.environ.get("STREETLIGHT_IDLE_MINUTES", "30")) * 60
# How often an open live queue checks that its session still exists (it ends when signed out).
STREETLIGHT_LIVE_SESSION_CHECK_SECONDS = float(os.environ.get("STREETLIGHT_LIVE_SESSION_CHECK_SECONDS", "60"))
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/control/"
LOGOUT_REDIRECT_URL = "/"
# Behind a proxy, name the header that carries the client's address (e.g. "HTTP_X_REAL_IP").
RATELIMIT_IP_META_KEY = os.environ.get("STREETLIGHT_CLIENT_IP_META") or None
CSRF_FAILURE_VIEW = "streetlight.core.views.csrf_failure"
