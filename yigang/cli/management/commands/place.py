"""`yigang place import|export|template`: the places register (监管对象台账) in bulk (.xlsx)."""

from __future__ import annotations

from typing import Any

from yigang.cli.bulk import BulkCommand
from yigang.places import bulk


class Command(BulkCommand):
    help = (
        "Import places under supervision from .xlsx (all rows or none), export them, or write the template."
    )
    export_help = "write every place, open and closed, to an .xlsx"
    exported = "监管对象台账"
    refused = bulk.ImportRefused
    import_xlsx = staticmethod(bulk.import_xlsx)
    export_xlsx = staticmethod(bulk.export_xlsx)
    template_xlsx = staticmethod(bulk.template_xlsx)

    def summary(self, result: Any) -> str:
        return (
            f"{result.rows} 行；新增 {result.created} 个、更新 {result.updated} 个、"
            f"注销 {result.closed} 个、未变 {result.unchanged} 个"
        )
