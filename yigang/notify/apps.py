from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Channels that tell people things: in-app notifications, e-mail, DingTalk and WeCom group robots."""

    name = "yigang.notify"
    verbose_name = "通知"
