from django.urls import path

from . import region_views, views

app_name = "regulations"

urlpatterns = [
    path("", views.regulation_list, name="list"),
    path("current/", views.regulation_current, name="current"),
    path("import/", views.regulation_import, name="import"),
    path("diff/", views.regulation_diff, name="diff"),
    path("<int:pk>/", views.regulation_detail, name="detail"),
    path("<int:pk>/source/", views.regulation_source, name="source"),
    path("<int:pk>/review/", views.regulation_review, name="review"),
    path("<int:pk>/activate/", views.regulation_activate, name="activate"),
    path("<int:pk>/discard/", views.regulation_discard, name="discard"),
    path("<int:pk>/duties/add/", views.duty_add, name="duty_add"),
    path("<int:pk>/duties/<int:duty_pk>/", views.duty_correct, name="duty_correct"),
    path("<int:pk>/duties/<int:duty_pk>/remove/", views.duty_remove, name="duty_remove"),
    path("<int:pk>/posts/", views.post_list, name="posts"),
    path("<int:pk>/posts/<slug:post>/", views.duty_list, name="duty_list"),
    path("<int:pk>/posts/<slug:post>/docx/", views.duty_list, {"fmt": "docx"}, name="duty_list_docx"),
    path("<int:pk>/posts/<slug:post>/xlsx/", views.duty_list, {"fmt": "xlsx"}, name="duty_list_xlsx"),
    # A level's own regulation and its model (issue 25.5): for the people at the level or above it.
    path("regions/", region_views.region_list, name="regions"),
    path("regions/<slug:code>/", region_views.region_home, name="region"),
    path("regions/<slug:code>/import/", region_views.region_import, name="region_import"),
    path("regions/<slug:code>/posts/", region_views.region_mapping, name="region_mapping"),
    path("regions/<slug:code>/<int:pk>/", region_views.region_version, name="region_version"),
    path("regions/<slug:code>/<int:pk>/source/", region_views.region_source, name="region_source"),
    path("regions/<slug:code>/<int:pk>/activate/", region_views.region_activate, name="region_activate"),
    path("regions/<slug:code>/<int:pk>/discard/", region_views.region_discard, name="region_discard"),
    path("regions/<slug:code>/<int:pk>/duties/add/", region_views.region_duty_add, name="region_duty_add"),
    path("regions/<slug:code>/<int:pk>/duties/<int:duty_pk>/", region_views.region_duty, name="region_duty"),
    path(
        "regions/<slug:code>/<int:pk>/duties/<int:duty_pk>/remove/",
        region_views.region_duty_remove,
        name="region_duty_remove",
    ),
    path(
        "regions/<slug:code>/<int:pk>/duties/<int:duty_pk>/model/",
        region_views.region_mark,
        name="region_mark",
    ),
]
