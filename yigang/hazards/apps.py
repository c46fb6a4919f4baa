from django.apps import AppConfig


class HazardsConfig(AppConfig):
    """Hazards (隐患): reported from the field, routed by sector, rectified, accepted and closed, escalated."""

    name = "yigang.hazards"
    verbose_name = "隐患排查治理"

    def ready(self) -> None:
        # Deadlines counted in working days are recounted when a year's holiday notice is entered.
        from yigang.workcalendar import dependents

        from .recalendar import recompute

        dependents.register("hazards", recompute)
