"""The JSON API (django-ninja): one router per app, session or basic-auth login, OpenAPI at /api/docs."""

from ninja import NinjaAPI
from ninja.security import django_auth

from .accidents import router as accidents_router
from .assessment import router as assessment_router
from .duties import router as duties_router
from .hazards import router as hazards_router
from .notify import router as notify_router
from .org import router as org_router
from .regulations import router as regulations_router
from .signoff import router as signoff_router

api = NinjaAPI(
    title="Yigang API",
    version="1",
    description="一岗双责 safety-responsibility register. Every call is scoped to what the user may see.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/regulations", regulations_router)
api.add_router("/register", org_router)
api.add_router("/duties", duties_router)
api.add_router("/notify", notify_router)
api.add_router("/hazards", hazards_router)
api.add_router("/signoff", signoff_router)
api.add_router("/accidents", accidents_router)
api.add_router("/assessment", assessment_router)
