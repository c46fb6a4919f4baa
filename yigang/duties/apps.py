from django.apps import AppConfig


class DutiesConfig(AppConfig):
    """Duty performance: evidence records, compliance, reminders and the annual duty file."""

    name = "yigang.duties"
    verbose_name = "履职"
