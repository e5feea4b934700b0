from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top layer: home page, sign-in, the audit log page, the demo. It may import every
    app; nothing imports it (docs/architecture.md, `.importlinter`)."""

    name = "langso.site"
    label = "site"
    verbose_name = _("Trang chung")
