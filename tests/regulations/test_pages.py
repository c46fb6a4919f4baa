"""Regulation pages: what each role sees and may do; out-of-scope objects are 404s."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from yigang.audit.models import AuditEntry
from yigang.regulations.models import Regulation, Status

pytestmark = pytest.mark.django_db

READERS = ["officer", "leader", "body_staff", "village_staff", "county_viewer"]
NON_OFFICERS = ["leader", "body_staff", "village_staff", "county_viewer", "sysadmin"]


def _read_pages(reg: Any) -> list[str]:
    return [
        reverse("regulations:list"),
        reverse("regulations:current"),
        reverse("regulations:detail", args=[reg.pk]),
        reverse("regulations:source", args=[reg.pk]),
        reverse("regulations:posts", args=[reg.pk]),
        reverse("regulations:duty_list", args=[reg.pk, "mayor"]),
        reverse("regulations:duty_list_docx", args=[reg.pk, "mayor"]),
        reverse("regulations:duty_list_xlsx", args=[reg.pk, "mayor"]),
        reverse("regulations:diff"),
    ]


@pytest.mark.parametrize("role", READERS)
def test_it_shows_the_register_to_every_reading_role(
    role: str, users: dict[str, Any], regulation: Any, login: Any
) -> None:
    client = login(users[role])
    for url in _read_pages(regulation):
        response = client.get(url, follow=True)
        assert response.status_code == 200, (role, url)


def test_it_sends_anonymous_users_to_login(regulation: Any, client: Any) -> None:
    for url in [
        *_read_pages(regulation),
        reverse("regulations:import"),
        reverse("regulations:review", args=[regulation.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["other_officer", "nobody", "sysadmin"])
def test_it_hides_another_towns_regulation(
    role: str, users: dict[str, Any], regulation: Any, login: Any
) -> None:
    client = login(users[role])
    for url in _read_pages(regulation)[2:8]:
        assert client.get(url).status_code == 404, (role, url)


def test_the_tree_shows_chapters_articles_items_and_duty_marks(
    users: dict[str, Any], regulation: Any, login: Any
) -> None:
    html = login(users["leader"]).get(reverse("regulations:detail", args=[regulation.pk])).content.decode()
    assert "第一章 总则" in html
    assert "第十三条" in html
    assert html.count('class="duty-mark"') == 12
    assert "每年至少4次" in html


@pytest.mark.parametrize("role", NON_OFFICERS)
def test_only_the_officer_may_import_review_or_activate(
    role: str, users: dict[str, Any], town: Any, login: Any, seed_bytes: bytes
) -> None:
    from yigang.regulations import actions

    draft = actions.import_regulation(town=town, data=seed_bytes, filename="s.txt", actor=None)
    duty = draft.duties.first()
    client = login(users[role])
    expected = 404 if role == "sysadmin" else 403
    assert client.get(reverse("regulations:import")).status_code == (403 if role != "sysadmin" else 404)
    assert client.get(reverse("regulations:review", args=[draft.pk])).status_code == expected
    assert client.post(reverse("regulations:activate", args=[draft.pk])).status_code == expected
    assert client.post(reverse("regulations:discard", args=[draft.pk])).status_code == expected
    assert (
        client.post(reverse("regulations:duty_correct", args=[draft.pk, duty.pk]), {}).status_code == expected
    )
    assert client.post(reverse("regulations:duty_remove", args=[draft.pk, duty.pk])).status_code == expected
    assert client.post(reverse("regulations:duty_add", args=[draft.pk]), {}).status_code == expected
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    if role != "sysadmin":
        assert AuditEntry.objects.filter(event="auth.permission_denied", success=False).exists()


def test_the_officer_uploads_reviews_corrects_and_activates(
    users: dict[str, Any], town: Any, login: Any, seed_bytes: bytes
) -> None:
    client = login(users["officer"])
    upload = io.BytesIO(seed_bytes)
    upload.name = "wushenzhao-2022.txt"
    response = client.post(reverse("regulations:import"), {"file": upload})
    draft = Regulation.objects.get(town=town)
    assert response.status_code == 302
    assert response["Location"] == reverse("regulations:review", args=[draft.pk])

    review = client.get(response["Location"]).content.decode()
    assert "第四条 镇党委书记对本镇安全生产工作负总责" in review  # the source text beside the duties
    duty = draft.duties.get(article__number=8, item__number=2)
    prefix = f"d{duty.pk}"
    response = client.post(
        reverse("regulations:duty_correct", args=[draft.pk, duty.pk]),
        {
            f"{prefix}-post": "discipline_secretary",
            f"{prefix}-kind": "supervision",
            f"{prefix}-min_count": "2",
            f"{prefix}-period": "year",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已保存" in response.content.decode()
    duty.refresh_from_db()
    assert duty.kind == "supervision"

    response = client.post(reverse("regulations:activate", args=[draft.pk]), {"effective_from": "2022-08-04"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.ACTIVE


def test_a_bad_correction_shows_a_chinese_message_and_saves_nothing(
    users: dict[str, Any], town: Any, login: Any, seed_bytes: bytes
) -> None:
    from yigang.regulations import actions

    draft = actions.import_regulation(town=town, data=seed_bytes, filename="s.txt", actor=None)
    duty = draft.duties.first()
    prefix = f"d{duty.pk}"
    response = login(users["officer"]).post(
        reverse("regulations:duty_correct", args=[draft.pk, duty.pk]),
        {
            f"{prefix}-post": "mayor",
            f"{prefix}-kind": "meeting",
            f"{prefix}-min_count": "3",
            f"{prefix}-period": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "填写了次数就必须选择周期" in response.content.decode()
    duty.refresh_from_db()
    assert not duty.corrected


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "文件为空"),
        (b"\x00\x00\x00binary\x00\x00" * 50, "x.txt", "不是文本文件"),
        (b"PK\x03\x04garbage", "x.docx", "不是有效的 Word 文档"),
        ("今天天气很好。".encode(), "x.txt", "未能从文本中识别出"),
    ],
)
def test_the_upload_form_explains_bad_files(
    users: dict[str, Any], town: Any, login: Any, content: bytes, name: str, message: str
) -> None:
    upload = io.BytesIO(content)
    upload.name = name
    response = login(users["officer"]).post(reverse("regulations:import"), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Regulation.objects.exists()


def test_an_oversized_upload_is_refused(users: dict[str, Any], town: Any, login: Any, settings: Any) -> None:
    settings.REGULATION_MAX_UPLOAD_BYTES = 2048
    upload = io.BytesIO("第一条 测试。".encode() * 400)
    upload.name = "big.txt"
    response = login(users["officer"]).post(reverse("regulations:import"), {"file": upload})
    assert "文件过大" in response.content.decode()
    assert not Regulation.objects.exists()


def test_duty_list_exports_open_as_word_and_excel(users: dict[str, Any], regulation: Any, login: Any) -> None:
    client = login(users["leader"])
    docx = client.get(reverse("regulations:duty_list_docx", args=[regulation.pk, "mayor"]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(docx.content))
    assert "安全生产责任清单" in doc.paragraphs[0].text
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "每年至少4次" in cells
    assert any("组织召开有关安全生产工作会议" in c for c in cells)

    xlsx = client.get(reverse("regulations:duty_list_xlsx", args=[regulation.pk, "mayor"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "职责内容" in values
    assert sum(1 for v in values if v == "每年至少4次") == 2
    assert AuditEntry.objects.filter(event="export.duty_list").count() == 2


def test_an_unknown_post_is_404(users: dict[str, Any], regulation: Any, login: Any) -> None:
    assert (
        login(users["officer"])
        .get(reverse("regulations:duty_list", args=[regulation.pk, "emperor"]))
        .status_code
        == 404
    )


def test_the_diff_page_shows_changed_duties(
    users: dict[str, Any], regulation: Any, town: Any, login: Any, seed_bytes: bytes
) -> None:
    from yigang.regulations import actions

    revised = seed_bytes.decode().replace("（每月至少1次），分析形势", "（每月至少2次），分析形势").encode()
    v2 = actions.import_regulation(town=town, data=revised, filename="v2.txt", actor=None)
    html = (
        login(users["officer"])
        .get(reverse("regulations:diff"), {"old": regulation.pk, "new": v2.pk})
        .content.decode()
    )
    assert "每月至少1次" in html
    assert "每月至少2次" in html
    assert "<ins>" in html


def test_a_department_heads_list_holds_their_own_bodys_sectors_only(regulation: Any) -> None:
    from yigang.regulations.duty_list import build_duty_list

    everyone = build_duty_list(regulation, "department_head")
    own = build_duty_list(regulation, "department_head", "交警中队")
    assert sum("第十二条" in line.place for line in everyone.lines) == 13
    art12 = [line for line in own.lines if "第十二条" in line.place]
    assert len(art12) == 1 and "道路交通" in art12[0].text
    assert "交警中队" in own.title
    assert len(own.lines) == len(everyone.lines) - 12  # Art. 11's general duties stay
    # A body the regulation does not name (made by a later reorganisation) keeps every item.
    assert len(build_duty_list(regulation, "department_head", "新设应急管理办公室").lines) == len(
        everyone.lines
    )
