"""CI: start the production server (`yigang serve`, gunicorn, DEBUG off) on PostgreSQL, log in, request the town
overview and a static file, and stop it. Bounded: gives up after 60 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yigang_smoke python scripts/production_smoke.py

The database named in DATABASE_URL is dropped and created afresh (never point it at a real one: the script
refuses the names `yigang` and `yigang_ci`). Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = time.monotonic() + 60
USERNAME, TOWN = "smoke-officer", "smoke"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fresh_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    if name in {"", "yigang", "yigang_ci"} or not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"refusing to recreate the database {name!r}: name a throw-away one")
    admin = urllib.parse.urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _yigang(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "yigang", *args], env=env, cwd=ROOT, check=True, timeout=60)  # noqa: S603


def _setup(env: dict[str, str], password: str) -> None:
    code = (
        "import django; django.setup()\n"
        "from yigang.towns.models import Town\n"
        "from yigang.towns.actions import create_account, add_membership\n"
        f"town = Town.objects.create(code={TOWN!r}, name='冒烟测试镇', county='测试旗')\n"
        f"user, _ = create_account(username={USERNAME!r}, password={password!r}, must_change=False, actor=None)\n"
        "add_membership(user=user, role='officer', town=town, actor=None)\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, timeout=60)  # noqa: S603


def _wait(url: str) -> None:
    while time.monotonic() < DEADLINE:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.3)
    sys.exit("the production server did not answer within the time limit")


def main() -> None:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yigang_smoke")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    _fresh_database(url)
    port = _free_port()
    var = tempfile.mkdtemp(prefix="yigang-smoke-")
    password = "Smoke-" + secrets.token_urlsafe(12)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",  # plain HTTP on loopback; nginx terminates TLS in a real deployment
        "YIGANG_VAR_DIR": var,
        "WEB_CONCURRENCY": "2",
        "DJANGO_SETTINGS_MODULE": "yigang.settings",
    }
    _yigang(env, "migrate", "--verbosity", "0")
    _setup(env, password)
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "yigang", "serve", "--bind", f"127.0.0.1:{port}"], env=env, cwd=ROOT
    )
    try:
        _wait(f"{base}/login/")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": password}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback http only
            f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"}
        )
        opener.open(request, timeout=10)
        overview = opener.open(f"{base}/", timeout=10)
        html = overview.read().decode()
        assert overview.status == 200 and "冒烟测试镇" in html, "the overview did not show the town"
        assert "smoke-officer" in html or "退出" in html or "logout" in html, "not logged in"
        css = opener.open(f"{base}/static/css/yigang.css", timeout=10)
        assert css.status == 200 and css.read(), "static files are not served without DEBUG"
        print(f"production server on PostgreSQL: login, overview and static files OK ({base})")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=max(5, DEADLINE - time.monotonic()))
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            sys.exit("the production server did not stop on SIGTERM")


if __name__ == "__main__":
    main()
