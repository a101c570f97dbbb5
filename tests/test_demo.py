"""The README's first command runs the demo; it must keep working."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"


def test_demo_runs_and_stays_within_the_limits() -> None:
    done = subprocess.run(
        [sys.executable, str(DEMO)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "it holds 200 agents" in done.stdout
    assert "at most 2 in flight, 0 refused for concurrency" in done.stdout
    assert "demo-token-0123456789" not in done.stdout + done.stderr
