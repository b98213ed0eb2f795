"""The report role end to end: synthesized traffic -> playbooks/flowlog_report.yml -> md/html/csv/json.

The HTML is opened in a real headless Chromium (Debian's chromium + chromedriver, installed by
``make browser``): it must render with no console errors and with every chart present and sized;
a screenshot is kept in test-artifacts/.
"""

import csv
import io
import json
import os
import shutil
import time

import subprocess
import sys

import pytest
from local_aws import traffic
from local_aws._collection import REPO_ROOT
from local_aws.ansible_run import playbook_env

pytestmark = pytest.mark.integration

PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "flowlog_report.yml")
ARTIFACTS = os.path.join(REPO_ROOT, "test-artifacts")
SECTIONS = ("top_talkers", "busiest_minutes", "egress", "vpc_onprem", "rejected_by_port", "rejected_sources",
            "protocol_mix", "logging_health")


@pytest.fixture(scope="module")
def reported(local_aws_server, tmp_path_factory):
    """One report run shared by this module's tests (a playbook run costs seconds)."""
    aws = local_aws_server
    aws.reset()
    network = traffic.build_network(aws, vpc_cidr="10.0.0.0/16", interfaces=6, log_group="/vpc/flow-logs")
    records = traffic.synthesize(aws, start=int(time.time()) - 3600, minutes=60, seed=11)
    report_dir = tmp_path_factory.mktemp("report")
    extra_vars = {"flowlogs_report_dir": str(report_dir), "flowlogs_report_since": "2h",
                  "flowlogs_report_vpc_cidr": network["vpc_cidr"]}
    process = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), PLAYBOOK, "-e", json.dumps(extra_vars)],
        cwd=REPO_ROOT, env=playbook_env(aws), capture_output=True, text=True, timeout=600, check=False)
    assert process.returncode == 0, process.stdout[-4000:] + process.stderr[-2000:]
    return dict(network=network, records=records, dir=report_dir / "localhost", fleet=report_dir / "fleet")


def _read_json(path):
    with open(path) as handle:
        return json.load(handle)


def test_every_section_is_written_as_csv_and_json_that_agree(reported):
    for section in SECTIONS:
        rows = _read_json(reported["dir"] / "json" / (section + ".json"))
        with open(reported["dir"] / "csv" / (section + ".csv")) as handle:
            csv_rows = list(csv.DictReader(handle))
        assert len(csv_rows) == len(rows), section
        for row, csv_row in zip(rows, csv_rows):
            assert {k: str(v) for k, v in row.items()} == csv_row, section
    assert _read_json(reported["dir"] / "json" / "top_talkers.json"), "synthesized traffic must have top talkers"


def test_top_talkers_match_a_brute_force_count_of_the_synthesized_records(reported):
    totals = {}
    for record in reported["records"]:
        values = record["fields"]
        if values["log-status"] != "OK":
            continue
        key = (values["srcaddr"], values["dstaddr"])
        totals[key] = totals.get(key, 0) + int(values["bytes"])
    expected = sorted(totals.items(), key=lambda item: -item[1])[:10]
    rows = _read_json(reported["dir"] / "json" / "top_talkers.json")
    assert [((r["srcAddr"], r["dstAddr"]), r["bytesTransferred"]) for r in rows] == expected


def test_markdown_shows_rows_query_text_and_statistics(reported):
    markdown = (reported["dir"] / "report.md").read_text()
    top = _read_json(reported["dir"] / "json" / "top_talkers.json")
    assert "## Top talkers (bytes by source and destination)" in markdown
    first = top[0]
    assert "| {0} | {1} |".format(first["srcAddr"], first["dstAddr"]) in markdown
    assert "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr" in markdown  # the exact query text
    assert "estimated cost $" in markdown and "Scanned " in markdown
    protocols = _read_json(reported["dir"] / "json" / "protocol_mix.json")
    assert any(row["protocol"] == 6 for row in protocols)
    assert "TCP (6)" in markdown  # IANA names, not bare numbers
    assert "22 (ssh)" in markdown or "3389 (ms-wbt-server)" in markdown
    assert (reported["fleet"] / "report.md").exists()


def test_fleet_rows_merge_the_single_target(reported):
    per_target = _read_json(reported["dir"] / "json" / "top_talkers.json")
    fleet = _read_json(reported["fleet"] / "json" / "top_talkers.json")
    assert fleet == [dict([("target", "localhost")] + list(row.items())) for row in per_target]


@pytest.mark.skipif(shutil.which("chromedriver") is None, reason="chromedriver missing: run `make browser`")
def test_html_renders_in_headless_chromium_with_sized_charts(reported):
    from selenium import webdriver
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,2400"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.get("file://" + str(reported["dir"] / "report.html"))
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) >= 6
        for chart in charts:
            assert chart.size["width"] > 200 and chart.size["height"] > 20
        bars = driver.find_elements(By.CSS_SELECTOR, "#top_talkers svg.bar-chart rect")
        assert len(bars) == len(_read_json(reported["dir"] / "json" / "top_talkers.json"))
        assert driver.find_elements(By.CSS_SELECTOR, "#busiest_minutes svg.timeline polyline")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
        # Self-contained: no element loads anything from elsewhere.
        assert driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)") == []
        os.makedirs(ARTIFACTS, exist_ok=True)
        driver.save_screenshot(os.path.join(ARTIFACTS, "report.png"))
    finally:
        driver.quit()


def test_html_has_no_script_and_escapes_values(reported):
    html = (reported["dir"] / "report.html").read_text()
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert io.StringIO(html).read().count("<svg") >= 6
