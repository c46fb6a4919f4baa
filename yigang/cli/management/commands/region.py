"""`yigang region add|list|place`: the levels above the county (issue 25) — province → 盟市 → 旗县.

A county Region carries the name its towns give (`Town.county`), so `place` puts a county the towns already name
under a 盟市 (adding its Region row on the way when there is none: give `--code`), and the 盟市's viewers read its
towns at once. Every write goes through yigang.towns.region_actions and the audit trail; nothing is deleted.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from yigang.towns import region_actions
from yigang.towns.commandline import actor_arg, dump
from yigang.towns.models import Region, RegionLevel, Town


def region_arg(value: str) -> Region:
    """A region by its code, or by its name where that name is one region's."""
    found = Region.objects.filter(code=value).first()
    if found is not None:
        return found
    named = list(Region.objects.filter(name=value)[:2])
    if len(named) == 1:
        return named[0]
    raise CommandError(
        f"没有代码或名称为“{value}”的区域" if not named else f"有多个名为“{value}”的区域，请用代码"
    )


class Command(BaseCommand):
    help = "Regions above the county: add one, list them, place a county under a 盟市."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add", help="a new province, 盟市 or county")
        p.add_argument("--code", required=True, help="a short code (letters, digits, hyphens)")
        p.add_argument("--name", required=True, help="a county's name as its towns give it")
        p.add_argument("--level", required=True, choices=RegionLevel.values)
        p.add_argument("--parent", help="the region above (code or name); none for a province")
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("list", help="the regions, with their towns, and counties that have no Region row")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("place", help="put a county (or a 盟市) under another region")
        p.add_argument("region", help="the county's name as its towns give it, or a region's code")
        p.add_argument("--parent", required=True, help="the region above (code or name)")
        p.add_argument("--code", help="the new county Region's code, when the county has no Region row yet")
        p.add_argument("--user", help="act as this user (audit trail)")
        p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "do_" + opts["action"])(opts)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None

    def _show(self, region: Region, opts: dict[str, Any], verb: str) -> None:
        row = _row(
            region, Town.objects.filter(county=region.name).count() if region.level == "county" else None
        )
        if opts["json"]:
            self.stdout.write(dump(row))
        else:
            above = f"，上级 {region.parent.name}" if region.parent_id and region.parent else ""
            self.stdout.write(f"已{verb}{region.get_level_display()} {region.name}（{region.code}）{above}")

    def do_add(self, opts: dict[str, Any]) -> None:
        region = region_actions.add_region(
            code=opts["code"],
            name=opts["name"],
            level=opts["level"],
            parent=region_arg(opts["parent"]) if opts["parent"] else None,
            actor=actor_arg(opts["user"]),
        )
        self._show(region, opts, "添加")

    def do_place(self, opts: dict[str, Any]) -> None:
        parent, actor = region_arg(opts["parent"]), actor_arg(opts["user"])
        given = opts["region"]
        found = (
            Region.objects.filter(code=given).first()
            or Region.objects.filter(level=RegionLevel.COUNTY, name=given).first()
        )
        if found is not None:
            self._show(region_actions.place(region=found, parent=parent, actor=actor), opts, "调整")
            return
        if not Town.objects.filter(county=given).exists():
            raise CommandError(f"没有乡镇属于“{given}”，也没有代码为“{given}”的区域")
        if not opts["code"]:
            raise CommandError(f"“{given}”还没有区域记录：请用 --code 给它一个代码")
        region = region_actions.add_region(
            code=opts["code"], name=given, level=RegionLevel.COUNTY, parent=parent, actor=actor
        )
        self._show(region, opts, "添加")

    def do_list(self, opts: dict[str, Any]) -> None:
        towns = dict(Town.objects.exclude(county="").order_by().values_list("county").annotate(n=Count("pk")))
        regions = list(Region.objects.select_related("parent").order_by("level", "name"))
        rows = [_row(r, towns.get(r.name, 0) if r.level == RegionLevel.COUNTY else None) for r in regions]
        counties = {r.name for r in regions if r.level == RegionLevel.COUNTY}
        loose = [{"county": name, "towns": n} for name, n in sorted(towns.items()) if name not in counties]
        if opts["json"]:
            self.stdout.write(dump({"regions": rows, "counties_without_region": loose}))
            return
        for r in rows:
            towns_text = "" if r["towns"] is None else f"  {r['towns']} 个乡镇"
            self.stdout.write(
                f"{r['code']:<16} {r['level_label']:<8} {r['name']:<12} {r['parent'] or '—'}{towns_text}"
            )
        for c in loose:
            self.stdout.write(f"（未归属盟市）{c['county']}  {c['towns']} 个乡镇")


def _row(region: Region, towns: int | None) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_label": str(region.get_level_display()),
        "parent": region.parent.code if region.parent_id and region.parent else None,
        "towns": towns,
    }
