"""Small ones of issue 26.6: the accident .docx through the export guard; a refusal is one log line; the
county's links from the accountability pages answer as the hazard and accident pages do; `yigang runserver`
says in Chinese which setting is missing; an unreachable database answers 503 with a Chinese page, and
`/healthz` answers 200 or 503 for nginx or a load balancer."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from docx import Document

from yigang import inputs

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '=HYPERLINK("http://evil.example","点我")\x01'


# ---------------------------------------------------------------- the accident .docx


def test_the_accident_docx_goes_through_the_export_guard(world: Any) -> None:
    from yigang.accidents.models import Report
    from yigang.org.models import Post

    report = world.accident.latest
    Report.objects.filter(pk=report.pk).update(
        course=f"{HOSTILE}卸油时\x1b发生闪燃",
        address="@SUM(A1)\x0b加油站",
        reporter="-安委办\ufffe",
        measures="+疏散\x08群众",
        unit_name=f"{HOSTILE}加油站",
    )
    Post.objects.filter(pk=world.leader_post.pk).update(title="+分管安全\x1b副镇长")
    response = world.client("officer").get(reverse("accidents:docx", args=[world.accident.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    texts.append(document.core_properties.title or "")
    joined = "\n".join(texts)
    assert "卸油时发生闪燃" in joined and "疏散群众" in joined and "分管安全副镇长" in joined
    for text in texts:
        assert inputs.control_character(text) is None, text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    assert b"\x01" not in xml and b"\x1b" not in xml
    name = response["Content-Disposition"]
    assert "\x01" not in name and "%01" not in name


# ---------------------------------------------------------------- a refusal is one log line


def test_a_refused_request_writes_one_line_not_a_traceback(
    world: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from yigang.middleware import RefusalLogFilter

    logger = logging.getLogger("django.request")
    assert any(isinstance(f, RefusalLogFilter) for f in logger.filters)  # as settings.LOGGING configures it
    caplog.set_level(logging.WARNING, logger="django.request")
    forbidden = world.client("leader").post(reverse("signoff:distribute"))
    missing = world.client("village_staff").get(reverse("hazards:detail", args=[world.hazard.pk + 10_000]))
    assert (forbidden.status_code, missing.status_code) == (403, 404)
    records = [r for r in caplog.records if r.name == "django.request"]
    assert {r.status_code for r in records} == {403, 404}  # type: ignore[attr-defined]
    handler = logging.StreamHandler(io.StringIO())
    for record in records:
        assert record.exc_info is None
        assert "\n" not in handler.format(record)


# ---------------------------------------------------------------- the county's links from the accountability file


def test_the_county_opens_the_accountability_file_of_any_town_it_reads(world: Any, make_town: Any) -> None:
    """The county viewer's current town is another town of the county: the hazard and accident pages answer
    (their scope is the county), and so do the accountability pages they link to."""
    third = make_town(code="galutu", name="嘎鲁图镇", county="乌审旗")
    client = world.client("county_viewer")
    assert client.post(reverse("switch_town"), {"town": third.pk, "next": "/"}).status_code == 302
    for page, file in (
        (
            reverse("hazards:detail", args=[world.hazard.pk]),
            reverse("assessment:hazard_file", args=[world.hazard.pk]),
        ),
        (
            reverse("accidents:detail", args=[world.accident.pk]),
            reverse("assessment:accident_file", args=[world.accident.pk]),
        ),
    ):
        shown = client.get(page)
        assert shown.status_code == 200 and file in shown.content.decode()
        assert client.get(file).status_code == 200, file
        assert client.get(file.rstrip("/") + "/docx/").status_code == 200
    # and no further than its scope: another county's viewer gets nothing
    assert (
        world.client("other_officer")
        .get(reverse("assessment:hazard_file", args=[world.hazard.pk]))
        .status_code
        == 404
    )


# ---------------------------------------------------------------- runserver without ALLOWED_HOSTS


def test_runserver_without_allowed_hosts_says_so_in_chinese(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE") and not k.startswith("PYTEST")
    }
    env.update(DEBUG="0", SECRET_KEY="k" * 50, YIGANG_VAR_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "yigang", "runserver", "--noreload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "未设置 ALLOWED_HOSTS" in done.stderr and "ALLOWED_HOSTS=" in done.stderr
    assert "You must set settings.ALLOWED_HOSTS" not in done.stderr


def test_the_check_speaks_only_of_runserver(settings: Any) -> None:
    from yigang.__main__ import missing_setting

    settings.DEBUG, settings.ALLOWED_HOSTS = False, []
    assert missing_setting(["yigang", "runserver"]) is not None
    assert missing_setting(["yigang", "migrate"]) is None
    settings.ALLOWED_HOSTS = ["yigang.example.gov.cn"]
    assert missing_setting(["yigang", "runserver"]) is None
    settings.DEBUG, settings.ALLOWED_HOSTS = True, []
    assert missing_setting(["yigang", "runserver"]) is None


# ---------------------------------------------------------------- the database down, /healthz


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Called: every new cursor fails as it does while PostgreSQL restarts (or the SQLite file is unreachable)."""
    from django.db import connections

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    return lambda: monkeypatch.setattr(type(connections["default"]), "ensure_connection", refuse)


def test_healthz_answers_200_while_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert not response.cookies  # no session, no login


def test_healthz_answers_503_without_details_when_it_does_not(database_down: Any) -> None:
    database_down()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"


def test_pages_answer_503_in_chinese_while_the_database_is_down(
    world: Any, database_down: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = world.client("officer", raise_request_exception=False)
    database_down()
    caplog.set_level(logging.ERROR, logger="django.request")
    page = client.get(reverse("hazards:list"))
    assert page.status_code == 503
    assert "系统暂时无法访问" in page.content.decode()
    assert page["Retry-After"] == "30"
    api = client.get("/api/regulations")
    assert api.status_code == 503
    assert "系统暂时无法访问" in api.json()["detail"]
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None and "Connection refused" in r.getMessage() for r in records)


def test_other_errors_stay_a_500(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from yigang.hazards import views

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "year_param", broken)
    response = world.client("officer", raise_request_exception=False).get(reverse("hazards:stats"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server restart needs a database server")
def test_a_database_restart_is_survived(world: Any, settings: Any) -> None:
    """The server ends every connection (as a restart does); the next request opens a new one: no error.

    In production Django runs `close_old_connections` as each request starts, and with CONN_HEALTH_CHECKS it
    pings a kept connection there and replaces a dead one; the test client leaves that signal out, so the test
    calls it where the request would."""
    import psycopg
    from django.db import close_old_connections

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

    client = world.client("officer")
    connection.settings_dict["CONN_MAX_AGE"] = 600
    try:
        assert client.get(reverse("hazards:list")).status_code == 200
        pid = connection.connection.info.backend_pid
        params = connection.get_connection_params()
        with psycopg.connect(
            **{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        close_old_connections()
        assert client.get(reverse("hazards:list")).status_code == 200
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
