"""Notifications made before they had a kind get it from their link: every sender links to its own app's pages
(a hazard's page, an accident's, a sign-off task, a person's duty year), so the path says what each was about."""

from django.db import migrations

PREFIXES = {
    "/hazards/": "hazard",
    "/accidents/": "accident",
    "/signoff/": "signoff",
    "/duties/": "duty",
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Notification = apps.get_model("notify", "Notification")
    for prefix, kind in PREFIXES.items():
        Notification.objects.filter(kind="other", url__startswith=prefix).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_notification_kind")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
