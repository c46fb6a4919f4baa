from django.urls import path

from . import policy_views, views

app_name = "hazards"

# No edit and no delete route: a hazard changes only by the steps of its lifecycle, each kept as an event.
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.report, name="new"),
    path("stats/", views.stats, name="stats"),
    path("settings/", policy_views.settings, name="settings"),
    path("stats/xlsx/", views.stats, {"fmt": "xlsx"}, name="stats_xlsx"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/nudge/", views.nudge, name="nudge"),
]
