"""The README's first command runs the demo; it must keep working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"


def test_demo_runs_stays_within_the_limits_and_leaves_no_file(tmp_path: Path) -> None:
    before = sorted(DEMO.parent.iterdir())
    done = subprocess.run(
        [sys.executable, str(DEMO)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == [], "the journal (passwords) is removed"
    assert sorted(DEMO.parent.iterdir()) == before
    assert "it holds 200 agents" in done.stdout
    assert "at most 2 in flight, 0 refused for concurrency" in done.stdout
    assert "demo-token-0123456789" not in done.stdout + done.stderr
