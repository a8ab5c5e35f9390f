"""Startup cost of caremgr commands as ratios to `python -c pass` in the same venv.

Each case runs RUNS times, interleaved with the others after a warm-up, and the median
wall time is compared with the baseline's median. Run it from a venv caremgr was installed
into from its wheel (see docs/performance.md):  python bench/startup.py [RUNS]
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ANSWERS = "education: {level: bachelor, field: nursing}\nlicenses: {rn: true}\nexperience: {rn: 3}\n"
COMPLETE = {"_CAREMGR_COMPLETE": "complete_bash", "COMP_WORDS": "caremgr compare ca", "COMP_CWORD": "2"}


def cases(answers: str) -> dict[str, tuple[list[str], dict[str, str], float | None]]:
    caremgr = str(BIN / "caremgr")
    return {
        "python -c pass": ([sys.executable, "-c", "pass"], {}, None),
        "caremgr --version": ([caremgr, "--version"], {}, 2),
        "completion: compare ca<TAB>": ([caremgr], COMPLETE, 7),
        "compare case care --json": ([caremgr, "compare", "case", "care", "--json"], {}, 12),
        "quiz --answers FILE --json": ([caremgr, "quiz", "--answers", answers, "--json"], {}, 14),
    }


def run_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def missing_bytecode() -> bool:
    """True when caremgr's modules have no compiled bytecode (an editable install under
    PYTHONDONTWRITEBYTECODE=1): every run then compiles them, which the figures would show."""
    spec = importlib.util.find_spec("caremgr_cli.models")
    return spec is not None and spec.cached is not None and not Path(spec.cached).exists()


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    if missing_bytecode():
        print("note: caremgr's bytecode is missing, so each run compiles it (~25 ms); "
              "install caremgr from its wheel for figures users would see", file=sys.stderr)  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.yaml"
        answers.write_text(ANSWERS)
        table = cases(str(answers))
        for command, env, _ in table.values():  # warm-up: bytecode, caches, page cache
            for _ in range(2):
                run_once(command, env)
        times: dict[str, list[float]] = {name: [] for name in table}
        for _ in range(runs):
            for name, (command, env, _) in table.items():
                times[name].append(run_once(command, env))
    base = statistics.median(times["python -c pass"])
    print(f"{'case':32} {'median':>9} {'ratio':>7} {'goal':>6}  met")
    missed = 0
    for name, (_, _, goal) in table.items():
        median = statistics.median(times[name])
        ratio = median / base
        met = "" if goal is None else ("yes" if ratio <= goal else "NO")
        missed += met == "NO"
        print(f"{name:32} {median * 1000:7.1f}ms {ratio:6.1f}x {'' if goal is None else f'{goal}x':>6}  {met}")
    print(f"{runs} interleaved runs, median; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
