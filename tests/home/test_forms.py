"""Forms that never lose work: prefilled "录入" from a behind row, the only post ticked, the attachment asked
for again after an error, and the message saying which duties and periods a record counted toward."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.duties.conftest import PNG

pytestmark = pytest.mark.django_db
D = datetime.date


def _form(post: Any, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "research",
        "date": "2025-05-20",
        "time": "10:00",
        "title": "二季度安全生产专题调研",
        "place": "镇区液化气站",
        "posts": [post.pk],
        "summary": "调研液化气站安全管理。",
        **extra,
    }


def test_behind_row_links_to_a_prefilled_form(
    client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    client.force_login(users["officer"])
    page = client.get(reverse("duties:overview"), {"year": "2025"}).content.decode()
    # The mayor's 2025 Q2 research (2 a quarter, tests/duties/conftest.py) is missed: its row links to the form.
    link = f"post={posts['mayor'].pk}&amp;kind=research&amp;period=2025-04-01&amp;until=2025-06-30"
    assert link in page
    form = client.get(reverse("duties:record_new") + "?" + link.replace("&amp;", "&")).content.decode()
    assert 'value="2025-06-30"' in form  # a past period: its last day
    at = form.index(f'name="posts" value="{posts["mayor"].pk}"')
    assert "checked" in form[at : form.index(">", at)]
    assert '<option value="research" selected>' in form


def test_the_only_post_is_ticked(
    client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    from yigang.org.models import Person

    mayor = appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    Person.objects.filter(pk=mayor.pk).update(user=users["leader"])
    client.force_login(users["leader"])
    form = client.get(reverse("duties:record_new")).content.decode()
    at = form.index(f'name="posts" value="{posts["mayor"].pk}"')
    assert "checked" in form[at : form.index(">", at)]


def test_an_error_asks_for_the_attachment_again(
    client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    client.force_login(users["officer"])
    photo = io.BytesIO(PNG)
    photo.name = "现场.png"
    response = client.post(
        reverse("duties:record_new"), {**_form(posts["mayor"], title=""), "attachments": [photo]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写主题" in page and "请改正后重新选择附件再提交" in page


def test_saving_says_which_duty_and_period_it_counted_toward(
    client: Any, town: Any, users: Any, seed: Any, posts: Any, appoint: Any
) -> None:
    appoint(posts["mayor"], "巴图", D(2020, 1, 1))
    client.force_login(users["officer"])
    response = client.post(reverse("duties:record_new"), _form(posts["mayor"]))
    assert response.status_code == 302  # redirect after create: a refresh does not submit again
    said = [str(m) for m in get_messages(response.wsgi_request)]
    counted = next(m for m in said if m.startswith("计入："))
    assert "镇长（巴图）" in counted and "调研" in counted and "2025年第二季度 1/2" in counted
