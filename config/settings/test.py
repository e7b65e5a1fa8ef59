"""Test settings: the base settings, with fast hashing and e-mail kept in memory.

The database and broker still come from the environment: `.ci/run` exports PostgreSQL and Redis,
a newcomer's machine runs on SQLite with eager Celery.
"""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000/minute"}}  # noqa: F405  # nosec B105
PUBLIC_RATE_LIMIT = "100000/m"  # tests that prove the limit set their own
EXPLANATION_RATE_LIMIT = "100000/m"
LOGIN_RATE_LIMIT = "100000/m"  # tests/security/test_lockout.py sets its own
# No lockout while the suite logs in and out hundreds of times; tests/security/test_lockout.py turns it on.
AXES_ENABLED = False
