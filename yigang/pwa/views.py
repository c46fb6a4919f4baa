"""The manifest (JSON built here so its words are translated and its URLs reversed) and the service worker."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """What a phone needs to put Yigang on its home screen: opens on the hazard report form."""
    data = {
        "name": _("一岗双责"),
        "short_name": _("一岗双责"),
        "description": _("上报隐患、录入履职，断网时先存在手机上，恢复网络后自动发送。"),
        "lang": "zh-CN",
        "start_url": reverse("hazards:new"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b00000",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": static("img/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
        "shortcuts": [
            {"name": _("上报隐患"), "url": reverse("hazards:new")},
            {"name": _("录入履职记录"), "url": reverse("duties:record_new")},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> FileResponse:
    """static/js/sw.js, at the root so that it may look after every page; always revalidated (updates land)."""
    path = finders.find("js/sw.js")
    if not path or not isinstance(path, str):
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="text/javascript")  # noqa: SIM115 - FileResponse closes it
    response["Service-Worker-Allowed"] = "/"
    return response
