from django.urls import path

from . import views

app_name = "accidents"

# No edit and no delete route: a change is a new version of the report.
urlpatterns = [
    path("", views.accident_list, name="list"),
    path("new/", views.accident_new, name="new"),
    path("figures/", views.figures, name="figures"),
    path("figures/xlsx/", views.figures_xlsx, name="figures_xlsx"),
    path("<int:pk>/", views.accident_detail, name="detail"),
    path("<int:pk>/change/", views.accident_change, name="change"),
    path("<int:pk>/extend/", views.accident_extend, name="extend"),
    path("<int:pk>/investigation/", views.accident_investigation, name="investigation"),
    path("<int:pk>/close/", views.accident_close, name="close"),
    path("<int:pk>/finding/", views.accident_finding, name="finding"),
    path("<int:pk>/docx/", views.accident_docx, name="docx"),
    path("tasks/<int:pk>/arrive/", views.task_arrive, name="arrive"),
    path("tasks/<int:pk>/verify/", views.task_verify, name="verify"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
