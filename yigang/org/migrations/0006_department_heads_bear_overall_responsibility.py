"""Art. 3: a body's principal head bears 全面领导责任; versions imported earlier stored 直接领导责任.

`RegulationPost.level` is never read from the text: it is the genre's default (`POST_LEVEL`) copied at import,
and that default was wrong for department heads. The chain and the person page read it, so the stored rows are
corrected to what the regulation says. The migration lives in `org` (whose chain reads these levels) so that it
does not race other work on the regulations app's migration numbers. Each corrected row is audited (one
`system.migration` entry in its town, written when `migrate` has finished: yigang/audit/migrating.py).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


NAME = "org.0006_department_heads_bear_overall_responsibility"


def _correct(apps: Any, old: str, new: str) -> None:
    from yigang.audit.migrating import note

    regulation_post = apps.get_model("regulations", "RegulationPost")
    wrong = regulation_post.objects.filter(kind="department_head", level=old, designation="sector")
    for pk in wrong.values_list("pk", flat=True).order_by("pk"):
        note(
            NAME,
            "regulations.RegulationPost",
            pk,
            {"kind": "department_head", "level": [old, new], "reason": "第三条：部门负责人负全面领导责任"},
        )
    wrong.update(level=new)


def forwards(apps: Any, schema_editor: Any) -> None:
    _correct(apps, "direct", "overall")


def backwards(apps: Any, schema_editor: Any) -> None:
    _correct(apps, "overall", "direct")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_county_bodies_enterprise_heads"),
        ("regulations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
