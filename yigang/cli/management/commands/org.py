"""`yigang org import|export|template`: people, posts and tenures in bulk (.xlsx)."""

from __future__ import annotations

from typing import Any

from yigang.cli.bulk import BulkCommand
from yigang.org import bulk


class Command(BulkCommand):
    help = (
        "Import people, posts and tenures from .xlsx (all rows or none), export them, or write the template."
    )
    export_help = "write every tenure and every post never held to an .xlsx"
    exported = "人员任职"
    refused = bulk.ImportRefused
    import_xlsx = staticmethod(bulk.import_xlsx)
    export_xlsx = staticmethod(bulk.export_xlsx)
    template_xlsx = staticmethod(bulk.template_xlsx)

    def summary(self, result: Any) -> str:
        return (
            f"{result.rows} 行；新增人员 {result.people} 名、岗位 {result.posts} 个、"
            f"单位 {result.units} 个、任职 {result.tenures} 条；登记离任 {result.ended} 条；未变 {result.unchanged} 条"
        )
