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
    """What an operator sets: a key, the host name. HTTPS is left to its default (on, since DEBUG is off)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "HTTPS"}}
    env.update(
        SECRET_KEY="production-like-secret-" + "x" * 40,
        ALLOWED_HOSTS="yigang.example.gov.cn",
        **extra,
    )
    return env


def _yigang(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yigang", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _yigang(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(YIGANG_VAR_DIR=str(tmp_path))
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_the_key_comes_from_the_data_folder(tmp_path: Path) -> None:
    env = _production_env(YIGANG_VAR_DIR=str(tmp_path))
    env.pop("SECRET_KEY")
    result = _yigang("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0 and "yigang.W001" in result.stdout + result.stderr
    assert _yigang("check", env=env).returncode == 0  # the command line itself works with the file's key


WSGI_GET = """
import io, sys
import yigang.wsgi as w
status = []
environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": sys.argv[1], "QUERY_STRING": "", "SERVER_NAME": "yigang.example.gov.cn",
    "SERVER_PORT": "443", "HTTP_HOST": "yigang.example.gov.cn", "wsgi.url_scheme": "https",
    "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
}
body = b"".join(w.application(environ, lambda s, h, *a: status.append(s)))
print(status[0].split()[0], len(body))
"""


def test_production_refuses_to_start_without_a_secret_key_in_the_environment(tmp_path: Path) -> None:
    env = _production_env(YIGANG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yigang.settings")
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", WSGI_GET, "/static/js/yigang.js"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY is not set in the environment" in result.stderr


def test_the_production_start_collects_and_serves_static_files(tmp_path: Path) -> None:
    env = _production_env(YIGANG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="yigang.settings")
    assert not (tmp_path / "static").exists()
    result = subprocess.run(
        [sys.executable, "-c", WSGI_GET, "/static/js/yigang.js"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    status, size = result.stdout.split()
    assert status == "200" and int(size) > 0
    assert (tmp_path / "static" / "js" / "yigang.js").exists()


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


def test_the_api_schema_and_its_page_need_a_login(client: Any) -> None:
    for path in ("/api/openapi.json", "/api/docs"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), path
