from django.urls import path

from . import inspection_views, order_views, views

app_name = "places"

urlpatterns = [
    path("", views.place_list, name="list"),
    path("add/", views.place_add, name="add"),
    path("<int:pk>/", views.place_detail, name="detail"),
    path("<int:pk>/edit/", views.place_edit, name="edit"),
    path("<int:pk>/assess/", views.place_assess, name="assess"),
    path("<int:pk>/close/", views.place_close, name="close"),
    path("<int:pk>/orders/new/", order_views.order_new, name="order_new"),
    path("orders/<int:pk>.docx", order_views.order_download, name="order_docx"),
    path("orders/<int:pk>/receipt/", order_views.order_receipt, name="order_receipt"),
    path("orders/<int:pk>/withdraw/", order_views.order_withdraw, name="order_withdraw"),
    path("bulk/", views.bulk_page, name="bulk"),
    path("bulk/template.xlsx", views.bulk_template, name="bulk_template"),
    path("bulk/export.xlsx", views.bulk_export, name="bulk_export"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("inspections/new/", inspection_views.inspection_new, name="inspection_new"),
    path("coverage/frequency/", views.frequency_set, name="frequency_set"),
    path("plans/<int:unit_pk>/", views.plan_page, name="plan"),
    path("plans/<int:unit_pk>/make/", views.plan_make, name="plan_make"),
    path("plans/<int:unit_pk>/set/", views.plan_set, name="plan_set"),
    path("routes/", views.route_list, name="routes"),
    path("routes/add/", views.route_add, name="route_add"),
    path("routes/<int:pk>/end/", views.route_end, name="route_end"),
]
