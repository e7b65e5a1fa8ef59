"""Production settings: PostgreSQL, Redis, a Celery worker and beat, gunicorn behind a TLS proxy.

Refuses to start without its secrets: DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS,
CELERY_BROKER_URL.
"""

from .base import *  # noqa: F403
from .base import env, tune_database

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# The logos under /media/logos/ are left to the proxy, as before (DJANGO_SERVE_LOGOS=on: the app serves them).
SERVE_LOGOS = env.bool("DJANGO_SERVE_LOGOS", default=False)
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
tune_database(DATABASES["default"])
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The directive alone changes nothing until the domain is submitted to the preload list.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Lax: the cookies go with a top-level navigation from another site (a link in an e-mail), never with a
# cross-site POST or an embedded request.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
EMAIL_CONFIG = env.email("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
