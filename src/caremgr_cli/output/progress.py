"""The progress bar of `caremgr score` on stderr: bytes read, records, rate. Only on a terminal
and for large inputs; otherwise a no-op that the batch can call all the same."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Progress:
    THRESHOLD = 1_000_000  # bytes: smaller inputs finish before a bar would help

    def __init__(self, names: list[str]) -> None:
        sizes = [Path(name).stat().st_size if name != "-" and Path(name).is_file() else 0 for name in names]
        self.total = sum(sizes)
        self.enabled = bool(sys.stderr and sys.stderr.isatty()) and self.total >= self.THRESHOLD and "-" not in names
        self.task: Any = None
        self.bar: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            self.bar = Bar(
                TextColumn("scoring"), BarColumn(), TextColumn("{task.fields[records]:,} records"),
                TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=Console(stderr=True),
                transient=True,
            )  # fmt: skip
            self.task = self.bar.add_task("scoring", total=self.total, records=0, rate="")
            self.bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    @property
    def tick(self) -> Callable[[int], None] | None:
        """The byte counter to hand to the readers, or None when there is no bar."""
        return self._advance if self.enabled else None

    def _advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, count)

    def count(self, records: int) -> None:
        if self.bar is not None and records % 500 == 0:
            elapsed = self.bar.tasks[0].elapsed or 0
            rate = f"{records / elapsed:,.0f}/s" if elapsed else ""
            self.bar.update(self.task, records=records, rate=rate)
