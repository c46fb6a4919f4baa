"""Static files for the production start (yigang/wsgi.py): collected into STATIC_ROOT before WhiteNoise indexes
it, so a server started with `DEBUG=0` serves `/static/` without a separate `collectstatic` step."""

from __future__ import annotations

import fcntl
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def collect() -> bool:
    """Copy new and changed static files to STATIC_ROOT (one process at a time); False when not needed.

    With DEBUG (or WHITENOISE_USE_FINDERS) WhiteNoise serves the files from where they are, so nothing is done.
    `collectstatic` copies only what changed, so a restart costs little.
    """
    if settings.DEBUG or getattr(settings, "WHITENOISE_USE_FINDERS", False):
        return False
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f".{root.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # several workers may start at once
        call_command("collectstatic", interactive=False, verbosity=0)
    return True
