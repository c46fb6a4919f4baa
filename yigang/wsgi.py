"""WSGI entry point for production servers."""

import logging
import os

from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigang.settings")
application = get_wsgi_application()

# A change of the security settings since the last start goes to the audit trail (等保2.0: setting changes).
try:
    from yigang.audit.config import record_settings_change

    record_settings_change()
except DatabaseError as exc:  # not migrated yet: `yigang migrate` comes first
    logging.getLogger(__name__).warning("security settings not recorded in the audit trail: %s", exc)
