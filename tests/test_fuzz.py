"""A bounded atheris run over the parsers that take outside input: no crash, no unhandled exception."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 8
# Instrumenting the imports alone takes tens of seconds on a busy 2-core machine; the limit only catches a hang.
STARTUP_ALLOWANCE = 240


@pytest.mark.parametrize("target", ["wechat_xml", "wechat_ciphertext", "roster_csv", "text_path"])
def test_fuzz_run_finds_no_crash(target, tmp_path):
    pytest.importorskip("atheris")
    run = subprocess.run(
        [sys.executable, "-m", "tests.fuzz_targets", target, f"-max_total_time={SECONDS}", "-rss_limit_mb=2048",
         f"-artifact_prefix={tmp_path}/"],
        cwd=ROOT, capture_output=True, text=True, timeout=SECONDS + STARTUP_ALLOWANCE,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done" in run.stderr
