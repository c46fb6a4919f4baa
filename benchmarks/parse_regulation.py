"""Parser speed and memory: the seed regulation, and a synthetic regulation of ~1 MB and ~10 MB.

Run: .venv/bin/python benchmarks/parse_regulation.py   (prints a table; no database needed)
Targets: the seed parses in well under 100 ms; a 10 MB text (the upload limit) in under 30 s and 500 MB.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from importlib import resources

from yigang.regulations.parser import parse_source

SEED = resources.files("yigang.regulations").joinpath("data/wushenzhao-2022.txt").read_bytes()


def synthetic(target_bytes: int) -> bytes:
    """The seed's chapters 2–4 repeated with renumbered articles until the text reaches `target_bytes`."""
    text = SEED.decode("utf-8")
    body = text[text.index("第二章") :]
    parts, n = [text[: text.index("第二章")]], 13
    while sum(len(p.encode()) for p in parts) < target_bytes:
        chunk = body
        for old in range(13, 3, -1):
            n += 1
            chunk = chunk.replace(f"第{_cn(old)}条", f"第{n}条", 1)
        parts.append(chunk)
    return "".join(parts).encode("utf-8")


def _cn(n: int) -> str:
    from yigang.words import chinese_number

    return chinese_number(n)


def measure(data: bytes, repeat: int) -> tuple[float, float, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parsed = parse_source(data, "bench.txt")
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    parse_source(data, "bench.txt")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 1024 / 1024, len(parsed.duties)


def main() -> None:
    print(f"{'input':<22}{'size':>10}{'median s':>12}{'peak MiB':>12}{'duties':>10}")
    for name, data, repeat in [
        ("seed", SEED, 20),
        ("synthetic ~1 MB", synthetic(1_000_000), 3),
        ("synthetic ~10 MB", synthetic(10_000_000), 1),
    ]:
        seconds, peak, duties = measure(data, repeat)
        print(f"{name:<22}{len(data):>10}{seconds:>12.3f}{peak:>12.1f}{duties:>10}")


if __name__ == "__main__":
    main()
