from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "yigang.audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from . import signals  # noqa: F401  - records login events (security events, not domain writes)
