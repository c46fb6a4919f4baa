"""One Chinese word, two English senses: the catalogue tells them apart with pgettext contexts.

检查 is an inspection (a duty kind) and the "check" button of the 责任体检; 已撤销 is a withdrawn record and a
dissolved unit; 删除 is a delete button and a provision a revision removed; 单位/人员/履职记录… are one thing as
a field label and many as a page or menu title.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("word", "plain", "context", "sense"),
    [
        ("检查", "Inspection", "run the check", "Check"),
        ("已撤销", "Withdrawn", "unit dissolved", "Dissolved"),
        ("撤销", "Revoke", "unit dissolved", "Dissolved"),
        ("删除", "Delete", "diff", "Removed"),
        ("单位", "Unit", "plural", "Units"),
        ("人员", "Person", "plural", "People"),
        ("履职记录", "Duty record", "plural", "Duty records"),
        ("版本", "Version", "plural", "Versions"),
        ("审计记录", "Audit record", "plural", "Audit trail"),
    ],
)
def test_each_sense_has_its_own_english(word: str, plain: str, context: str, sense: str) -> None:
    with translation.override("en"):
        assert (gettext(word), pgettext(context, word)) == (plain, sense)


def test_labels_and_titles_take_their_sense_on_the_page(users: dict[str, Any], login: Any) -> None:
    from yigang.duties.models import DutyRecord
    from yigang.org.models import Unit
    from yigang.regulations.choices import DutyKind

    with translation.override("en"):
        assert str(DutyKind.INSPECTION.label) == "Inspection"
        assert (str(Unit._meta.verbose_name), str(Unit._meta.verbose_name_plural)) == ("Unit", "Units")
        assert str(DutyRecord._meta.get_field("withdrawn").verbose_name) == "Withdrawn"
    client = login(users["officer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("org:units")).content.decode()
    assert "<h2>Units</h2>" in page
    lint = client.get(reverse("org:lint")).content.decode()
    assert '<button type="submit">Check</button>' in lint
