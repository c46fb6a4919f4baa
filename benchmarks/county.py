"""County-scale benchmark behind `benchmarks/run`: every figure next to a baseline measured in the same run.

    benchmarks/run [--towns 10] [--database-url postgres://…/yigang_bench] [--out benchmarks]

Builds the synthetic county (`yigang demo --towns N`) in a temporary data folder (SQLite there, or the given
PostgreSQL database, which is dropped and recreated), then measures:

a) compliance of every post of every town for one year vs. the GROUP BY that counts the same counting records
   per post, duty kind and month (the floor);
b) page latencies (median, p95) and query counts of the overview, heatmap, a person's year, the register of
   records, the chain page and the hazard list, as the demo town's 安委办 officer;
c) throughput of the overview under 16 concurrent clients vs. the login page (the whole Django stack, no data)
   from the same `yigang serve` (gunicorn) — the ceiling of that server and process model; a static file
   (WhiteNoise, before the Django stack) is reported beside it;
d) .xlsx import of 10,000 duty records (5 files of 2,000, the import's row limit): rows per second, peak memory;
e) peak resident memory (VmHWM) of the server's workers after (c);
f) `yigang backup` and `yigang restore` (into an empty database): seconds and bytes.

Writes results.json and RESULTS.md into --out. Only 127.0.0.1 is contacted; every loop is bounded.
The functions take their inputs as arguments so tests/test_benchmarks.py runs them small inside the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import io
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
YEAR = 2025
CLIENTS = 16


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return times, result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# a) ---------------------------------------------------------------------------------------------------------------
def floor_rows(year: int) -> list[tuple[Any, ...]]:
    """The database's own floor: counting records per post, duty kind and month, for every town, in one GROUP BY."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from yigang.duties.models import Credit

    return list(
        Credit.objects.filter(
            record__occurred_on__year=year, record__withdrawn=False, record__amended_by__isnull=True
        )
        .annotate(month=TruncMonth("record__occurred_on"))
        .values_list("post_id", "record__kind", "month")
        .annotate(n=Count("id"))
        .order_by()
    )


def compliance_vs_floor(year: int, repeat: int = 3) -> dict[str, Any]:
    from yigang.duties.compliance import compute, compute_towns
    from yigang.towns.models import Town

    towns = list(Town.objects.order_by("pk"))
    today = datetime.date(year, 12, 31)
    floor_t, groups = _timed(lambda: floor_rows(year), repeat)
    # Every town at once (compute_towns: seven queries, as the county view computes them) — the figure; and town by
    # town (compute: seven queries each, as a town's own pages compute it) beside it.
    full_t, rows = _timed(lambda: sum(len(r.rows) for r in compute_towns(towns, year, today=today)), repeat)
    each_t, each_rows = _timed(lambda: sum(len(compute(t, year, today=today).rows) for t in towns), repeat)
    assert each_rows == rows, "compute_towns and compute disagree"
    floor, full, each = statistics.median(floor_t), statistics.median(full_t), statistics.median(each_t)
    return {
        "towns": len(towns),
        "compliance_rows": rows,
        "floor_groups": len(groups),
        "compliance_s": round(full, 4),
        "compliance_town_by_town_s": round(each, 4),
        "ratio_town_by_town": round(each / floor, 2) if floor else None,
        "floor_s": round(floor, 4),
        "ratio": round(full / floor, 2) if floor else None,
        "target_ratio": 2.0,
    }


# b) ---------------------------------------------------------------------------------------------------------------
def page_urls(user: Any, year: int) -> dict[str, str]:
    from django.urls import reverse

    from yigang.org.models import Person
    from yigang.towns.models import Membership

    town = Membership.objects.filter(user=user, town__isnull=False).first().town  # type: ignore[union-attr]
    person = Person.objects.filter(town=town, tenures__isnull=False).order_by("pk").first()
    assert person is not None, "a town with people"
    return {
        "overview": reverse("duties:overview"),
        "heatmap": reverse("duties:heatmap"),
        "person_year": reverse("duties:person_year", args=[person.pk, year]),
        "register": reverse("duties:records"),
        "chain": reverse("org:chain"),
        "hazard_list": reverse("hazards:list"),
    }


def page_latencies(user: Any, year: int, repeat: int = 20) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    client.force_login(user)
    out: dict[str, Any] = {}
    # Measured with nothing kept (duties/cache.py off): every request computes its page, as the first request after
    # a write does. (c) measures the overview as served, kept results included, and without them beside it.
    # As a `yigang serve` worker does once loaded (yigang/wsgi.py): what is loaded so far is frozen out of the
    # garbage collector's reach, so a full collection does not walk it inside a timed request.
    gc.collect()
    gc.freeze()
    try:
        with override_settings(COMPLIANCE_CACHE_SIZE=0):
            _pages(client, user, year, repeat, out)
    finally:
        gc.unfreeze()
    return out


def _pages(client: Any, user: Any, year: int, repeat: int, out: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, url in page_urls(user, year).items():
        client.get(url)  # warm: templates compiled, session loaded
        times, cpu = [], []
        queries = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            queries = len(captured)
        out[name] = {
            "url": url,
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(_p95(times) * 1000, 1),
            # This process's CPU time (SQLite's work included, a PostgreSQL server's not): unlike the wall
            # clock, it does not grow when other work shares the cores.
            "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
            "queries": queries,
        }


# d) ---------------------------------------------------------------------------------------------------------------
def xlsx_files(town: Any, rows: int, per_file: int = 2000) -> list[bytes]:
    """Workbooks in the import template's layout, `per_file` rows each, crediting the town's leader posts."""
    from openpyxl import Workbook

    from yigang.duties.importer import COLUMNS
    from yigang.org.models import Post

    candidates = Post.objects.filter(town=town, active=True).select_related("unit").order_by("pk")
    # A name with the list separator (镇党委副书记、政法委员) cannot be written in one cell: leave those out.
    posts = [p for p in candidates if not re.search(r"[、,，;；]", p.unit.name + p.title)][:8]
    files, n = [], 0
    while n < rows:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "履职记录"
        ws.append(list(COLUMNS))
        for _ in range(min(per_file, rows - n)):
            post = posts[n % len(posts)]
            day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=n % 365)
            ws.append(
                [
                    day.isoformat(),
                    "09:30",
                    "检查",
                    f"基准导入{n}",
                    "镇政府",
                    f"{post.unit.name}/{post.title}",
                    "",
                    "基准",
                ]
            )
            n += 1
        buffer = io.BytesIO()
        wb.save(buffer)
        files.append(buffer.getvalue())
    return files


def xlsx_import(town: Any, actor: Any, rows: int) -> dict[str, Any]:
    """Rows per second over every file (no tracing: tracemalloc slows Python down several times), then the peak
    Python memory of importing one more file of the same size under tracemalloc — files are independent, so one
    file's peak is the import's."""
    from yigang.duties.importer import import_records

    files = xlsx_files(town, rows)
    began = time.perf_counter()
    imported = 0
    for n, data in enumerate(files):
        result = import_records(town=town, data=data, filename=f"bench-{n}.xlsx", actor=actor)
        assert result.ok and not result.refused, (result.errors[:3], result.refused[:3])
        imported += result.created
    seconds = time.perf_counter() - began
    extra = xlsx_files(town, min(rows, 2000))[0]
    tracemalloc.start()
    result = import_records(town=town, data=extra, filename="bench-memory.xlsx", actor=actor)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok, result.errors[:3]
    return {
        "rows": imported,
        "files": len(files),
        "file_bytes": sum(len(f) for f in files),
        "seconds": round(seconds, 2),
        "rows_per_s": round(imported / seconds, 1),
        "peak_python_mib": round(peak / 2**20, 1),
        "peak_rows": result.created,
        "peak_measured_on": f"one more file of {result.created} rows, under tracemalloc",
    }


# c, e) ------------------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def _hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _load(url: str, cookie: str, seconds: float) -> int:
    """CLIENTS threads requesting `url` for `seconds`; returns the number of 200 answers."""
    done = [0] * CLIENTS
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback http
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
                done[i] += response.status == 200

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return sum(done)


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (from /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _measured(server_pid: int, url: str, cookie: str, seconds: float) -> tuple[float, float | None]:
    """Requests per second for `url`, and the server workers' CPU milliseconds per request — the share of the
    machine the workers got does not change the latter, so it compares pages fairly on a busy machine (None
    when a worker was replaced during the run)."""
    _load(url, cookie, 1)  # warm every worker right before (a worker recycled by --max-requests starts cold)
    workers = sorted(_children(server_pid))
    began = _cpu_seconds(workers)
    done = _load(url, cookie, seconds)
    same = sorted(_children(server_pid)) == workers
    cpu = (_cpu_seconds(workers) - began) if same else None
    return done / seconds, (round(cpu * 1000 / done, 1) if cpu is not None and done else None)


@contextlib.contextmanager
def _server(env: dict[str, str]) -> Iterator[tuple[int, str]]:
    """`yigang serve` on a free port, answering: its pid and base URL."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "yigang", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.3)
        yield server.pid, base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def throughput(env: dict[str, str], cookie: str, overview: str, seconds: float) -> dict[str, Any]:
    with _server(env) as (pid, base):
        static = f"{base}/static/css/yigang.css"
        trivial = f"{base}/login/"  # through the whole Django stack (sessions, middleware), a small template, no data
        static_rps, _ = _measured(pid, static, cookie, seconds)
        ceiling, ceiling_cpu = _measured(pid, trivial, "", seconds)
        page, page_cpu = _measured(pid, f"{base}{overview}", cookie, seconds)
        rss = max((_hwm_mib(p) for p in _children(pid)), default=0.0)
    # The same page with nothing kept (COMPLIANCE_CACHE_SIZE=0): what every request after a write costs, i.e. the
    # overview of a town where records are being entered all the time. Shown beside the target, not instead of it.
    with _server({**env, "COMPLIANCE_CACHE_SIZE": "0"}) as (pid, base):
        cold, cold_cpu = _measured(pid, f"{base}{overview}", cookie, seconds)
    return {
        "clients": CLIENTS,
        "workers": int(env.get("WEB_CONCURRENCY", "2")),
        "seconds": seconds,
        "overview_rps": round(page, 1),
        "ceiling_rps": round(ceiling, 1),
        "ceiling": "GET /login/ (not logged in)",
        "static_file_rps": round(static_rps, 1),
        "ratio_to_static": round(page / static_rps, 3) if static_rps else None,
        "ratio": round(page / ceiling, 3) if ceiling else None,
        "target_ratio": 0.25,
        # Server CPU per request (not a target): what the ratio would tend to on idle cores, if the load
        # generator (16 Python threads on the same cores) is not what limits the login page.
        "overview_cpu_ms": page_cpu,
        "ceiling_cpu_ms": ceiling_cpu,
        "overview_uncached_rps": round(cold, 1),
        "ratio_uncached": round(cold / ceiling, 3) if ceiling else None,
        "overview_uncached_cpu_ms": cold_cpu,
        "worker_peak_rss_mib": round(rss, 1),
        "target_rss_mib": 300,
    }


# f) ---------------------------------------------------------------------------------------------------------------
def _yigang(env: dict[str, str], *args: str, timeout: int = 3600) -> str:
    return _yigang_measured(env, *args, timeout=timeout)[0]


def _yigang_measured(env: dict[str, str], *args: str, timeout: int = 3600) -> tuple[str, float, float]:
    """Run `yigang …`; its stdout, seconds and peak RSS in MiB (of it and what it waited for: pg_dump…)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
            [sys.executable, "-m", "yigang", *args], env=env, cwd=ROOT, stdout=out, stderr=err
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)  # wait4, not wait(): it also gives the peak RSS
        finally:
            timer.cancel()
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        sys.stderr.write(stderr[-4000:])  # the command's own traceback: a failed build must say why
        raise subprocess.CalledProcessError(process.returncode, ["yigang", *args], stdout, stderr)
    return stdout, seconds, usage.ru_maxrss / 1024


def _restored_count(env: dict[str, str]) -> int:
    code = "import django; django.setup(); from yigang.duties.models import DutyRecord; print(DutyRecord.objects.count())"
    done = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return int(done.stdout.strip().splitlines()[-1])


def backup_restore(env: dict[str, str], restore_env: dict[str, str], directory: Path) -> dict[str, Any]:
    """`yigang backup`, then `yigang restore` into an empty, migrated database: seconds, bytes (database and
    uploaded files apart), peak RSS of each command, and whether the restored copy has every record and an
    intact audit chain."""
    out, backup_s, backup_rss = _yigang_measured(env, "backup", "--dir", str(directory), "--json")
    made = json.loads(out)
    manifest = json.loads((Path(made["path"]) / "manifest.json").read_text(encoding="utf-8"))
    database_bytes = sum(f["size"] for f in manifest["files"] if not f["path"].startswith("media/"))
    _yigang(restore_env, "migrate", "--verbosity", "0")
    out, restore_s, restore_rss = _yigang_measured(restore_env, "restore", made["path"], "--force", "--json")
    restored = json.loads(out)
    return {
        "backup_s": round(backup_s, 2),
        "bytes": made["bytes"],
        "database_bytes": database_bytes,
        "media_bytes": made["bytes"] - database_bytes,
        "files": made["files"],
        "backup_peak_rss_mib": round(backup_rss, 1),
        "restore_s": round(restore_s, 2),
        "restore_peak_rss_mib": round(restore_rss, 1),
        "audit_chain_ok_after_restore": restored.get("audit_ok"),
        "records_after_restore": _restored_count(restore_env),
    }


# the run ------------------------------------------------------------------------------------------------------------
def _fresh_postgres(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    if name in {"", "yigang", "yigang_ci"} or not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"refusing to recreate the database {name!r}: name a throw-away one")
    admin = urllib.parse.urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _machine() -> dict[str, Any]:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in ln
        ),
        platform.processor(),
    )
    mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem.split()[1]) / 2**20, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "note": "2 cores; whatever else ran on them is said in the notes below",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="County-scale benchmark (benchmarks/README.md)")
    parser.add_argument("--towns", type=int, default=10)
    parser.add_argument("--database-url", help="a throw-away PostgreSQL database (default: SQLite)")
    parser.add_argument("--seconds", type=float, default=10, help="length of each throughput run")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page for the latencies")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--out", default=str(ROOT / "benchmarks"))
    parser.add_argument(
        "--only",
        default="a,b,c,d,f",
        help="the figures to measure, e.g. --only d,f (the county is always built; e comes with c)",
    )
    parser.add_argument("--note", action="append", default=[], help="a line for RESULTS.md (repeatable)")
    parser.add_argument(
        "--data",
        help="a data folder to use and keep (the SQLite county, or with --database-url the uploads of a PostgreSQL "
        "county that is then kept too, not recreated); `yigang demo` builds or completes the county there, skipping "
        "the towns already present: an interrupted build resumes. Default: a temporary folder and a new database",
    )
    parser.add_argument(
        "--results",
        default="results",
        help="name of the results file: NAME.json (NAME-postgresql.json); RESULTS.md reads every results*.json",
    )
    args = parser.parse_args()
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    if not only <= set("abcdf") or not re.fullmatch(r"results[a-z0-9-]*", args.results):
        sys.exit("--only: some of a,b,c,d,f; --results: results, or results-something")
    if not 1 <= args.towns <= 200 or not 1 <= args.seconds <= 120 or not 1 <= args.repeat <= 500:
        sys.exit("--towns 1..200, --seconds 1..120, --repeat 1..500")
    var = Path(args.data).resolve() if args.data else Path(tempfile.mkdtemp(prefix="yigang-bench-"))
    var.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{var / 'county.sqlite3'}"
    if url.startswith("postgres"):
        if not args.data:
            _fresh_postgres(url)
        restore_url = (
            url.rstrip("/").rsplit("/", 1)[0] + "/" + urllib.parse.urlparse(url).path.lstrip("/") + "_restore"
        )
        _fresh_postgres(restore_url)
    else:
        restore_url = f"sqlite:///{var / 'restored.sqlite3'}"
        for stale in var.glob("restored.sqlite3*"):  # a kept folder's restore from an earlier run
            stale.unlink()
        shutil.rmtree(var / "restored", ignore_errors=True)
        shutil.rmtree(var / "backups", ignore_errors=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "YIGANG_VAR_DIR": str(var),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "HTTPS": "0",
        "FORCE_PASSWORD_CHANGE": "0",
        "WEB_CONCURRENCY": "2",
        # (b) runs in this process as one `yigang serve` worker would: with its connection kept between requests.
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "600"),
        "DJANGO_SETTINGS_MODULE": "yigang.settings",
    }
    restore_env = {**env, "DATABASE_URL": restore_url, "YIGANG_VAR_DIR": str(var / "restored")}
    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "database": "PostgreSQL" if url.startswith("postgres") else "SQLite",
        "towns": args.towns,
        "measured": sorted(only),
        "notes": list(args.note),
    }
    out = Path(args.out)
    name = f"{args.results}.json" if results["database"] == "SQLite" else f"{args.results}-postgresql.json"

    def save() -> None:  # after every step: a run cut short still leaves what it measured
        (out / name).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        (out / "RESULTS.md").write_text(markdown(out))

    try:
        _yigang(env, "migrate", "--verbosity", "0")
        began = time.perf_counter()
        progress = _yigang(env, "demo", "--towns", str(args.towns), "--quiet").strip().splitlines()
        results["build_s"] = round(time.perf_counter() - began, 1)
        if url.startswith("postgres"):
            # The county was just bulk-loaded: give the planner the statistics autovacuum would gather (it may be
            # off or lagging on a benchmark server), so the floor and the pages alike run planned queries.
            _analyze(url)
        results["build_last_line"] = progress[-1] if progress else ""
        # A kept county (--data) is completed, not built: say how many towns were there already.
        results["towns_already_built"] = sum("已存在，跳过" in line for line in progress)
        results["build_s_per_town"] = round(results["build_s"] / args.towns, 2)
        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.contrib.sessions.backends.db import SessionStore

        from yigang.duties.models import DutyRecord
        from yigang.towns.models import Town

        results["records"] = DutyRecord.objects.count()
        print(
            f"county: {args.towns} towns, {results['records']} records, built in {results['build_s']} s",
            flush=True,
        )
        save()
        officer = get_user_model().objects.get(username="anweiban")
        if "a" in only:
            results["a_compliance"] = compliance_vs_floor(YEAR)
            print("a)", results["a_compliance"], flush=True)
            save()
        if "b" in only or "c" in only:
            results["b_pages"] = page_latencies(officer, YEAR, args.repeat)
            print("b)", results["b_pages"], flush=True)
            save()
        if "c" in only:
            session = SessionStore()
            session["_auth_user_id"] = str(officer.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = officer.get_session_auth_hash()
            session.create()
            cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
            overview = results["b_pages"]["overview"]["url"]
            results["c_e_throughput"] = throughput(env, cookie, overview, args.seconds)
            print("c/e)", results["c_e_throughput"], flush=True)
            save()
        if "f" in only:  # before (d): the county as built, not with the benchmark's imports in it
            results["f_backup"] = backup_restore(env, restore_env, var / "backups")
            print("f)", results["f_backup"], flush=True)
            save()
        if "d" in only:
            town = Town.objects.get(code="wushenzhao")
            results["d_import"] = xlsx_import(town, officer, args.import_rows)
            print("d)", results["d_import"], flush=True)
            save()
    finally:
        if not args.data:
            shutil.rmtree(var, ignore_errors=True)
    save()
    print(f"wrote {out / name} and {out / 'RESULTS.md'}")


def _verdict(value: float | None, target: float, lower_is_better: bool) -> str:
    if value is None:
        return "—"
    return "met" if (value <= target if lower_is_better else value >= target) else "**missed**"


def markdown(out: Path) -> str:
    """benchmarks/RESULTS.md from the results files present (SQLite, and PostgreSQL if it was run)."""
    lines = ["# Benchmark results (`benchmarks/run`)", ""]
    lines.append(
        "Generated by `benchmarks/run` from the results files beside this one; see benchmarks/README.md."
    )
    lines.append("")
    for path in sorted(out.glob("results*.json")):
        r = json.loads(path.read_text())
        m = r["machine"]
        lines += [
            f"## {r['database']} — {r['towns']} towns, {r['records']:,} duty records ({r['date']}, `{path.name}`)",
            "",
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, {m['os']}. "
            f"{m['note']}. "
            + (
                f"County built by `yigang demo --towns {r['towns']}` in {r['build_s']} s "
                f"({r.get('build_s_per_town', round(r['build_s'] / r['towns'], 2))} s a town)."
                if not r.get("towns_already_built")
                else f"County built earlier in a kept folder (`--data`; the notes say how long it took): "
                f"{r['towns_already_built']} towns were there already."
            ),
            "",
            "| figure | measured | baseline (same run) | ratio | target | |",
            "|---|---:|---:|---:|---:|---|",
        ]
        a = r.get("a_compliance")
        if a:
            lines.append(
                f"| a) compliance, every post of {a['towns']} towns, {YEAR} ({a['compliance_rows']:,} rows) | "
                f"{a['compliance_s']} s | GROUP BY floor {a['floor_s']} s ({a['floor_groups']:,} groups) | "
                f"{a['ratio']}× | ≤ {a['target_ratio']}× | {_verdict(a['ratio'], a['target_ratio'], True)} |"
            )
            if a.get("compliance_town_by_town_s") is not None:
                lines.append(
                    f"| a′) the same, town by town (`compute()` per town, as a town's pages do; not the target) | "
                    f"{a['compliance_town_by_town_s']} s | GROUP BY floor {a['floor_s']} s | "
                    f"{a['ratio_town_by_town']}× | — | |"
                )
        c = r.get("c_e_throughput")
        if c:
            lines.append(
                f"| c) overview under {c['clients']} clients, {c['workers']} workers | {c['overview_rps']} req/s | "
                f"login page {c['ceiling_rps']} req/s (static file {c['static_file_rps']}) | {c['ratio']} | "
                f"≥ {c['target_ratio']} | "
                f"{_verdict(c['ratio'], c['target_ratio'], False)} |"
            )
            if c.get("overview_uncached_rps") is not None:
                lines.append(
                    f"| c″) the same, nothing kept (every request computes; not the target) | "
                    f"{c['overview_uncached_rps']} req/s, CPU {c.get('overview_uncached_cpu_ms')} ms | "
                    f"login page | {c['ratio_uncached']} | — | |"
                )
            if c.get("overview_cpu_ms") and c.get("ceiling_cpu_ms"):
                lines.append(
                    f"| c′) server CPU per request (not a target) | overview {c['overview_cpu_ms']} ms | "
                    f"login page {c['ceiling_cpu_ms']} ms | "
                    f"{round(c['ceiling_cpu_ms'] / c['overview_cpu_ms'], 3)} | — | |"
                )
            lines.append(
                f"| e) peak RSS of one worker after (c) | {c['worker_peak_rss_mib']} MiB | — | — | "
                f"≤ {c['target_rss_mib']} MiB | {_verdict(c['worker_peak_rss_mib'], c['target_rss_mib'], True)} |"
            )
        d = r.get("d_import")
        if d:
            lines.append(
                f"| d) .xlsx import of {d['rows']:,} records ({d['files']} files) | {d['rows_per_s']} rows/s, "
                f"{d['seconds']} s | — | — | — | peak Python memory {d['peak_python_mib']} MiB "
                f"({d.get('peak_measured_on', 'all files, under tracemalloc')}) |"
            )
        f = r.get("f_backup")
        if f:
            detail = (
                f"{f['bytes']:,} bytes ({f['database_bytes']:,} database, {f['media_bytes']:,} uploads), "
                f"{f['files']:,} files; peak RSS {f['backup_peak_rss_mib']} / {f['restore_peak_rss_mib']} MiB; "
                f"records after restore {f['records_after_restore']:,}; "
                if "database_bytes" in f
                else f"{f['bytes']:,} bytes, {f['files']} files; "
            )
            lines.append(
                f"| f) backup / restore | {f['backup_s']} s / {f['restore_s']} s | — | — | — | "
                f"{detail}audit chain after restore: {f['audit_chain_ok_after_restore']} |"
            )
        for key, label in (
            ("a_compliance", "a"),
            ("b_pages", "b"),
            ("c_e_throughput", "c/e"),
            ("d_import", "d"),
            ("f_backup", "f"),
        ):
            if key not in r:
                lines.append(f"| {label}) not measured in this run | | | | | |")
        b = r.get("b_pages")
        if b:
            lines += [
                "",
                "Pages (b), as the demo town's 安委办 officer, in-process (Django test client, DEBUG off), with nothing "
                "kept (duties/cache.py off: every request computes its page):",
                "",
            ]
            lines += [
                "| page | median ms | p95 ms | median CPU ms | queries | p95 target |",
                "|---|---:|---:|---:|---:|---|",
            ]
            for page, v in b.items():
                verdict = _verdict(v["p95_ms"], 150, True) if r["database"] == "SQLite" else ""
                lines.append(
                    f"| {page} (`{v['url']}`) | {v['median_ms']} | {v['p95_ms']} | {v.get('cpu_median_ms', '—')} "
                    f"| {v['queries']} | ≤ 150 ms {verdict} |"
                )
        lines += ["", *(f"- {note}" for note in r.get("notes", []))]
        lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
