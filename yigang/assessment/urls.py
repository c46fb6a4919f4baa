from django.urls import path

from . import views

app_name = "assessment"

# No edit and no delete route: an adjustment is corrected by another adjustment; a published round never changes.
urlpatterns = [
    path("", views.index, name="index"),
    path("scheme/", views.scheme, name="scheme"),
    path("subject/", views.subject, name="subject"),
    path("adjust/", views.adjust, name="adjust"),
    path("open/", views.open_round, name="open"),
    path("publish/", views.publish, name="publish"),
    path("not-applicable/", views.not_applicable, name="not_applicable"),
    path("not-applicable/<int:pk>/withdraw/", views.not_applicable_withdraw, name="not_applicable_withdraw"),
    path("tie/", views.tie, name="tie"),
    path("adjustments/<int:pk>/file/", views.adjustment_file, name="adjustment_file"),
    path("notice.docx", views.notice_docx, name="notice_docx"),
    path("notice.xlsx", views.notice_xlsx, name="notice_xlsx"),
    path("accidents/<int:pk>/", views.accident_file, name="accident_file"),
    path("accidents/<int:pk>/docx/", views.accident_file_docx, name="accident_file_docx"),
    path("hazards/<int:pk>/", views.hazard_file, name="hazard_file"),
    path("hazards/<int:pk>/docx/", views.hazard_file_docx, name="hazard_file_docx"),
    path("accidents/<int:pk>/pdf/", views.accident_file_pdf, name="accident_file_pdf"),
    path("hazards/<int:pk>/pdf/", views.hazard_file_pdf, name="hazard_file_pdf"),
    # The accountability file's writes (issue 21): a 补录 admitted, the 安委办's finding, issuing a version.
    path("files/<str:kind>/<int:pk>/admit/", views.file_admit, name="file_admit"),
    path("files/<str:kind>/<int:pk>/finding/", views.file_finding, name="file_finding"),
    path("files/<str:kind>/<int:pk>/issue/", views.file_issue, name="file_issue"),
]
