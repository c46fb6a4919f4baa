"""The JSON API (django-ninja): one router per app, session or basic-auth login, OpenAPI at /api/docs.

The schema and its documentation page need a login too: they map every operation of the application.
"""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.security import django_auth

from .duties import router as duties_router
from .notify import router as notify_router
from .org import router as org_router
from .regulations import router as regulations_router

api = NinjaAPI(
    title="Yigang API",
    version="1",
    description="一岗双责 safety-responsibility register. Every call is scoped to what the user may see.",
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
)
api.add_router("/regulations", regulations_router)
api.add_router("/register", org_router)
api.add_router("/duties", duties_router)
api.add_router("/notify", notify_router)
