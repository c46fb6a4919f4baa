from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "yigang.places"
    verbose_name = _("监管对象")

    def ready(self) -> None:
        # The register check (org.lint) learns the town's place-type routes from here: org sits below places and
        # does not import it (docs/architecture.md).
        from yigang.accidents import sources as accident_sources
        from yigang.hazards import sources
        from yigang.org import lint

        from .routes import place_facts, route_rows, routes_by_sector

        lint.register_route_source(routes_by_sector)
        # The hazard routing (below places too) learns an enterprise's place (主体责任) and the place-type routes.
        sources.register_place_source(place_facts)
        sources.register_route_table(route_rows)
        accident_sources.register_place_source(place_facts)
