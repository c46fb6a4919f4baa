from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    """Accidents (事故): the report, its grade by 国务院令第493号, the statutory clocks and the on-site duties."""

    name = "yigang.accidents"
    verbose_name = "事故"
