"""Startup cost of caremgr commands as ratios to `python -c pass` in the same venv.

The goals are issue 9's ("Speed, re-measured on honest data"). Each round runs every case
once in turn, so drift on the machine touches all cases alike; the table shows each case's
median wall time and its ratio to the baseline's median. Warm cases share one cache folder
warmed up before timing; "(no cache)" cases get a new, empty cache folder on every run, as
on the first run after an install. The user's own cache is never touched.

Run it from a venv caremgr was installed into from its wheel (see docs/performance.md):
    python bench/startup.py [RUNS]      (RUNS: default 11, the issue's minimum)
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CAREMGR = str(Path(sys.executable).parent / "caremgr")
MIN_RUNS = 11
NO_CACHE_GOAL = 25.0

# A realistic, fully answered answers file: every section and field, decimal years, all
# six experience kinds and all fourteen skills, so that quiz validates and scores it all.
ANSWERS = """\
id: ana
education: {level: bachelor, field: nursing, field_experience: true}
licenses: {rn: true, other: false}
certifications: [crc]
experience:
  rn: 4.5
  case_management: 1.2
  case_management_ccm_supervised: 0.8
  case_management_supervisor: 0.3
  supervised_care_management: 2.7
  direct_client_care: 6.1
ce_hours: {case_management_last_3_years: 24}
employment: {current: case-management, hours_per_week: 32.5}
preferences: {work_setting: facility, care_style: indirect}
skills:
  clinical: 4
  team-leadership: 3
  project-management: 2
  delegation: 3
  networking: 4
  bedside-manner: 5
  positive-attitude: 4
  teamwork: 5
  negotiation: 2
  emotional-support: 4
  healthcare-law: 3
  empathy: 5
  organisation: 4
  communication: 5
"""
COMPLETE = {"_CAREMGR_COMPLETE": "complete_bash", "COMP_WORDS": "caremgr compare ca", "COMP_CWORD": "2"}


@dataclass
class Case:
    name: str
    command: list[str]
    goal: float | None = None
    env: dict[str, str] | None = None
    fresh_cache: bool = False  # a new, empty cache folder for every run
    expect: tuple[str, ...] = ()  # words the output must hold, checked once before timing
    times: list[float] = field(default_factory=list)
    broken: bool = False


def cases(answers: str) -> list[Case]:
    warm = [
        Case("completion: compare ca<TAB>", [CAREMGR], 8, COMPLETE, expect=("care", "case")),
        Case("compare case care --json", [CAREMGR, "compare", "case", "care", "--json"], 10),
        Case("quiz --answers FILE --json", [CAREMGR, "quiz", "--answers", answers, "--json"], 16),
        Case("compare case care", [CAREMGR, "compare", "case", "care"], 20),
        Case("show case", [CAREMGR, "show", "case"], 20),
        Case("quiz --answers FILE", [CAREMGR, "quiz", "--answers", answers], 20),
    ]
    cold = [
        Case(f"{case.name} (no cache)", case.command, NO_CACHE_GOAL, case.env, fresh_cache=True, expect=case.expect)
        for case in warm
    ]
    return [
        Case("python -c pass", [sys.executable, "-c", "pass"]),
        Case("caremgr --version", [CAREMGR, "--version"], 2),
        *warm,
        *cold,
    ]


def environment(case: Case, cache: str) -> dict[str, str]:
    # Inherited CAREMGR_* settings (another roles file, the cache turned off) would change
    # what is measured; COLUMNS fixes the width of text output.
    env = {name: value for name, value in os.environ.items() if not name.upper().startswith(("CAREMGR_", "_CAREMGR_"))}
    return {**env, "COLUMNS": "100", "CAREMGR_CACHE_DIR": cache, **(case.env or {})}


def run_once(case: Case, warm_cache: str, scratch: str) -> float:
    # The fresh folder is made before the clock starts: only caremgr's own work is timed.
    cache = tempfile.mkdtemp(dir=scratch) if case.fresh_cache else warm_cache
    env = environment(case, cache)
    start = time.perf_counter()
    subprocess.run(case.command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def answers_right(case: Case, warm_cache: str, scratch: str) -> bool:
    # A case that answers nothing, or the wrong thing, could be fast for the wrong reason.
    cache = tempfile.mkdtemp(dir=scratch) if case.fresh_cache else warm_cache
    result = subprocess.run(case.command, env=environment(case, cache), capture_output=True, text=True, check=False)
    words = result.stdout.split()
    return result.returncode == 0 and all(word in words for word in case.expect)


def missing_bytecode() -> bool:
    """True when caremgr's modules have no compiled bytecode (an editable install under
    PYTHONDONTWRITEBYTECODE=1): every run then compiles them, which the figures would show.

    Only the package's __init__ is looked at: its other modules change as src/ is
    restructured, and find_spec on a top-level package imports nothing."""
    spec = importlib.util.find_spec("caremgr_cli")
    return spec is not None and spec.cached is not None and not Path(spec.cached).exists()


def measure(table: list[Case], runs: int, scratch: str) -> None:
    warm_cache = tempfile.mkdtemp(dir=scratch)
    for case in table:
        if case.expect and not answers_right(case, warm_cache, scratch):
            case.broken = True
            print(f"broken: {case.name!r} did not answer {' and '.join(case.expect)}", file=sys.stderr)
    for case in table:  # warm-up: the shared cache, bytecode, the page cache
        for _ in range(2):
            run_once(case, warm_cache, scratch)
    for _ in range(runs):
        for case in table:
            case.times.append(run_once(case, warm_cache, scratch))


def report(table: list[Case]) -> int:
    """Print the table; return how many goals were missed."""
    base = statistics.median(table[0].times)
    print(f"{'case':40} {'median':>9} {'ratio':>7} {'goal':>6}  met")
    missed = 0
    for case in table:
        median = statistics.median(case.times)
        ratio = median / base
        goal = "" if case.goal is None else f"{case.goal:g}x"
        met = "" if case.goal is None else ("yes" if ratio <= case.goal and not case.broken else "NO")
        if case.broken:
            met += " (broken: wrong answer)"
        missed += met.startswith("NO")
        print(f"{case.name:40} {median * 1000:7.1f}ms {ratio:6.1f}x {goal:>6}  {met}")
    return missed


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else MIN_RUNS
    if not Path(CAREMGR).exists():
        raise SystemExit(f"no caremgr beside this Python ({CAREMGR}): install caremgr's wheel into this venv")
    if runs < MIN_RUNS:
        print(f"note: {runs} runs; issue 9's goals are for medians of at least {MIN_RUNS}", file=sys.stderr)
    bytecode_missing = missing_bytecode()
    if bytecode_missing:
        print("note: caremgr's bytecode is missing, so each run compiles it (~25 ms); "
              "install caremgr from its wheel for figures users would see", file=sys.stderr)  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        answers = Path(scratch) / "answers.yaml"
        answers.write_text(ANSWERS)
        table = cases(str(answers))
        measure(table, runs, scratch)
    missed = report(table)
    bytecode = "caremgr's bytecode MISSING (each run compiles it)" if bytecode_missing else "bytecode present"
    print(f"{runs} interleaved runs, median; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; {bytecode}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
