"""Long commands show their progress on stderr only when it is a terminal (a real pseudo-
terminal here); in pipes and files they print nothing but their result."""

from __future__ import annotations

import io
import os
import select
from pathlib import Path

from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.cli.progress import steps

SEED = Path(__file__).parent.parent / "examples" / "wujin-2018" / "dataset.yaml"


def test_the_steps_are_drawn_on_a_terminal() -> None:
    main, side = os.openpty()
    with os.fdopen(side, "w", encoding="utf-8") as terminal:
        with steps(2, terminal) as step:
            step("读取数据 reading")
            step("写入文档 writing")
        terminal.flush()
        drawn = b""
        while select.select([main], [], [], 0.5)[0]:
            chunk = os.read(main, 65536)
            if not chunk:
                break
            drawn += chunk
    os.close(main)
    text = drawn.decode("utf-8", "replace")
    assert "写入文档 writing" in text and "2/2" in text


def test_nothing_is_drawn_in_a_pipe() -> None:
    stream = io.StringIO()
    with steps(2, stream) as step:
        step("读取数据 reading")
    assert stream.getvalue() == ""


def test_the_report_and_table_commands_print_only_their_result_in_a_pipe(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "table.docx"
    result = runner.invoke(app, ["table", str(SEED), "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"已写入 wrote {out}\n", "")
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["report", str(SEED), "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"已写入 wrote {out}\n", "")
