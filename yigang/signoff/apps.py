from django.apps import AppConfig


class SignoffConfig(AppConfig):
    """Sign-off (签收确认): the regulation, each holder's 责任清单 and the yearly 目标责任书 confirmed by each holder."""

    name = "yigang.signoff"
    verbose_name = "签收确认"
