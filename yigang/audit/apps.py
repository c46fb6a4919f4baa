from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "yigang.audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  - records login events (security events, not domain writes)
        from .migrating import write_notes

        # A data migration's changes to recorded facts, audited once the schema is complete (migrating.py).
        post_migrate.connect(write_notes, dispatch_uid="yigang.audit.migration_notes")
