"""The report role over estates that are not the demo's: a version-5 log group in the default VPC's
range, a log group holding two formats, a target whose log group is missing, and a host name that
is a path; run once at -vvv, whose output must hold no secret."""

import csv
import ipaddress
import json
import os
import subprocess
import sys
import time

import pytest
import yaml
from local_aws import traffic
from local_aws._collection import REPO_ROOT
from local_aws.ansible_run import playbook_env
from local_aws.server import TEST_SECRET_KEY

from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import normalise_log_format

pytestmark = pytest.mark.integration

PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "flowlog_report.yml")
EXTERNAL_ID_MARKER = "ext-id-MARKER-7f3a91"
PATH_HOST = "../../../../tmp/x"
V5 = normalise_log_format(5)
PRIVATE = [ipaddress.ip_network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


def _playbook(aws, inventory, extra_vars, *args):
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inventory), PLAYBOOK,
         "-e", json.dumps(extra_vars)] + list(args),
        cwd=REPO_ROOT, env=playbook_env(aws), capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def estate(local_aws_server, tmp_path_factory):
    aws = local_aws_server
    aws.reset()
    v5 = traffic.build_network(aws, vpc_cidr="172.31.0.0/16", interfaces=5, log_group="/vpc/v5", log_format=V5)
    traffic.build_network(aws, vpc_cidr="10.1.0.0/16", interfaces=4, log_group="/vpc/mixed")
    traffic.build_network(aws, vpc_cidr="10.2.0.0/16", interfaces=4, log_group="/vpc/mixed", log_format=V5)
    records = traffic.synthesize(aws, start=int(time.time()) - 3600, minutes=30, seed=5)
    base = tmp_path_factory.mktemp("estates")
    inventory = base / "inventory.yml"
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory.write_text(yaml.safe_dump({"all": {"vars": local, "hosts": {
        "v5": {"flowlogs_report_log_groups": ["/vpc/v5"], "aws_secret_access_key": TEST_SECRET_KEY},
        "mixed": {"flowlogs_report_log_groups": ["/vpc/mixed"]},
        PATH_HOST: {"flowlogs_report_log_groups": ["/vpc/v5"]},
        "broken": {"flowlogs_report_log_groups": ["/vpc/missing"],
                   "assume_role_arn": "arn:aws:iam::123456789012:role/netobs-report-reader",
                   "assume_role_external_id": EXTERNAL_ID_MARKER},
    }}}))
    report_dir = base / "report"
    process = _playbook(aws, inventory, {"flowlogs_report_dir": str(report_dir), "flowlogs_report_since": "2h",
                                         "flowlogs_report_poll_interval": 0.2}, "-vvv")
    (base / "playbook.log").write_text(process.stdout + process.stderr)  # kept for a failing test's reader
    vpcs = aws.client("ec2").describe_vpcs()["Vpcs"]
    networks = [ipaddress.ip_network(a["CidrBlock"]) for vpc in vpcs for a in vpc["CidrBlockAssociationSet"]]
    return dict(aws=aws, process=process, dir=report_dir, records=records, v5=v5, inventory=inventory,
                networks=networks, base=base)


def _json(path):
    with open(path) as handle:
        return json.load(handle)


def _records(estate, group, fields=None):
    found = [r for r in estate["records"] if r["log_group"] == group]
    if fields is not None:
        found = [r for r in found if len(r["fields"]) == fields]
    return found


def _top_pairs(records, limit=10):
    totals = {}
    for record in records:
        values = record["fields"]
        if values["log-status"] == "OK":
            key = (values["srcaddr"], values["dstaddr"])
            totals[key] = totals.get(key, 0) + int(values["bytes"])
    return sorted(totals.items(), key=lambda item: -item[1])[:limit]


def test_the_run_fails_once_for_the_broken_target_and_completes_the_others(estate):
    process = estate["process"]
    assert process.returncode == 2, process.stdout[-3000:] + process.stderr[-2000:]
    assert process.stdout.count("fatal: [broken]") == 1
    for host in ("v5", "mixed", PATH_HOST):
        assert "fatal: [{0}]".format(host) not in process.stdout
    failures = _json(estate["dir"] / "fleet" / "json" / "failures.json")
    assert [f["target"] for f in failures] == ["broken"]
    assert failures[0]["step"] == "Logs Insights queries"
    assert "ResourceNotFoundException" in failures[0]["message"] and "/vpc/missing" in failures[0]["message"]
    assert (estate["dir"] / "fleet" / "report.md").exists(), process.stdout[-6000:]
    markdown = (estate["dir"] / "fleet" / "report.md").read_text()
    assert "## Failed targets" in markdown and "| broken |" in markdown
    html = (estate["dir"] / "fleet" / "report.html").read_text()
    assert "Failed targets" in html
    assert not (estate["dir"] / "broken").exists()


def test_no_secret_in_verbose_output(estate):
    output = estate["process"].stdout + estate["process"].stderr
    assert "task path: " in output  # the run was verbose
    assert "\"written\": [" in output  # the results (with every task variable the writer saw) were printed
    assert EXTERNAL_ID_MARKER not in output
    assert TEST_SECRET_KEY not in output


def test_a_version_5_log_group_is_reported(estate):
    target = estate["dir"] / "v5"
    rows = _json(target / "json" / "top_talkers.json")
    assert [((r["srcAddr"], r["dstAddr"]), r["bytesTransferred"]) for r in rows] == \
        _top_pairs(_records(estate, "/vpc/v5"))
    markdown = (target / "report.md").read_text()
    assert "No matching records" not in markdown
    assert "parse @message" in markdown  # the v5 fields are parsed, not discovered


def test_egress_means_outside_every_vpc_and_not_private(estate):
    totals = {}
    for record in _records(estate, "/vpc/v5"):
        values = record["fields"]
        if values["log-status"] != "OK" or values["action"] != "ACCEPT":
            continue
        src, dst = ipaddress.ip_address(values["srcaddr"]), ipaddress.ip_address(values["dstaddr"])
        if any(src in n for n in estate["networks"]) and not any(dst in n for n in estate["networks"] + PRIVATE):
            key = (values["srcaddr"], values["dstaddr"])
            totals[key] = totals.get(key, 0) + int(values["bytes"])
    expected = sorted(totals.items(), key=lambda item: -item[1])[:10]
    assert expected, "the synthesized default-VPC range must have internet egress"
    rows = _json(estate["dir"] / "v5" / "json" / "egress.json")
    assert [(r["srcAddr"], r["dstAddr"]) for r in rows] == [key for key, _total in expected]
    for row, (_key, total) in zip(rows, expected):
        assert row["MBTransferred"] == pytest.approx(total / 1e6)


def test_a_log_group_of_two_formats_adds_up_what_can_be_added(estate):
    target = estate["dir"] / "mixed"
    totals = {}
    for record in _records(estate, "/vpc/mixed"):
        values = record["fields"]
        if values["log-status"] == "OK":
            totals[int(values["protocol"])] = totals.get(int(values["protocol"]), 0) + int(values["bytes"])
    rows = _json(target / "json" / "protocol_mix.json")
    assert {r["protocol"]: r["bytesTransferred"] for r in rows} == totals
    assert [r["bytesTransferred"] for r in rows] == sorted(totals.values(), reverse=True)


def test_a_log_group_of_two_formats_keeps_top_lists_per_format_and_says_so(estate):
    target = estate["dir"] / "mixed"
    rows = _json(target / "json" / "top_talkers.json")
    assert sorted(set(r["logFormat"] for r in rows)) == ["default", "version 5"]
    for label, count in (("default", 14), ("version 5", len(V5.split()))):
        mine = [((r["srcAddr"], r["dstAddr"]), r["bytesTransferred"]) for r in rows if r["logFormat"] == label]
        assert mine == _top_pairs(_records(estate, "/vpc/mixed", fields=count)), label
    markdown = (target / "report.md").read_text()
    assert "rows are per format" in markdown
    html = (target / "report.html").read_text()
    assert "rows are per format" in html and "Log format" in html


def test_a_host_name_that_is_a_path_stays_under_the_report_directory(estate):
    written = [p for p in estate["dir"].iterdir() if p.name.startswith("tmp-x-")]
    assert len(written) == 1 and (written[0] / "report.md").exists()
    for path in estate["base"].rglob("report.md"):
        assert str(path.resolve()).startswith(str(estate["dir"].resolve()))
    assert not os.path.exists("/tmp/x/report.md")


def test_csv_cells_are_neutralised_and_agree_with_json(estate):
    rows = _json(estate["dir"] / "mixed" / "json" / "logging_health.json")
    with open(estate["dir"] / "mixed" / "csv" / "logging_health.csv") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert len(rows) == len(csv_rows) and rows


def test_a_failing_target_can_be_a_warning(estate):
    process = _playbook(estate["aws"], estate["inventory"], {
        "flowlogs_report_dir": str(estate["base"] / "warned"), "flowlogs_report_fail_on_target_error": False},
        "--limit", "broken")
    assert process.returncode == 0, process.stdout[-3000:]
    assert "WARNING: no report for broken" in process.stdout
    assert [f["target"] for f in _json(estate["base"] / "warned" / "fleet" / "json" / "failures.json")] == ["broken"]
