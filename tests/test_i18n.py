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


def _entries(po_text: str) -> list[dict[str, Any]]:
    """The entries of a .po file (header left out) as dicts: msgctxt, msgid, msgid_plural, msgstr[…] and flags."""
    import ast

    entries = []
    for block in po_text.split("\n\n"):
        entry: dict[str, Any] = {"flags": set(), "msgstr": {}}
        field, form = "", 0  # the keyword a continued string belongs to; for msgstr, its plural form
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                if field == "msgstr":
                    entry["msgstr"][form] += ast.literal_eval(line)
                else:
                    entry[field] += ast.literal_eval(line)
            else:
                word, _sep, rest = line.partition(" ")
                field, form = word.partition("[")[0], int(word[7:-1]) if "[" in word else 0
                if field == "msgstr":
                    entry["msgstr"][form] = ast.literal_eval(rest)
                else:
                    entry[field] = ast.literal_eval(rest)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_the_english_catalogue_keeps_up_with_the_code(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """`make messages` on a copy of the code and the committed catalogue adds nothing: every string the code
    marks for translation is in the committed .po, translated (all plural forms) and not fuzzy."""
    import shutil
    from pathlib import Path

    from django.core.management import call_command

    if not all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq", "msgattrib")):
        pytest.skip("GNU gettext is not installed")
    source = Path(__file__).resolve().parents[1] / "yigang"
    committed = source / "locale" / "en" / "LC_MESSAGES" / "django.po"
    copy = tmp_path / "yigang"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    # makemessages writes into the catalogue next to the files it reads: the copy's, never the committed one.
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    def key(e: dict[str, Any]) -> tuple[str | None, str]:
        return (e.get("msgctxt"), e["msgid"])

    known = {key(e) for e in _entries(committed.read_text(encoding="utf-8"))}
    regenerated = _entries((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    missing = [key(e) for e in regenerated if key(e) not in known]
    untranslated = [
        key(e)
        for e in regenerated
        if not all(e["msgstr"].values()) or len(e["msgstr"]) < (2 if "msgid_plural" in e else 1)
    ]
    fuzzy = [key(e) for e in regenerated if "fuzzy" in e["flags"]]
    assert not missing, (
        f"{len(missing)} strings not in the catalogue (run `make messages` and translate): {missing[:10]}"
    )
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"
