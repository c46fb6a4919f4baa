"""CSRF on every form, a Content-Security-Policy with no inline script, and a clean `check --deploy`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from .expected import OPERATIONS, PAGES

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(n for n, e in PAGES.items() if e.method == "POST"))
def test_every_post_route_refuses_a_request_without_the_csrf_token(name: str, world: Any) -> None:
    expect = PAGES[name]
    client = world.client("officer", enforce_csrf_checks=True)
    response = client.post(reverse(name, kwargs=expect.kwargs(world) or None), expect.data(world))
    assert response.status_code == 403, name


def test_api_writes_need_the_csrf_token_too(world: Any) -> None:
    # Session-authenticated API calls are CSRF-checked by django-ninja on unsafe methods.
    from ninja.security import django_auth

    from .test_authorisation import operations

    assert django_auth.csrf
    client = world.client("officer", enforce_csrf_checks=True)
    ops = operations()
    for op, expect in OPERATIONS.items():
        method, path = ops[op]
        if method in ("GET", "HEAD", "OPTIONS"):
            continue
        response = client.generic(method, path.format(**expect.kwargs(world)), "{}", "application/json")
        assert response.status_code in (401, 403), op


def test_pages_carry_a_content_security_policy_without_inline_script(world: Any) -> None:
    response = world.client("officer").get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-eval'" not in policy and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_holds_inline_javascript() -> None:
    offenders = []
    for template in (ROOT / "yigang").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            if pattern.search(text):
                offenders.append(f"{template.relative_to(ROOT)}: {what}")
    assert not offenders, (
        "the CSP blocks these; use data attributes and yigang/static/js/yigang.js:\n" + "\n".join(offenders)
    )


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        SECRET_KEY="production-like-secret-" + "x" * 40,
        ALLOWED_HOSTS="yigang.example.gov.cn",
        HTTPS="1",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yigang", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(YIGANG_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env(YIGANG_VAR_DIR=str(tmp_path))
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-m", "yigang", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_behind_https_cookies_are_secure_and_hsts_is_sent(tmp_path: Path) -> None:
    script = (
        "import django;django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests'))"
    )
    env = _production_env(YIGANG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yigang.settings")
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.split() == ["True", "True", "31536000", "True", "True"], out.stderr
