from django.urls import include, path

from . import rules_views, town_duty_views, views

app_name = "duties"

# No edit and no delete route exists for records: a correction is an amendment (docs/compliance.md).
urlpatterns = [
    path("", views.overview, name="overview"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("records/", views.record_list, name="records"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/import/", views.import_records, name="import"),
    path("records/import/template/", views.import_template, name="import_template"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/amend/", views.record_amend, name="record_amend"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/<int:year>/", views.person_year, name="person_year"),
    path("people/<int:pk>/<int:year>/docx/", views.person_year, {"fmt": "docx"}, name="person_year_docx"),
    path("people/<int:pk>/<int:year>/xlsx/", views.person_year, {"fmt": "xlsx"}, name="person_year_xlsx"),
    path("settings/", views.reminder_settings, name="settings"),
    path("rules/", rules_views.record_rules, name="rules"),
    path("town-duties/", town_duty_views.town_duties, name="town_duties"),
    path("town-duties/<int:pk>/end/", town_duty_views.town_duty_end, name="town_duty_end"),
    # In-app notifications and the town's group robots live in yigang.notify, mounted here so the project
    # keeps one URL line for this work.
    path("notifications/", include("yigang.notify.urls")),
]
