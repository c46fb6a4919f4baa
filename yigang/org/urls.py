from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("sectors/", views.sector_table, name="sectors"),
    path("sectors/add/", views.sector_add, name="sector_add"),
    path("sectors/sync/", views.sectors_sync, name="sectors_sync"),
    path("supervisions/add/", views.supervision_add, name="supervision_add"),
    path("supervisions/<int:pk>/remove/", views.supervision_remove, name="supervision_remove"),
    path("lint/", views.register_lint, name="lint"),
]
