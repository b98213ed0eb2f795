"""The traffic synthesizer writes what a flow log would deliver, and nothing the service never logs."""

import collections
import ipaddress
import subprocess
import sys
import time

import pytest

from local_aws import traffic

pytestmark = pytest.mark.integration
START = int(time.time()) // 3600 * 3600 - 2 * 3600
CUSTOM = "${version} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} " \
         "${start} ${end} ${action} ${log-status} ${flow-direction} ${traffic-path}"


def test_records_follow_the_flow_log_and_aws_stream_naming(aws):
    net = traffic.build_network(aws, interfaces=5, interval=60)
    records = traffic.synthesize(aws, start=START, minutes=30, seed=7)
    eni_ids = {eni for eni, _address in net["interfaces"]}
    streams = {r["log_stream"] for r in records}
    assert streams == {eni + "-all" for eni in eni_ids}
    logs = aws.client("logs")
    described = {s["logStreamName"] for s in logs.describe_log_streams(logGroupName=net["log_group"])["logStreams"]}
    assert described == streams
    stored = 0
    for stream in streams:
        events = logs.get_log_events(logGroupName=net["log_group"], logStreamName=stream, startFromHead=True,
                                     limit=10000)["events"]
        mine = [r for r in records if r["log_stream"] == stream]
        assert [e["message"] for e in events] == [r["message"] for r in mine]
        assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)
        stored += len(events)
    assert stored == len(records)
    for record in records:
        fields = record["fields"]
        assert record["timestamp"] == int(fields["start"]) * 1000
        assert START <= int(fields["start"]) <= int(fields["end"]) < START + 30 * 60
        window = (int(fields["start"]) - START) // 60
        assert int(fields["end"]) < START + (window + 1) * 60  # inside its 60 s aggregation window
        assert len(record["message"].split(" ")) == 14 and fields["version"] == "2"


def test_mix_is_realistic(aws):
    net = traffic.build_network(aws, interfaces=5)
    records = traffic.synthesize(aws, start=START, minutes=60, seed=7)
    vpc = ipaddress.ip_network(net["vpc_cidr"])
    ok = [r["fields"] for r in records if r["fields"]["log-status"] == "OK"]
    status = collections.Counter(r["fields"]["log-status"] for r in records)
    assert status["NODATA"] > 0 and status["SKIPDATA"] > 0
    for dash in (r["fields"] for r in records if r["fields"]["log-status"] != "OK"):
        assert dash["srcaddr"] == dash["bytes"] == dash["action"] == "-"
    rejected = [f for f in ok if f["action"] == "REJECT"]
    assert rejected and {f["dstport"] for f in rejected} == {"22", "3389"}
    assert all(ipaddress.ip_address(f["srcaddr"]).is_global for f in rejected)
    onprem = ipaddress.ip_network("172.16.0.0/12")
    assert any(ipaddress.ip_address(f["srcaddr"]) in onprem and ipaddress.ip_address(f["dstaddr"]) in vpc for f in ok)
    internet = [f for f in ok if ipaddress.ip_address(f["dstaddr"]).is_global and f["action"] == "ACCEPT"]
    assert internet
    nat_address = net["interfaces"][0][1]
    assert any(f["srcaddr"] == nat_address for f in internet)
    assert {"1", "6", "17"} <= {f["protocol"] for f in ok}
    by_source = collections.Counter()
    for f in ok:
        by_source[f["srcaddr"]] += int(f["bytes"])
    top_two = sum(size for _source, size in by_source.most_common(2))
    assert top_two > 0.4 * sum(by_source.values())  # a few heavy talkers


def test_never_writes_traffic_the_service_does_not_log(aws):
    net = traffic.build_network(aws, vpc_cidr="10.8.0.0/16", interfaces=6)
    records = traffic.synthesize(aws, start=START, minutes=60, seed=11)
    vpc = ipaddress.ip_network(net["vpc_cidr"])
    reserved = {str(vpc.network_address + n) for n in (1, 2, 3)}
    forbidden = reserved | {"169.254.169.254", "169.254.169.123", "169.254.169.250", "169.254.169.251"}
    for f in (r["fields"] for r in records if r["fields"]["log-status"] == "OK"):
        assert f["srcaddr"] not in forbidden and f["dstaddr"] not in forbidden
        assert not (f["protocol"] == "17" and {f["srcport"], f["dstport"]} & {"67", "68"})
    assert traffic.is_unlogged("10.8.0.5", "10.8.0.2", 17, 40000, 53, vpc)  # Amazon DNS
    assert traffic.is_unlogged("10.8.0.5", "169.254.169.254", 6, 40000, 80, vpc)
    assert traffic.is_unlogged("0.0.0.0", "255.255.255.255", 17, 68, 67, vpc)
    assert not traffic.is_unlogged("10.8.0.5", "172.20.0.53", 17, 40000, 53, vpc)


def test_custom_format_and_ten_minute_windows(aws):
    net = traffic.build_network(aws, log_format=CUSTOM, interval=600, log_group="/netobs/custom")
    records = traffic.synthesize(aws, start=START, minutes=60, seed=7)
    assert records
    for record in records:
        tokens = record["message"].split(" ")
        assert len(tokens) == 15
        assert tokens[0] == "5"  # the highest version among the format's fields (flow-direction, traffic-path)
        assert tokens[1] == net["vpc_id"]
        assert (int(record["fields"]["start"]) - START) % 600 <= 60
    windows = {(int(r["fields"]["start"]) - START) // 600 for r in records}
    assert windows == set(range(6))


def test_is_deterministic(aws):
    traffic.build_network(aws)
    first = traffic.synthesize(aws, start=START, minutes=10, seed=3)
    aws.reset()
    traffic.build_network(aws)
    assert traffic.synthesize(aws, start=START, minutes=10, seed=3) == first


def test_batches_respect_put_log_events_limits(aws):
    traffic.build_network(aws, interfaces=3)
    mark = aws.recorder.mark()
    records = traffic.synthesize(aws, start=START, minutes=60, seed=7)
    calls = collections.Counter(c.operation for c in aws.recorder.calls(since=mark))["PutLogEvents"]
    assert calls >= 3 and len(records) / calls <= traffic.MAX_BATCH_EVENTS


def test_skips_flow_logs_whose_group_is_missing(aws):
    ec2 = aws.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[vpc_id], TrafficType="ALL", LogGroupName="/missing",
                         DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/x")
    assert traffic.synthesize(aws, start=START, minutes=5) == []


def test_cli_writes_to_an_endpoint(aws):
    traffic.build_network(aws)
    env = dict(aws.env())
    process = subprocess.run([sys.executable, "-m", "local_aws.traffic", "--endpoint", aws.endpoint_url, "--minutes",
                              "5", "--start", str(START), "--summary"], capture_output=True, text=True, env=env,
                             timeout=120, check=False)
    assert process.returncode == 0, process.stderr
    assert '"records": ' in process.stdout and "/netobs/flow-logs" in process.stdout
