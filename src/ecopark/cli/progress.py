"""Progress of a long command on stderr (rich): a spinner, the step's name and a bar, only when
stderr is a terminal — nothing in pipes, files and tests, so stdout and logs stay clean.

    with steps(3) as step:
        step("读取数据并计算指标 reading and computing")
        …
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["steps"]


@contextmanager
def steps(total: int, stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """`step(label)` starts the next of `total` steps (the previous one counts as done)."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield lambda label: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(file=stream)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=20),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task("", total=total)
        started = 0

        def step(label: str) -> None:
            nonlocal started
            progress.update(task, completed=started, description=label)
            started += 1

        yield step
        progress.update(task, completed=total)
