from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from yigang.api.urls import api
from yigang.overview import views as overview_views
from yigang.towns import views as town_views

urlpatterns = [
    path("", overview_views.home, name="home"),
    path("town/", town_views.switch_town, name="switch_town"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context={"failure_limit": settings.AXES_FAILURE_LIMIT}
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("yigang.towns.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="jsi18n"),
    path("regulations/", include("yigang.regulations.urls")),
    path("register/", include("yigang.org.urls")),
    path("duties/", include("yigang.duties.urls")),
    path("hazards/", include("yigang.hazards.urls")),
    path("calendar/", include("yigang.workcalendar.urls")),
    path("signoff/", include("yigang.signoff.urls")),
    path("accidents/", include("yigang.accidents.urls")),
    path("assessment/", include("yigang.assessment.urls")),
    path("places/", include("yigang.places.urls")),
    path("api/", api.urls),
    path("audit/", include("yigang.towns.audit_urls")),
    path("county/", include("yigang.overview.county_urls")),
    path("", include("yigang.pwa.urls")),
]
handler403 = "yigang.middleware.forbidden"
handler404 = "yigang.middleware.not_found"
handler500 = "yigang.middleware.server_error"
