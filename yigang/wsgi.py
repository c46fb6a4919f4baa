"""WSGI entry point for production servers: the production start.

Before the application serves anything it
- refuses to start without `SECRET_KEY` in the environment unless DEBUG is on (the key kept in the data folder is
  for the command line and development; production takes it from the environment),
- collects the static files into STATIC_ROOT itself, so `/static/` is never a 404 after `DEBUG=0`
  (`yigang.cli.staticfiles.collect`: under a lock, so several workers starting at once do not race),
- records a change of the security settings in the audit trail.
"""

import logging
import os

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigang.settings")
django.setup(set_prefix=False)

if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENV:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set in the environment. Production takes it from there: set it to a long random "
        "value (docs/deployment.md). The key in the data folder is only for the command line and DEBUG=1."
    )

from yigang.cli.staticfiles import collect  # noqa: E402 - needs the settings above

collect()

from django.core.wsgi import get_wsgi_application  # noqa: E402 - WhiteNoise indexes STATIC_ROOT when it loads

application = get_wsgi_application()

# A change of the security settings since the last start goes to the audit trail (等保2.0: setting changes).
try:
    from yigang.audit.config import record_settings_change

    record_settings_change()
except DatabaseError as exc:  # not migrated yet: `yigang migrate` comes first
    logging.getLogger(__name__).warning("security settings not recorded in the audit trail: %s", exc)

# What is loaded by now (Django, the apps, their models, every view the URLconf imports) lives as long as the
# worker. Frozen out of the garbage collector's reach, it is no longer walked by every full collection: without
# this, a full collection every ten or so requests walked ~140,000 startup objects, ~50 ms of CPU landing on
# whichever request triggered it (measured on the overview: 5 ms a request on average, and the p95).
import gc  # noqa: E402

from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports the views now, so they are frozen with the rest
gc.freeze()
