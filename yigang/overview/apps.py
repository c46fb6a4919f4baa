from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The pages that read across the domain apps: each role's home and the county's comparison of towns.

    It sits above the domain apps so that `towns` (tenancy, accounts, scope) imports none of them."""

    name = "yigang.overview"
    verbose_name = _("总览")
