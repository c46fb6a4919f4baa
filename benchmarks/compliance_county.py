"""County-scale compliance benchmark: 20 towns × 60 posts × 2 years of duty records in a temporary SQLite file.

    python benchmarks/compliance_county.py [--towns 20] [--posts 60] [--repeat 3] [--keep]

The regulation, units, posts, people and tenures go through the actions; the ~40,000 records and their credits
are bulk-inserted (this measures the computation, not data entry). Prints the timings as JSON; the results are
recorded in benchmarks/README.md. Not a unit test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(directory: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["YIGANG_VAR_DIR"] = str(directory)
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "yigang.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _town(index: int, posts_per_town: int, seed: bytes, rng: random.Random) -> int:
    from django.utils import timezone

    from yigang.duties.models import Credit, DutyRecord
    from yigang.org import actions as org
    from yigang.org.models import Post, Tenure
    from yigang.regulations import actions as reg
    from yigang.towns.models import Town

    town = Town.objects.create(code=f"t{index:02d}", name=f"测试镇{index:02d}", county="测试旗")
    regulation = reg.import_regulation(town=town, data=seed, filename="seed.txt", actor=None)
    # The seed binds only the leaders; departments and villages get monthly and quarterly duties too.
    for post, kind, count, period in [
        ("department_head", "inspection", 1, "month"),
        ("village_secretary", "inspection", 1, "month"),
        ("village_secretary", "meeting", 1, "quarter"),
        ("safety_deputy", "training", 1, "week"),
    ]:
        reg.add_duty(
            regulation=regulation,
            article=None,
            item=None,
            post=post,
            kind=kind,
            min_count=count,
            period=period,
            text="基准测试",
            actor=None,
        )
    reg.activate_regulation(regulation=regulation, actor=None, effective_from=datetime.date(2022, 1, 1))
    leaders = [
        ("镇党委", "party", "镇党委书记", "party_secretary"),
        ("镇人民政府", "government", "镇长", "mayor"),
        ("镇人大", "congress", "镇人大主席", "congress_chair"),
        ("镇党委", "party", "镇党委副书记", "deputy_party_secretary"),
        ("镇纪委", "discipline", "镇纪委书记", "discipline_secretary"),
        ("镇人民政府", "government", "分管安全副镇长", "safety_deputy"),
        ("镇人民政府", "government", "副镇长甲", "other_deputy"),
        ("镇人民政府", "government", "副镇长乙", "other_deputy"),
    ]
    units: dict[str, object] = {}
    posts = []
    for unit_name, unit_kind, title, kind in leaders:
        if unit_name not in units:
            units[unit_name] = org.add_unit(town=town, name=unit_name, kind=unit_kind, actor=None)
        posts.append(org.add_post(unit=units[unit_name], title=title, kind=kind, actor=None))  # type: ignore[arg-type]
    rest = posts_per_town - len(posts)
    for n in range(rest):
        village = n % 2 == 1
        unit = org.add_unit(
            town=town,
            name=f"{'嘎查' if village else '部门'}{n:02d}",
            kind="village" if village else "body",
            actor=None,
        )
        kind = "village_secretary" if village else "department_head"
        posts.append(org.add_post(unit=unit, title=f"{unit}负责人", kind=kind, actor=None))
    start = datetime.date(2023, 1, 1)
    for n, post in enumerate(posts):
        if n % 20 == 19:
            continue  # 5 % vacant
        person = org.add_person(town=town, name=f"人员{index:02d}-{n:02d}", actor=None)
        if n % 10 == 3:  # 10 % change holder in mid-2025
            org.appoint(post=post, person=person, start=start, end=datetime.date(2025, 6, 14), actor=None)
            other = org.add_person(town=town, name=f"人员{index:02d}-{n:02d}乙", actor=None)
            org.appoint(post=post, person=other, start=datetime.date(2025, 6, 15), actor=None)
        else:
            org.appoint(post=post, person=person, start=start, actor=None)
    assert Tenure.objects.filter(town=town).exists()

    kinds_by_post = {
        "party_secretary": ["inspection", "meeting"],
        "mayor": ["meeting", "inspection"],
        "congress_chair": ["supervision", "hearing", "inspection"],
        "deputy_party_secretary": ["inspection"],
        "discipline_secretary": ["supervision"],
        "safety_deputy": ["meeting", "inspection", "training"],
        "other_deputy": ["inspection"],
        "department_head": ["inspection"],
        "village_secretary": ["inspection", "meeting"],
    }
    records = []
    owners = []
    for post in Post.objects.filter(town=town):
        for kind in kinds_by_post[post.kind]:
            for year in (2024, 2025):
                for month in range(1, 13):
                    if rng.random() < 0.1:
                        continue  # 10 % of months without a record: some rows missed
                    day = datetime.date(year, month, rng.randint(1, 28))
                    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
                    records.append(
                        DutyRecord(
                            town=town,
                            kind=kind,
                            occurred_at=moment,
                            occurred_on=day,
                            title="基准记录",
                            place="镇政府",
                            summary="基准",
                            source="import",
                        )
                    )
                    owners.append(post)
    created = DutyRecord.objects.bulk_create(records, batch_size=2000)
    Credit.objects.bulk_create(
        # Each record is its post's own (led=True), so the 主持/组织 duties count it (docs/compliance.md).
        [Credit(town=town, record=r, post=p, led=True) for r, p in zip(created, owners, strict=True)],
        batch_size=2000,
    )
    return len(created)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=int, default=20)
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="yigang-bench-"))
    try:
        _setup(directory)
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        from yigang.duties.compliance import compute
        from yigang.towns.models import Town

        seed = (ROOT / "yigang" / "regulations" / "data" / "wushenzhao-2022.txt").read_bytes()
        rng = random.Random(42)  # noqa: S311 - benchmark data
        began = time.perf_counter()
        total = sum(_town(i, args.posts, seed, rng) for i in range(args.towns))
        build_s = time.perf_counter() - began
        today = datetime.date(2025, 12, 31)
        towns = list(Town.objects.order_by("pk"))

        reset_queries()  # the build filled DEBUG's query log; the count below needs room
        one = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                rows = len(compute(towns[0], 2025, today=today).rows)
            one.append(time.perf_counter() - began)
        everyone = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            all_rows = sum(len(compute(t, 2025, today=today).rows) for t in towns)
            everyone.append(time.perf_counter() - began)
        print(
            json.dumps(
                {
                    "towns": args.towns,
                    "posts_per_town": args.posts,
                    "records": total,
                    "build_seconds": round(build_s, 1),
                    "one_town_year": {
                        "rows": rows,
                        "queries": len(queries),
                        "median_seconds": round(statistics.median(one), 3),
                    },
                    "all_towns_year": {
                        "rows": all_rows,
                        "median_seconds": round(statistics.median(everyone), 3),
                    },
                    "python": sys.version.split()[0],
                    "database": "SQLite (temporary file)",
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    finally:
        if args.keep:
            print(f"database kept in {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
