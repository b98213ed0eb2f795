"""`make demo`'s script end to end on its own local AWS: a fleet enabled, traffic synthesized, the report
written, and a terminal summary whose every figure was found in the report (no "None")."""

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_demo_runs_and_prints_what_the_report_holds(tmp_path):
    process = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "demo", "run_demo.py"), "--output-dir",
                              str(tmp_path)], capture_output=True, text=True, timeout=600, check=False)
    output = process.stdout
    assert process.returncode == 0, output[-3000:] + process.stderr[-3000:]
    assert '"failed": 0, "ok": 4, "targets": 4' in output
    assert "None" not in output, output
    scans = re.findall(r"port (\d+)\s+(\d+) rejected records from (\d+) sources", output)
    assert {port for port, _records, _sources in scans} >= {"22", "3389"}
    assert all(int(records) > 0 and int(sources) > 0 for _port, records, sources in scans)
    assert (tmp_path / "report" / "fleet" / "report.html").exists()
    assert "demo finished in" in output
