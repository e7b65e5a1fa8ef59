"""The Celery application. In the embedded default (no broker configured) tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("registre_ia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
