"""Art. 3: a body's principal head bears 全面领导责任; versions imported earlier stored 直接领导责任.

`RegulationPost.level` is never read from the text: it is the genre's default (`POST_LEVEL`) copied at import,
and that default was wrong for department heads. The chain and the person page read it, so the stored rows are
corrected to what the regulation says. The migration lives in `org` (whose chain reads these levels) so that it
does not race other work on the regulations app's migration numbers.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    regulation_post = apps.get_model("regulations", "RegulationPost")
    regulation_post.objects.filter(kind="department_head", level="direct", designation="sector").update(
        level="overall"
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    regulation_post = apps.get_model("regulations", "RegulationPost")
    regulation_post.objects.filter(kind="department_head", level="overall", designation="sector").update(
        level="direct"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_county_bodies_enterprise_heads"),
        ("regulations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
