"""The local engine's event readers (flow-log files, FilterLogEvents) and the local run."""

import gzip
import time

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsSession
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights_client import InsightsQueryError
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import events_from_files
from ansible_collections.netobs.flowlogs.plugins.module_utils.log_events import (
    filter_log_events,
    run_local_query,
    run_local_query_over_files,
)

RECORD = "2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 50000 6 10 8000 1714580520 1714580580 ACCEPT OK"
GROUP = "/netobs/flow-logs"


def test_plain_and_gzip_files_give_the_same_events(tmp_path):
    plain = tmp_path / "a.log"
    plain.write_text(RECORD + "\n\n")
    packed = tmp_path / "a.log.gz"
    with gzip.open(str(packed), "wt") as handle:
        handle.write(RECORD + "\n")
    first, = events_from_files([str(plain)])
    second, = events_from_files([str(packed)])
    assert first["message"] == second["message"] == RECORD
    assert first["timestamp"] == 1714580520 * 1000 and first["logStream"] == "eni-0a1b2c3d"
    assert first["logGroup"] == str(plain)


def test_a_header_line_sets_the_fields(tmp_path):
    path = tmp_path / "s3.log"
    path.write_text("interface-id start bytes\neni-1 1714580520 10\neni-2 - 20\n")
    events = list(events_from_files([str(path)]))
    assert [(e["logStream"], e["timestamp"]) for e in events] == [("eni-1", 1714580520000), ("eni-2", 0)]


def test_the_local_run_counts_and_reports_malformed_queries(tmp_path):
    path = tmp_path / "a.log"
    path.write_text(RECORD + "\n" + RECORD + "\n")
    rows, statistics = run_local_query("stats sum(bytes) as b", events_from_files([str(path)]),
                                       1714580000, 1714590000)
    assert rows == [{"b": "16000"}] and statistics["recordsMatched"] == 2
    with pytest.raises(InsightsQueryError, match="the query is malformed"):
        run_local_query("stats sum(bytes) by", [], 0, 1)
    with pytest.raises(InsightsQueryError, match="reading flow-log files failed"):
        run_local_query("fields @message", events_from_files([str(tmp_path / "missing.log")]), 0, 1)


def test_filter_log_events_reads_the_inclusive_range(aws):
    logs = aws.client("logs")
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName="eni-0a1b2c3d-all")
    start = int(time.time()) - 600  # PutLogEvents refuses events over 14 days old
    logs.put_log_events(logGroupName=GROUP, logStreamName="eni-0a1b2c3d-all", logEvents=[
        dict(timestamp=start * 1000, message=RECORD), dict(timestamp=(start + 60) * 1000 + 999, message="late"),
        dict(timestamp=(start + 61) * 1000, message="after")])
    session = AwsSession.from_options(aws.module_args())
    events = filter_log_events(session, [GROUP], start, start + 60)
    assert [e["message"] for e in events] == [RECORD, "late"]
    assert events[0]["logGroup"] == GROUP and events[0]["logStream"] == "eni-0a1b2c3d-all"
    assert aws.recorder.operations(service="logs")["FilterLogEvents"] == 1


def test_filter_log_events_names_a_missing_group(aws):
    session = AwsSession.from_options(aws.module_args())
    with pytest.raises(InsightsQueryError, match="log group /no/such/group"):
        filter_log_events(session, ["/no/such/group"], 0, 60)


def test_the_run_over_files_answers_as_the_run_over_their_events(tmp_path):
    path = tmp_path / "flows.log.gz"
    with gzip.open(str(path), "wt") as handle:
        for minute in range(5):
            handle.write(RECORD.replace("1714580520", str(1714580520 + 60 * minute)) + "\n")
    text = "stats sum(bytes) as total, count(*) as flows by srcAddr, dstAddr"
    over_files = run_local_query_over_files(text, [str(path)], 0, 2000000000)
    over_events = run_local_query(text, list(events_from_files([str(path)])), 0, 2000000000)
    assert over_files[0] == over_events[0] == [dict(srcAddr="10.0.0.1", dstAddr="10.0.0.2", total="40000", flows="5")]
