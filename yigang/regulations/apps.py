from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RegulationsConfig(AppConfig):
    name = "yigang.regulations"
    verbose_name = pgettext_lazy("plural", "制度")
