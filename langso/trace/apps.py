from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "langso.trace"
    label = "trace"
    verbose_name = _("Truy xuất nguồn gốc")

    def ready(self) -> None:
        from langso.economy.queries import register_traceability

        from . import signals
        from .queries import product_trace_url

        signals.connect()
        # economy's product page and API link to the product's latest scan page
        register_traceability(product_trace_url)
