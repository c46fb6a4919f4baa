from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownsConfig(AppConfig):
    name = "yigang.towns"
    verbose_name = _("乡镇")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import policy

        # Security plumbing, not business logic: note in the new session what the account owes (policy.py).
        user_logged_in.connect(
            lambda sender, request, user, **kw: policy.start_session(request, user),
            dispatch_uid="yigang.towns.policy",
            weak=False,
        )
