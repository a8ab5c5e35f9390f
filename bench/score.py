"""Batch scoring throughput and memory of `caremgr score`, one core, output to /dev/null.

The goals are issue 9's ("Speed, re-measured on honest data"). Two seeded datasets of JSON
Lines answers records:
- "present": the quiz-like data this script always used (years in half-year steps from a
  short list, five weekly hours, a few skills rated), so figures stay comparable with the
  past. Its few distinct values flatter anything that remembers per-person results;
- "survey": survey-like data with continuous values (years to 0.1, any weekly hours, any
  CE hours, every field answered, all fourteen skills rated).
It prints records per second on 100,000 records of each (median of RUNS interleaved runs),
and the peak memory (max RSS) for 10,000 and 1,000,000 survey records. caremgr runs pinned
to one core where the system allows it, with a cache folder of its own.

Run it from a venv caremgr was installed into from its wheel (see docs/performance.md):
    python bench/score.py [RUNS] [--caremgr PATH]...
RUNS defaults to 11. Each --caremgr adds an install to measure (default: the caremgr beside
this Python); give two to compare an old and a new wheel on the same data in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

AS_OF = "2026-11-28"
SURVEY_GOAL = 15_000  # records/s on the survey data
# The present data's figure before issue 9's rewrite: docs/performance.md, measured on
# 2026-11-28 with the cached version (catalog and validator cache, per-person memo tables)
# on the CI machine kind (2 cores). Elsewhere, measure that version beside the new one
# (two --caremgr) rather than against this figure.
PRESENT_REFERENCE = 21_217  # records/s
MEMORY_GOAL = 0.10  # peak RSS for 1,000,000 records within 10% of that for 10,000

LEVELS = ["none", "high-school", "associate", "bachelor", "master", "doctorate"]
FIELDS = ["nursing", "social-work", "counseling", "psychology", "public-health", "gerontology", "unrelated"]
JOBS = ["none", "nursing", "case-management", "care-management", "other"]
SKILLS = ["clinical", "team-leadership", "project-management", "delegation", "networking", "bedside-manner",
          "positive-attitude", "teamwork", "negotiation", "emotional-support", "healthcare-law", "empathy",
          "organisation", "communication"]  # fmt: skip
# The survey data uses every value data/roles.yaml allows.
ALL_FIELDS = ["nursing", "social-work", "counseling", "psychology", "public-health", "rehabilitation", "gerontology",
              "human-services", "other-related", "unrelated", "none"]  # fmt: skip
ALL_LEVELS = ["none", "high-school", "rn-diploma", "associate", "bachelor", "master", "doctorate"]
ALL_JOBS = ["none", "nursing", "rn-case-management", "case-management", "care-management", "other"]
LICENSES = ["rn", "lcsw", "lmsw", "lpc", "lmft", "other-independent", "lpn"]
EXPERIENCE_KINDS = ["rn", "case_management", "nursing_case_management", "case_management_ccm_supervised",
                    "case_management_supervisor", "supervised_care_management", "direct_client_care"]  # fmt: skip
CERTIFICATIONS: list[list[str]] = [[], [], [], ["crc"], ["cdms"]]

Generator = Callable[[random.Random, int], dict[str, object]]


def person(rng: random.Random, number: int) -> dict[str, object]:
    """The present data: unchanged, so that its figures compare with earlier ones."""

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


def survey_person(rng: random.Random, number: int) -> dict[str, object]:
    """Survey-like data: every field answered, continuous values, so few records repeat."""

    def years() -> float:
        return 0.0 if rng.random() < 0.25 else round(rng.uniform(0, 12), 1)

    return {
        "id": f"s{number}",
        "education": {
            "level": rng.choice(ALL_LEVELS),
            "field": rng.choice(ALL_FIELDS),
            "field_experience": rng.random() < 0.5,
        },
        "licenses": [license for license in LICENSES if rng.random() < 0.2],
        "certifications": rng.choice(CERTIFICATIONS),
        "experience": {kind: years() for kind in EXPERIENCE_KINDS},
        "ce_hours": {"case_management_last_3_years": rng.randint(0, 60)},
        "employment": {
            "current": rng.choice(ALL_JOBS),
            "hours_per_week": round(rng.uniform(0, 60) * 2) / 2,
            "supervised_by_ccm": rng.random() < 0.3,
            "supervises_case_managers": rng.random() < 0.1,
        },
        "preferences": {
            "care_style": rng.choice(["indirect", "direct", "no-preference"]),
            "work_setting": rng.choice(["facility", "client-homes", "no-preference"]),
        },
        "skills": {skill: rng.randint(1, 5) for skill in SKILLS},
    }


def write_records(path: Path, count: int, generate: Generator, seed: int) -> Path:
    rng = random.Random(seed)  # noqa: S311 - seeded test data, not secrets
    with path.open("w") as handle:
        for number in range(count):
            handle.write(json.dumps(generate(rng, number)) + "\n")
    return path


def run(caremgr: str, path: Path, env: dict[str, str]) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one `caremgr score` over the file."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child becomes caremgr, on one core, with stdout to /dev/null
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execve(caremgr, [caremgr, "score", str(path), "--as-of", AS_OF], env)  # noqa: S606
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{caremgr} score failed on {path}")
    return elapsed, usage.ru_maxrss


def measure(
    installs: list[str], runs: int, scratch: Path
) -> tuple[dict[str, dict[str, float]], dict[str, tuple[int, int]]]:
    """Median records/s per install and dataset; peak RSS (KiB) for 10,000 and 1,000,000 survey records."""
    present = write_records(scratch / "present.jsonl", 100_000, person, seed=1)
    survey = write_records(scratch / "survey.jsonl", 100_000, survey_person, seed=2)
    small = write_records(scratch / "survey-10k.jsonl", 10_000, survey_person, seed=2)
    large = write_records(scratch / "survey-1m.jsonl", 1_000_000, survey_person, seed=2)
    # A cache folder of our own: the user's is never touched, and inherited CAREMGR_*
    # settings (another roles file, the cache turned off) cannot change what is measured.
    env = {name: value for name, value in os.environ.items() if not name.startswith("CAREMGR_")}
    env["CAREMGR_CACHE_DIR"] = str(scratch / "cache")
    for caremgr in installs:
        run(caremgr, small, env)  # warm-up: bytecode, the cache, the page cache
    times: dict[str, dict[str, list[float]]] = {caremgr: {"survey": [], "present": []} for caremgr in installs}
    for _ in range(runs):  # interleaved, so drift on the machine touches every figure alike
        for caremgr in installs:
            for name, path in (("survey", survey), ("present", present)):
                times[caremgr][name].append(run(caremgr, path, env)[0])
    rates = {
        caremgr: {name: 100_000 / statistics.median(t) for name, t in by_data.items()}
        for caremgr, by_data in times.items()
    }
    memory = {caremgr: (run(caremgr, small, env)[1], run(caremgr, large, env)[1]) for caremgr in installs}
    return rates, memory


def met(ok: bool) -> str:
    return "yes" if ok else "NO"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="?", type=int, default=11)
    parser.add_argument("--caremgr", action="append", metavar="PATH", help="a caremgr to measure (repeatable)")
    args = parser.parse_args()
    runs: int = args.runs
    installs: list[str] = list(dict.fromkeys(args.caremgr or [str(Path(sys.executable).parent / "caremgr")]))
    for caremgr in installs:
        if not Path(caremgr).is_file():
            raise SystemExit(f"no caremgr at {caremgr}: install caremgr's wheel into this venv, or give --caremgr PATH")
    versions = [subprocess.run([c, "--version"], capture_output=True, text=True, check=True).stdout for c in installs]
    with tempfile.TemporaryDirectory() as folder:
        rates, memory = measure(installs, runs, Path(folder))
    missed = 0
    for caremgr, version in zip(installs, versions, strict=True):
        survey, present = rates[caremgr]["survey"], rates[caremgr]["present"]
        small, large = memory[caremgr]
        growth = (large - small) / small
        checks = [survey >= SURVEY_GOAL, present >= PRESENT_REFERENCE, abs(growth) <= MEMORY_GOAL]
        missed += checks.count(False)
        print(f"{caremgr} ({version.strip()})")
        print(f"  survey data, 100,000 records: {survey:,.0f} records/s, median of {runs}"
              f" (goal: at least {SURVEY_GOAL:,}) {met(checks[0])}")  # fmt: skip
        print(f"  present data, 100,000 records: {present:,.0f} records/s, median of {runs},"
              f" {present / PRESENT_REFERENCE:.2f}x the {PRESENT_REFERENCE:,} of 2026-11-28"
              f" (goal: no slower) {met(checks[1])}")  # fmt: skip
        print(f"  peak memory, survey data: {small / 1024:.1f} MiB for 10,000 records,"
              f" {large / 1024:.1f} MiB for 1,000,000 ({growth:+.1%}; goal: within {MEMORY_GOAL:.0%})"
              f" {met(checks[2])}")  # fmt: skip
    pinned = "pinned to one core" if hasattr(os, "sched_setaffinity") else "NOT pinned (no sched_setaffinity)"
    python = f"Python {sys.version.split()[0]}"
    print(f"caremgr {pinned}; {os.cpu_count()} CPUs; {python}; {resource.getpagesize()}-byte pages")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
