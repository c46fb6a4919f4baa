from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownsConfig(AppConfig):
    name = "yigang.towns"
    verbose_name = _("乡镇")
