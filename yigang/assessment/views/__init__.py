"""Assessment pages: the year's results (each reader sees what they may), a subject's workings, the officer's
adjustments and publishing, the 通报 downloads, and the accountability file of an accident or a hazard."""

from .files import (
    accident_file,
    accident_file_docx,
    accident_file_pdf,
    file_admit,
    file_finding,
    file_issue,
    hazard_file,
    hazard_file_docx,
    hazard_file_pdf,
)
from .subjects import adjust, adjustment_file, not_applicable, not_applicable_withdraw, subject
from .year import index, notice_docx, notice_xlsx, open_round, publish, scheme, tie

__all__ = [
    "accident_file",
    "accident_file_docx",
    "accident_file_pdf",
    "adjust",
    "adjustment_file",
    "file_admit",
    "file_finding",
    "file_issue",
    "hazard_file",
    "hazard_file_docx",
    "hazard_file_pdf",
    "index",
    "not_applicable",
    "not_applicable_withdraw",
    "notice_docx",
    "notice_xlsx",
    "open_round",
    "publish",
    "scheme",
    "subject",
    "tie",
]
