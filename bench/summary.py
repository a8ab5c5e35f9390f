"""Peak memory of `caremgr summary` on 10,000 and on 1,000,000 result lines (issue 12: "memory
stays flat for a million results"). Not a timed benchmark.

The lines are real `caremgr score` output: a few hundred survey-like people (bench/score.py's
generator) are scored once, then their result lines are repeated, each copy with its own
`line` and `id`, and piped into `caremgr summary -` from a separate process, so that a
million results (about 10 GB of JSON) never touch the disk and nobody is scored a million
times. caremgr runs with a cache folder of its own.

    python bench/summary.py [--caremgr PATH]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from score import AS_OF, MEMORY_GOAL, met, survey_person, write_records

PEOPLE = 300  # distinct scored people, repeated to make the inputs
SIZES = (10_000, 1_000_000)

FEED = r"""
import sys
count = int(sys.argv[2])
lines = [line for line in open(sys.argv[1], "rb") if line.strip()]
out = sys.stdout.buffer
for number in range(count):
    line = lines[number % len(lines)]
    # Each copy gets its own line number and id; the rest is the real result.
    head, rest = line.split(b'"schema_version"', 1)
    rest = rest.replace(b'"id":"s', b'"id":"c%d-s' % number, 1)
    out.write(b'{"source":"bench","line":%d,"schema_version"' % (number + 1) + rest)
"""


def peak(caremgr: str, results: Path, count: int, env: dict[str, str]) -> tuple[int, float]:
    """(peak RSS in KiB, seconds) of `caremgr summary --json -` fed `count` lines through a pipe."""
    start = time.perf_counter()
    feeder = subprocess.Popen([sys.executable, "-c", FEED, str(results), str(count)], stdout=subprocess.PIPE)
    assert feeder.stdout is not None
    pid = os.fork()
    if pid == 0:  # the child becomes caremgr reading the pipe, with stdout to /dev/null
        os.dup2(feeder.stdout.fileno(), 0)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execve(caremgr, [caremgr, "summary", "--json", "-"], env)  # noqa: S606
    feeder.stdout.close()
    _, status, usage = os.wait4(pid, 0)
    feeder.wait()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{caremgr} summary failed on {count:,} lines")
    return usage.ru_maxrss, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--caremgr", metavar="PATH", default=str(Path(sys.executable).parent / "caremgr"))
    caremgr: str = parser.parse_args().caremgr
    if not Path(caremgr).is_file():
        raise SystemExit(f"no caremgr at {caremgr}: install caremgr into this venv, or give --caremgr PATH")
    env = {name: value for name, value in os.environ.items() if not name.startswith("CAREMGR_")}
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        env["CAREMGR_CACHE_DIR"] = str(scratch / "cache")
        answers = write_records(scratch / "people.jsonl", PEOPLE, survey_person, seed=3)
        results = scratch / "results.jsonl"
        with results.open("wb") as out:
            subprocess.run([caremgr, "score", str(answers), "--as-of", AS_OF], stdout=out, env=env, check=True)
        peak(caremgr, results, 1_000, env)  # warm-up: bytecode, the page cache
        (small, small_time), (large, large_time) = (peak(caremgr, results, count, env) for count in SIZES)
    growth = (large - small) / small
    print(f"caremgr summary, peak memory: {small / 1024:.1f} MiB for {SIZES[0]:,} results ({small_time:.0f} s),"
          f" {large / 1024:.1f} MiB for {SIZES[1]:,} ({large_time:.0f} s): {growth:+.1%}"
          f" (goal: within {MEMORY_GOAL:.0%}) {met(abs(growth) <= MEMORY_GOAL)}")  # fmt: skip
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    return 0 if abs(growth) <= MEMORY_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
