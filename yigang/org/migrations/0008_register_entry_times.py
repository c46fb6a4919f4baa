"""The register's own entry times (issue 21). Rows already on record get none: the columns are added empty, and
only then do new rows default to the moment they are made (no invented time for the past)."""

import django.utils.timezone
from django.db import migrations, models


def _empty(verbose_name: str) -> models.DateTimeField:
    return models.DateTimeField(blank=True, editable=False, null=True, verbose_name=verbose_name)


def _stamped() -> models.DateTimeField:
    return models.DateTimeField(
        blank=True, default=django.utils.timezone.now, editable=False, null=True, verbose_name="录入时间"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_sector_synonyms_and_broader"),
    ]

    operations = [
        op
        for model in ("portfolio", "supervision", "tenure")
        for op in (
            migrations.AddField(model_name=model, name="end_recorded_at", field=_empty("终止日期录入时间")),
            migrations.AddField(model_name=model, name="recorded_at", field=_empty("录入时间")),
            migrations.AlterField(model_name=model, name="recorded_at", field=_stamped()),
        )
    ]
