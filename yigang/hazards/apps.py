from django.apps import AppConfig


class HazardsConfig(AppConfig):
    """Hazards (隐患): reported from the field, routed by sector, rectified, accepted and closed, escalated."""

    name = "yigang.hazards"
    verbose_name = "隐患排查治理"
