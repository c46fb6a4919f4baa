"""Simplified Chinese by default; English when the user switches."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_speak_chinese_by_default_and_english_after_switching(
    users: dict[str, Any], regulation: Any, login: Any
) -> None:
    client = login(users["officer"])
    page = client.get(reverse("regulations:list")).content.decode()
    assert 'lang="zh-CN"' in page
    assert "制度版本" in page

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("regulations:list")).content.decode()
    assert 'lang="en"' in page
    assert "制度版本" not in page
    assert "Regulation versions" in page or "Versions" in page

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "制度版本" in client.get(reverse("regulations:list")).content.decode()


def test_the_english_catalogue_is_complete() -> None:
    from pathlib import Path

    po = Path(__file__).resolve().parents[1] / "yigang" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    empty = [e for e in entries if e.rstrip().endswith('msgstr ""') and "msgid_plural" not in e]
    assert not empty, f"{len(empty)} untranslated entries"
    assert "#, fuzzy" not in text
