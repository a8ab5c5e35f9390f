"""Batch scoring throughput and memory of `caremgr score`, one core, output to /dev/null.

Generates seeded, quiz-like answers (years in half-year steps, common weekly hours, a few
skills rated), then:
- scores 100,000 JSON Lines records and prints records per second (median of RUNS runs);
- scores 10,000 and 1,000,000 records and prints each run's peak memory (max RSS).
caremgr runs pinned to one core where the system allows it. Run it from a venv caremgr was
installed into from its wheel (see docs/performance.md):  python bench/score.py [RUNS]
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CAREMGR = str(Path(sys.executable).parent / "caremgr")
LEVELS = ["none", "high-school", "associate", "bachelor", "master", "doctorate"]
FIELDS = ["nursing", "social-work", "counseling", "psychology", "public-health", "gerontology", "unrelated"]
JOBS = ["none", "nursing", "case-management", "care-management", "other"]
SKILLS = ["clinical", "team-leadership", "project-management", "delegation", "networking", "bedside-manner",
          "positive-attitude", "teamwork", "negotiation", "emotional-support", "healthcare-law", "empathy",
          "organisation", "communication"]  # fmt: skip


def person(rng: random.Random, number: int) -> dict[str, object]:
    def years() -> float:
        return rng.choice([0, 0, 0, 0.5, 1, 1.5, 2, 3, 4, 5, 8])

    return {
        "id": f"p{number}",
        "education": {"level": rng.choice(LEVELS), "field": rng.choice(FIELDS)},
        "licenses": {"rn": rng.random() < 0.5, "other": rng.random() < 0.1},
        "experience": {
            "rn": years(),
            "case_management": years(),
            "supervised_care_management": years(),
            "direct_client_care": years(),
        },
        "ce_hours": {"case_management_last_3_years": rng.choice([0, 10, 20, 30, 40])},
        "employment": {"current": rng.choice(JOBS), "hours_per_week": rng.choice([0, 20, 30, 36, 40])},
        "preferences": {
            "care_style": rng.choice(["indirect", "direct", "no-preference"]),
            "work_setting": rng.choice(["facility", "client-homes", "no-preference"]),
        },
        "skills": {skill: rng.randint(1, 5) for skill in rng.sample(SKILLS, rng.randint(0, 6))},
    }


def write_records(path: Path, count: int) -> None:
    rng = random.Random(1)  # noqa: S311 - seeded test data, not secrets
    with path.open("w") as handle:
        for number in range(count):
            handle.write(json.dumps(person(rng, number)) + "\n")


def run(path: Path) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one `caremgr score` over the file."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child becomes caremgr, on one core, with stdout to /dev/null
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execv(CAREMGR, [CAREMGR, "score", str(path), "--as-of", "2026-11-28"])  # noqa: S606
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"caremgr score failed on {path}")
    return elapsed, usage.ru_maxrss


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        files = {count: Path(folder) / f"{count}.jsonl" for count in (10_000, 100_000, 1_000_000)}
        for count, path in files.items():
            write_records(path, count)
        subprocess.run([CAREMGR, "--version"], check=True, stdout=subprocess.DEVNULL)
        run(files[10_000])  # warm-up: bytecode and the catalog cache
        seconds = statistics.median(run(files[100_000])[0] for _ in range(runs))
        rate = 100_000 / seconds
        small, large = run(files[10_000])[1], run(files[1_000_000])[1]
    growth = (large - small) / small
    print(f"100,000 records: {seconds:.2f} s median of {runs}, {rate:,.0f} records/s (goal: at least 20,000)")
    print(f"peak memory: {small / 1024:.1f} MiB for 10,000 records, {large / 1024:.1f} MiB for 1,000,000"
          f" ({growth:+.1%}; goal: within 10%)")  # fmt: skip
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; {resource.getpagesize()}-byte pages")
    return 0 if rate >= 20_000 and abs(growth) <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
