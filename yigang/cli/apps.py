from django.apps import AppConfig


class CliConfig(AppConfig):
    """The `yigang` sub-commands: thin entry points over the domain apps' actions and queries."""

    name = "yigang.cli"
    verbose_name = "命令行"

    def ready(self) -> None:
        from . import checks  # noqa: F401  - registers the deployment checks
