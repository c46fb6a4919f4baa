"""Request bodies are refused by size before they are read (issue 9.8): a 1 GB upload, even from an anonymous
client with a CSRF cookie, was written to disk before being refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.test.client import encode_multipart

from yigang.duties.models import DutyRecord

pytestmark = pytest.mark.django_db
GB = 1024**3
BOUNDARY = "BoUnDaRy"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class _Exploding(io.BytesIO):
    """A request body that must never be read."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def handlers_spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    started: list[str] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.new_file

        def spy(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            started.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(handler, "new_file", spy)
    return started


def _declared(client: Client, path: str, size: int) -> Any:
    """A POST declaring `size` bytes of multipart body, none of which may be read."""
    return client.generic(
        "POST", path, b"", content_type=MULTIPART, CONTENT_LENGTH=str(size), **{"wsgi.input": _Exploding()}
    )


def test_an_anonymous_gigabyte_is_refused_before_a_byte_is_read(db: Any, handlers_spy: list[str]) -> None:
    client = Client()
    client.get("/login/")  # a CSRF cookie, as the attacker had
    response = _declared(client, "/login/", GB)
    assert response.status_code == 413 and "过大" in response.content.decode()
    assert handlers_spy == []  # nothing went to memory or a temporary file


def test_an_anonymous_client_may_send_a_login_form_and_no_more(db: Any, users: dict[str, Any]) -> None:
    assert _declared(Client(), "/login/", 65 * 1024).status_code == 413
    ok = Client().post("/login/", {"username": "officer", "password": "Test-pass-123"})
    assert ok.status_code == 302


def test_a_logged_in_upload_over_the_limit_is_refused_unread(world: Any, handlers_spy: list[str]) -> None:
    client = world.client("officer")
    for path in ("/duties/records/new/", "/api/duties/records", "/duties/import/", "/regulations/import/"):
        response = _declared(client, path, GB)
        assert response.status_code == 413, path
    assert "附件请分几次提交" in _declared(client, "/duties/records/new/", GB).content.decode()
    assert _declared(client, "/api/duties/records", GB).json()["detail"].startswith("提交的内容过大")
    assert handlers_spy == []


def test_a_bad_content_length_is_a_400(db: Any) -> None:
    response = Client().generic("POST", "/login/", b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_a_file_larger_than_any_form_takes_is_stopped_while_it_streams(
    world: Any, settings: Any, handlers_spy: list[str]
) -> None:
    settings.MAX_UPLOAD_FILE_BYTES = 256 * 1024
    settings.DUTY_ATTACHMENT_MAX_BYTES = 64 * 1024
    settings.REGULATION_MAX_UPLOAD_BYTES = 64 * 1024
    before = DutyRecord.objects.count()
    big = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024))
    big.name = "大照片.png"
    body = encode_multipart(
        BOUNDARY,
        {
            "kind": "meeting",
            "date": "2025-03-20",
            "title": "例会",
            "place": "会议室",
            "posts": [world.leader_post.pk],
            "summary": "部署。",
            "attachments": big,
        },
    )
    response = world.client("officer").generic("POST", "/duties/records/new/", body, content_type=MULTIPART)
    assert response.status_code == 413 and "单个文件最多" in response.content.decode()
    assert DutyRecord.objects.count() == before


def test_the_limits_are_settings(world: Any, settings: Any) -> None:
    settings.MAX_REQUEST_BYTES = 1024
    response = world.client("officer").post("/duties/records/new/", {"title": "x" * 2000})
    assert response.status_code == 413
