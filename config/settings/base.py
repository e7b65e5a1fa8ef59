"""Settings shared by every environment, read from the environment with django-environ.

With no environment at all this is the embedded default: SQLite, Celery tasks run eagerly, e-mail printed
on the console. Production (`config.settings.production`) overrides what must not have a default.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for (DJANGO_DEBUG=on, on a developer's machine): Django's debug page shows settings and code to
# whoever meets an error; the site's own pages (400.html, 403.html, 404.html, 500.html) say what happened instead.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-embedded-default-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served locally: intranets often have no internet access
    "csp",
    "axes",
    "guardian",
    "simple_history",
    "django_bootstrap5",
    "bootstrap",
    "core",
    "registry",
    "declarations",
    "audits",
    "transparency",
    "documents",
    "charter",
    "exchange",
    "security",
    "sso",
    "mutualisation",
    "fria",
    "explanations",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside the locale middleware: French typography of the pages answered in French (Content-Language).
    "core.typography.FrenchTypographyMiddleware",
    "core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character anywhere in the path, query, headers or form: 400 before PostgreSQL refuses it with a 500.
    "core.inputs.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After it: a request whose e-mails or document could not be queued (the broker out of reach) says they will follow.
    "registry.outbox.PostponedNotice",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.security.LoginRateLimitMiddleware",
    # Last: turns a login refused by django-axes (locked out) into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "core.context_processors.collectivite",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))


def tune_database(database: dict) -> dict:
    """PostgreSQL without JIT compilation: the register's queries are short, and the planner's cost estimates
    of its counting subqueries (menu badge, dashboard) reach the JIT threshold, where compiling costs more than
    the query itself (the scale benchmark measured "Mes tâches" counts at 111 ms with JIT, 35 ms without;
    docs/benchmarks.md). DJANGO_DB_JIT=on gives it back.

    SQLite (the embedded default) shared by the requests of one machine: write-ahead logging, so that reading
    never waits for a write; transactions that take the write lock when they begin (IMMEDIATE), so that two
    requests writing at once queue instead of failing with « database is locked » (a deferred transaction that
    read first cannot wait for the lock); and a busy timeout of SQLITE_BUSY_TIMEOUT seconds to queue in."""
    engine = database.get("ENGINE", "")
    if "postgresql" in engine and not env.bool("DJANGO_DB_JIT", default=False):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if "sqlite3" in engine:
        options = database.setdefault("OPTIONS", {})
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", env.int("SQLITE_BUSY_TIMEOUT", default=20))
    return database


tune_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login of a locked-out username + address before a password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Refuses the password sign-in of the accounts LOCAL_PASSWORD_LOGIN does not allow: before ModelBackend.
    "sso.backends.LocalPasswordGate",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in through the collectivité's OpenID Connect provider (docs/sso.md).
    "sso.backends.OidcBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "login"

# Guardian: anonymous users hold no object permission; we never create its anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# The collectivités' logos (/media/logos/), the only public media, served by the app itself: the embedded default
# has no proxy in front (production sets it off and leaves them to its proxy).
SERVE_LOGOS = env.bool("DJANGO_SERVE_LOGOS", default=True)
# bin/demo's logins share the password « demo »: seed_demo allows it when DEBUG is on, or when this says so.
if env("DEMO_ALLOW_DEFAULT_PASSWORD", default=None) is not None:
    DEMO_ALLOW_DEFAULT_PASSWORD = env.bool("DEMO_ALLOW_DEFAULT_PASSWORD")
# Uploaded files above this size go to a temporary file, not memory; each upload has its own limit besides
# (IMPORT_MAX_BYTES, EVIDENCE_MAX_BYTES, LOGO_MAX_BYTES). The body of a non-file request (form fields, JSON)
# is refused above DATA_UPLOAD_MAX_MEMORY_SIZE, and a form above DATA_UPLOAD_MAX_NUMBER_FIELDS fields.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=2000)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Registre IA <registre-ia@localhost>")

# Celery: with no broker configured, tasks run in-process so the app needs nothing else.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="registre-ia")
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's parsers, with a JSON document nested too deeply answered 400 (registry.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute"},  # nosec B105 — a rate, not a password
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Registre IA — API",
    "DESCRIPTION": (
        "API du registre des usages de l'intelligence artificielle d'une collectivité. "
        "Les codes (risque AI Act, sensibilité RGPD, etc.) suivent le vocabulaire public du registre."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Enums named after the vocabulary of DOMAIN.md rather than after the first field using them.
    "ENUM_NAME_OVERRIDES": {
        "UseCaseStatusEnum": "registry.choices.UseCaseStatus",
        "ToolStatusEnum": "registry.choices.ToolStatus",
        "ToolCategoryEnum": "registry.choices.ToolCategory",
        "Art5PracticeEnum": "registry.choices.Art5Practice",
        "AnnexIIIPointEnum": "registry.choices.AnnexIIIPoint",
        "Art6_3GroundEnum": "registry.choices.Art6_3Ground",
        "Art50FeatureEnum": "registry.choices.Art50Feature",
        "PersonalDataCategoryEnum": "registry.choices.PersonalDataCategory",
        "DataClassificationEnum": "registry.choices.DataClassification",
        "CheckpointEnum": "registry.choices.Checkpoint",
        "ReasonKindEnum": "registry.rules.KIND_ORDER",
        "DeclarationStatusEnum": "registry.choices.DeclarationStatus",
        "DeclarationAccountEnum": "registry.choices.DeclarationAccount",
        "DeclarationDeviceEnum": "registry.choices.DeclarationDevice",
        "DeclarationFrequencyEnum": "registry.choices.DeclarationFrequency",
        "DeclaredDataEnum": "registry.choices.DeclaredData",
        "DeclarationOutputEnum": "registry.choices.DeclarationOutput",
        "HumanReviewEnum": "registry.choices.HumanReview",
        "RiskLevelEnum": "registry.choices.RiskLevel",
        "BreachOutcomeEnum": "registry.choices.BreachOutcome",
        "DeclarationEventKindEnum": "declarations.api.EVENT_KINDS",
        "GuidanceVerdictEnum": "declarations.api.GUIDANCE_VERDICTS",
        "CheckpointFrequencyEnum": "audits.api.CHECKPOINT_FREQUENCIES",
        "CheckpointOriginEnum": "audits.api.CHECKPOINT_ORIGINS",
        "AttestationOutcomeEnum": "audits.api.ATTESTATION_OUTCOMES",
        "IncidentSeverityEnum": "audits.api.INCIDENT_SEVERITIES",
        "SeriousIncidentCategoryEnum": "audits.api.SERIOUS_CATEGORIES",
        "BreachRiskEnum": "audits.api.BREACH_RISKS",
        "PersonsExemptionEnum": "audits.api.PERSONS_EXEMPTIONS",
        "NotificationRecipientEnum": "audits.api.NOTIFICATION_RECIPIENTS",
        "NotificationChannelEnum": "audits.api.NOTIFICATION_CHANNELS",
        "NotificationStageEnum": "audits.api.NOTIFICATION_STAGES",
        "IncidentDeadlineStatusEnum": "audits.api.DEADLINE_STATUSES",
        "IncidentDeadlineCodeEnum": "audits.api.DEADLINE_CODES",
        "ReviewKindEnum": "registry.choices.ReviewKind",
        "ReviewStatusEnum": "registry.choices.ReviewStatus",
        "ReviewDecisionEnum": "registry.choices.ReviewDecision",
        "ReviewerRoleEnum": "registry.choices.ReviewerRole",
        "OpinionVerdictEnum": "registry.choices.OpinionVerdict",
        "ProgressStatusEnum": "registry.choices.ProgressStatus",
        "VendorReuseEnum": "registry.choices.VendorReuse",
        "CommitteeOpinionEnum": "registry.choices.CommitteeOpinion",
        "MemberVoteEnum": "registry.choices.MemberVote",
        "SessionStatusEnum": "registry.choices.SessionStatus",
        "ConditionSourceEnum": "registry.api.reviews_serializers.CONDITION_SOURCES",
        "TaskSectionEnum": "reporting.api.TASK_SECTIONS",
        "TaskObjectEnum": "reporting.api.TASK_OBJECTS",
        "QualificationFactEnum": "registry.api.serializers.FACT_CHOICES",
        "QualifiableInputEnum": "registry.api.serializers.OVERRIDABLE_CHOICES",
        "QuestionReasonEnum": "registry.api.serializers.QUESTION_REASONS",
        "ToolOriginEnum": "registry.api.serializers.ORIGIN_CHOICES",
        "DocumentKindEnum": "documents.api.DOCUMENT_KINDS",
        "DocumentStatusEnum": "documents.api.DOCUMENT_STATUSES",
        "FriaStatusEnum": "fria.api.FRIA_STATUSES",
        "FriaDecisionEnum": "fria.api.FRIA_DECISIONS",
        "ExplanationStatusEnum": "explanations.api.EXPLANATION_STATUSES",
        "ExplanationElementEnum": "explanations.api.EXPLANATION_ELEMENTS",
        "ExplanationSecretEnum": "explanations.api.EXPLANATION_SECRETS",
        "ExplanationRejectionReasonEnum": "explanations.api.EXPLANATION_REJECTION_REASONS",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI puts each one as a link inside the operation's button (WCAG 4.1.2, axe-core's
    # nested-interactive); the operations still open and close from the keyboard.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
}

# The register's own session lasts a working day, whether opened with a password or through the provider (sso).
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp), enforced: only the register's own scripts, styles and images; no inline
# script or style anywhere (the collectivité's colours are set by registry/js/theme.js, bars use width classes).
# NONCE is only written in the header of a response whose template used `request.csp_nonce`: the Swagger UI's
# inline script at /api/docs/. Every other page, the public register first, gets the same header for everyone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Features of the browser the register never uses: refused to the page and to anything it would embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Login brute force (django-axes): after AXES_FAILURE_LIMIT failures for one username from one address, that
# username is locked from that address for AXES_COOLOFF_TIME (minutes); a successful login resets the count.
# Covers the register's login page, the admin's and the API token endpoint (all go through authenticate()).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_TIME", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Password spraying (many usernames from one address): login POSTs per client address (django-ratelimit).
LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", default="60/m")

# Single sign-on through the collectivité's OpenID Connect provider (sso app, docs/sso.md): off while
# OIDC_RP_CLIENT_ID is unset. The endpoints come from the discovery document, or are given one by one.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_DISCOVERY_URL = env("OIDC_OP_DISCOVERY_URL", default="")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TOKEN_USE_BASIC_AUTH = env.bool("OIDC_TOKEN_USE_BASIC_AUTH", default=False)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_LABEL = env("OIDC_LABEL", default="")
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)
OIDC_ROLES_CLAIM = env("OIDC_ROLES_CLAIM", default="")
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_COLLECTIVITE = env("OIDC_COLLECTIVITE", default="")
OIDC_COLLECTIVITE_CLAIM = env("OIDC_COLLECTIVITE_CLAIM", default="")
OIDC_SERVICE_CLAIM = env("OIDC_SERVICE_CLAIM", default="")
OIDC_ACR_VALUES = env("OIDC_ACR_VALUES", default="")
OIDC_PROMPT = env("OIDC_PROMPT", default="")
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_OP_LOGOUT_URL_METHOD = "sso.views.provider_logout_url"
# Who may still sign in with a password: all, admins (administrators and superusers), none.
LOCAL_PASSWORD_LOGIN = env("LOCAL_PASSWORD_LOGIN", default="all")
if OIDC_RP_CLIENT_ID:
    # Signing out sends the browser on to the provider's end-session endpoint, and browsers apply the page's
    # form-action to the redirects that follow a form: the provider's origin must be allowed there.
    _provider = urlsplit(OIDC_OP_LOGOUT_ENDPOINT or OIDC_OP_DISCOVERY_URL or OIDC_OP_AUTHORIZATION_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [
        SELF,
        *env.list("OIDC_CSP_FORM_ACTION", default=[f"{_provider.scheme}://{_provider.netloc}"]),
    ]

# The base URL used in e-mails and documents (no request there).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each rendering step at INFO: keep its warnings only.
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"}},
}

# Cache (rate limits, throttles): in-process by default, Redis in production (CACHE_URL=redis://...).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://registre-ia")}
# The dashboard's statistics (counts and charts over the whole register) are kept this many seconds per
# collectivité (0: computed at every visit). What waits for the person stays live.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# The public register (pages, downloads, API): requests per client address (django-ratelimit / DRF throttle).
PUBLIC_RATE_LIMIT = env("PUBLIC_RATE_LIMIT", default="120/m")
# Requests for an explanation (explanations/): submissions of the public form and of the public API per client address,
# and how long after a request is closed the requester's personal data are kept before the purge clears them.
EXPLANATION_RATE_LIMIT = env("EXPLANATION_RATE_LIMIT", default="5/h")
EXPLANATION_RETENTION_MONTHS = env.int("EXPLANATION_RETENTION_MONTHS", default=24)
# The client's address, for every per-address defence (DRF throttles, django-ratelimit, django-axes) and the
# security trail alike: the number of reverse proxies in front of the register (config.security.client_ip).
# 0: REMOTE_ADDR, X-Forwarded-For ignored (anyone can send it). N: the N-th address from the right of
# X-Forwarded-For, the one the outermost proxy appended. The old advice (RATELIMIT_IP_META_KEY=
# HTTP_X_FORWARDED_FOR, one proxy) is read as 1 until it is replaced; a system check warns meanwhile.
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT",
    default=1 if "FORWARDED_FOR" in env("RATELIMIT_IP_META_KEY", default="").upper() else 0,
)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "core.security.ratelimit_ip"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# Shadow-AI declarations an agent may send per hour (a guard against scripts, not against people).
DECLARATION_RATE_LIMIT = env.int("DECLARATION_RATE_LIMIT", default=20)

# Human-control reminders: every morning, Europe/Paris (celery beat).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "checkpoint-reminders": {
        "task": "audits.tasks.send_checkpoint_reminders",
        "schedule": crontab(hour=env.int("REMINDERS_HOUR", default=7), minute=0),
    },
    # Notification deadlines of serious incidents and personal-data breaches (hours to days): every hour.
    "incident-reminders": {
        "task": "audits.tasks.send_incident_reminders",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    # Periodic re-reviews of approved use cases that are due (the owner and the reviewers are told).
    "open-due-rereviews": {
        "task": "registry.tasks.open_due_rereviews",
        "schedule": crontab(hour=env.int("REMINDERS_HOUR", default=7), minute=15),
    },
    # Alerts of the anonymous declarations of the previous days: sent the day after, they carry no time of day.
    "anonymous-declaration-alerts": {
        "task": "declarations.tasks.send_anonymous_declaration_alerts",
        "schedule": crontab(hour=env.int("REMINDERS_HOUR", default=7), minute=5),
    },
    # Use cases still classified by an older rule set (if the reclassification queued by `migrate` was lost).
    "reclassify-outdated": {
        "task": "registry.tasks.reclassify_register",
        "schedule": crontab(hour=env.int("REMINDERS_HOUR", default=7) - 1, minute=30),
    },
    # The sweep (registry.outbox, audits.documents): e-mails and tasks not handed to a worker (the broker was out of
    # reach) or not finished, documents nothing is generating (a worker killed). `manage.py dispatch_pending` without
    # beat.
    "dispatch-pending": {"task": "registry.tasks.dispatch_pending", "schedule": 60.0, "options": {"expires": 55}},
    "sweep-documents": {"task": "documents.tasks.sweep_documents", "schedule": 60.0, "options": {"expires": 55}},
    # Requests for an explanation: reminders before their one-month deadline and once late; the weekly purge of the
    # requesters' data past EXPLANATION_RETENTION_MONTHS.
    "explanation-reminders": {
        "task": "explanations.tasks.send_explanation_reminders",
        "schedule": crontab(hour=env.int("REMINDERS_HOUR", default=7), minute=20),
    },
    "explanation-purge": {
        "task": "explanations.tasks.purge_explanation_requests",
        "schedule": crontab(day_of_week="sunday", hour=3, minute=40),
    },
}
# Side effects (registry.outbox): how long after a write the sweep leaves its e-mails to the dispatch after commit,
# how long after handing them to the broker it hands them again if they are not done (a message lost), and how long
# a worker holds what it claimed without news (a worker killed: another takes over after this).
OUTBOX_GRACE_SECONDS = env.int("OUTBOX_GRACE_SECONDS", default=60)
OUTBOX_REDISPATCH_SECONDS = env.int("OUTBOX_REDISPATCH_SECONDS", default=900)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# How long a worker holds a document it generates (renewed before the rendering): longer than the longest rendering.
DOCUMENT_LEASE_SECONDS = env.int("DOCUMENT_LEASE_SECONDS", default=600)
# Import of an inventory (CSV or XLSX): the largest file and the most lines accepted.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
# Evidence files attached to attestations.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# A collectivité's logo (admin): PNG, JPEG or WebP only, bounded in bytes and in pixels a side.
LOGO_MAX_BYTES = env.int("LOGO_MAX_BYTES", default=1024 * 1024)
LOGO_MAX_SIDE = env.int("LOGO_MAX_SIDE", default=2000)
