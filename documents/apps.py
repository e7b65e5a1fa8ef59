from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The engine of generated documents: who may ask for which, the generation by a worker, the stored PDF."""

    name = "documents"
    verbose_name = _("Documents")
