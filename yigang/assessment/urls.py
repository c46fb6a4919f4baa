from django.urls import path

from .views import files, subjects, year

app_name = "assessment"

# No edit and no delete route: an adjustment is corrected by another adjustment; a published round never changes.
urlpatterns = [
    path("", year.index, name="index"),
    path("scheme/", year.scheme, name="scheme"),
    path("subject/", subjects.subject, name="subject"),
    path("adjust/", subjects.adjust, name="adjust"),
    path("open/", year.open_round, name="open"),
    path("publish/", year.publish, name="publish"),
    path("not-applicable/", subjects.not_applicable, name="not_applicable"),
    path(
        "not-applicable/<int:pk>/withdraw/", subjects.not_applicable_withdraw, name="not_applicable_withdraw"
    ),
    path("tie/", year.tie, name="tie"),
    path("adjustments/<int:pk>/file/", subjects.adjustment_file, name="adjustment_file"),
    path("notice.docx", year.notice_docx, name="notice_docx"),
    path("notice.xlsx", year.notice_xlsx, name="notice_xlsx"),
    path("accidents/<int:pk>/", files.accident_file, name="accident_file"),
    path("accidents/<int:pk>/docx/", files.accident_file_docx, name="accident_file_docx"),
    path("hazards/<int:pk>/", files.hazard_file, name="hazard_file"),
    path("hazards/<int:pk>/docx/", files.hazard_file_docx, name="hazard_file_docx"),
    path("accidents/<int:pk>/pdf/", files.accident_file_pdf, name="accident_file_pdf"),
    path("hazards/<int:pk>/pdf/", files.hazard_file_pdf, name="hazard_file_pdf"),
    # The accountability file's writes (issue 21): a 补录 admitted, the 安委办's finding, issuing a version.
    path("files/<str:kind>/<int:pk>/admit/", files.file_admit, name="file_admit"),
    path("files/<str:kind>/<int:pk>/finding/", files.file_finding, name="file_finding"),
    path("files/<str:kind>/<int:pk>/issue/", files.file_issue, name="file_issue"),
]
