"""Deployment checks of our own (`yigang check --deploy`), beside Django's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Production takes SECRET_KEY from the environment; the key in the data folder is for the command line."""
    if getattr(settings, "SECRET_KEY_FROM_ENV", True):
        return []
    return [
        Warning(
            f"SECRET_KEY is not set in the environment: the key in {settings.SECRET_KEY_FILE} is used.",
            hint="Set SECRET_KEY in the environment of the web server; the WSGI application refuses to start "
            "without it unless DEBUG is on (docs/deployment.md).",
            id="yigang.W001",
        )
    ]
