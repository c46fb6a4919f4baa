from django.urls import path

from . import views

app_name = "signoff"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mine/", views.mine, name="mine"),
    path("county/", views.county, name="county"),
    path("distribute/", views.distribute, name="distribute"),
    path("nudge/", views.nudge, name="nudge_all"),
    path("settings/", views.settings, name="settings"),
    path("<int:pk>/", views.document, name="document"),
    path("<int:pk>/xlsx/", views.document_xlsx, name="document_xlsx"),
    path("<int:pk>/nudge/", views.nudge, name="nudge"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("tasks/<int:pk>/paper/", views.paper, name="paper"),
    path("confirmations/<int:pk>/scan/", views.scan, name="scan"),
    path("scans/<int:pk>/", views.scan_file, name="scan_file"),
    path("targets/", views.targets, name="targets"),
    path("targets/create/", views.target_create, name="target_create"),
    path("targets/<int:pk>/items/", views.target_item_add, name="target_item_add"),
    path("targets/items/<int:pk>/remove/", views.target_item_remove, name="target_item_remove"),
    path("targets/<int:pk>/issue/", views.target_issue, name="target_issue"),
    path("letters/<int:pk>/docx/", views.letter_docx, name="letter_docx"),
]
