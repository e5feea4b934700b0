from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "langso.documents"
    label = "documents"
    verbose_name = _("Văn bản điện tử")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
