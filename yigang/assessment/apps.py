from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Year-end assessment (年度考核) with 一票否决, and the accountability file (追责 / 尽职免责)."""

    name = "yigang.assessment"
    verbose_name = "考核与追责"
