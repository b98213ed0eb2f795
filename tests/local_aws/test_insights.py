"""The local AWS answers Logs Insights as the service does (local_aws/patches/logs_insights.py)."""

import time

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.integration
GROUP = "/netobs/insights"
T0 = int(time.time()) // 60 * 60 - 3600  # an hour ago: PutLogEvents drops events over 14 days old
RECORD = "2 123456789012 eni-0a1b2c3d4e5f67890 10.0.0.{0} 10.0.1.9 443 50000 6 10 {1} {2} {3} ACCEPT OK"


@pytest.fixture
def logs(aws):
    client = aws.client("logs")
    client.create_log_group(logGroupName=GROUP)
    client.create_log_stream(logGroupName=GROUP, logStreamName="eni-0a1b2c3d4e5f67890-all")
    events = [{"timestamp": (T0 + i) * 1000, "message": RECORD.format(i % 4, 100 * (i + 1), T0 + i, T0 + i + 60)}
              for i in range(40)]
    client.put_log_events(logGroupName=GROUP, logStreamName="eni-0a1b2c3d4e5f67890-all", logEvents=events)
    return client


def wait(logs, query_id, seconds=10):
    deadline = time.time() + seconds
    while True:
        response = logs.get_query_results(queryId=query_id)
        if response["status"] not in ("Scheduled", "Running") or time.time() > deadline:
            return response
        time.sleep(0.05)


def start(logs, query, **kwargs):
    kwargs.setdefault("logGroupNames", [GROUP])
    return logs.start_query(startTime=T0, endTime=T0 + 3600, queryString=query, **kwargs)["queryId"]


def test_query_runs_then_completes_with_rows_and_statistics(aws, logs, monkeypatch):
    monkeypatch.setattr(aws, "query_running_seconds", 0.3)
    query_id = start(logs, "stats sum(bytes) as total, count(*) as n by srcAddr | sort total desc")
    first = logs.get_query_results(queryId=query_id)
    assert first["status"] == "Running" and first["results"] == []
    assert first["statistics"]["recordsScanned"] == 0
    done = wait(logs, query_id)
    assert done["status"] == "Complete"
    rows = [dict((f["field"], f["value"]) for f in row) for row in done["results"]]
    assert rows[0] == {"srcAddr": "10.0.0.3", "total": str(sum(100 * (i + 1) for i in range(3, 40, 4))), "n": "10"}
    assert done["statistics"]["recordsScanned"] == 40.0
    assert done["statistics"]["recordsMatched"] == 40.0
    assert done["statistics"]["bytesScanned"] > 0
    assert done["statistics"]["logGroupsScanned"] == 1.0


def test_time_range_and_limit_are_honoured(logs):
    query_id = logs.start_query(logGroupName=GROUP, startTime=T0 + 10, endTime=T0 + 19,
                                queryString="fields srcAddr, bytes", limit=5)["queryId"]
    done = wait(logs, query_id)
    assert len(done["results"]) == 5
    assert done["statistics"]["recordsScanned"] == 10.0
    assert all(any(f["field"] == "@ptr" for f in row) for row in done["results"])


def test_stop_query_cancels_a_running_query(aws, logs, monkeypatch):
    monkeypatch.setattr(aws, "query_running_seconds", 30)
    query_id = start(logs, "fields @message")
    assert logs.stop_query(queryId=query_id)["success"] is True
    assert logs.get_query_results(queryId=query_id)["status"] == "Cancelled"
    with pytest.raises(ClientError) as error:
        logs.stop_query(queryId=query_id)
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"


def test_query_past_the_max_runtime_times_out(aws, logs, monkeypatch):
    monkeypatch.setattr(aws, "query_running_seconds", 5)
    monkeypatch.setattr(aws, "query_max_runtime_seconds", 0.2, raising=False)
    query_id = start(logs, "fields @message")
    time.sleep(0.3)
    assert logs.get_query_results(queryId=query_id)["status"] == "Timeout"


def test_malformed_query_has_the_service_error_shape(logs):
    with pytest.raises(ClientError) as error:
        start(logs, "stats count(*) by")
    response = error.value.response
    assert response["Error"]["Code"] == "MalformedQueryException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    location = response["queryCompileError"]["location"]
    assert 0 <= location["startCharOffset"] <= location["endCharOffset"]
    assert response["queryCompileError"]["message"]


def test_unknown_query_id_is_resource_not_found(logs):
    for call in (logs.get_query_results, logs.stop_query):
        with pytest.raises(ClientError) as error:
            call(queryId="00000000-0000-0000-0000-000000000000")
        assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_log_group_identifiers_take_names_and_arns(logs):
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:" + GROUP
    for identifiers in ([arn], [GROUP]):
        query_id = logs.start_query(startTime=T0, endTime=T0 + 3600, queryString="stats count(*) as n",
                                    logGroupIdentifiers=identifiers)["queryId"]
        done = wait(logs, query_id)
        assert done["results"] == [[{"field": "n", "value": "40"}]]
    with pytest.raises(ClientError) as error:
        logs.start_query(startTime=T0, endTime=T0 + 1, queryString="fields @message", logGroupIdentifiers=[arn + ":*"])
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"


@pytest.mark.parametrize("kwargs, code", [
    (dict(logGroupNames=["/does/not/exist"]), "ResourceNotFoundException"),
    (dict(logGroupIdentifiers=["arn:aws:logs:us-east-1:210987654321:log-group:" + GROUP]),
     "ResourceNotFoundException"),
    (dict(logGroupName=GROUP, logGroupNames=[GROUP]), "InvalidParameterException"),
    (dict(logGroupNames=[GROUP], endTime=T0 - 1), "InvalidParameterException"),
])
def test_bad_start_query_calls_are_rejected_like_aws(logs, kwargs, code):
    call = dict(startTime=T0, endTime=T0 + 60, queryString="fields @message")
    call.update(kwargs)
    with pytest.raises(ClientError) as error:
        logs.start_query(**call)
    assert error.value.response["Error"]["Code"] == code


def test_describe_queries_lists_our_queries(logs):
    query_id = start(logs, "fields @message")
    wait(logs, query_id)
    listed = logs.describe_queries(logGroupName=GROUP)["queries"]
    assert [(q["queryId"], q["status"]) for q in listed] == [(query_id, "Complete")]


def test_concurrency_limit_gives_limit_exceeded(aws, logs, monkeypatch):
    from local_aws.patches import logs_insights

    monkeypatch.setattr(aws, "query_running_seconds", 30)
    monkeypatch.setattr(logs_insights, "MAX_CONCURRENT_QUERIES", 2)
    start(logs, "fields @message")
    start(logs, "fields @message")
    with pytest.raises(ClientError) as error:
        start(logs, "fields @message")
    assert error.value.response["Error"]["Code"] == "LimitExceededException"


# -- SOURCE selects the account's log groups; @log carries the account ---------------------------------------
# Spec: CWL_QuerySyntax-Source, and CWL_AnalyzeLogData-discoverable-fields (@log is account-id:log-group-name).


@pytest.fixture
def source_groups(aws):
    client = aws.client("logs")
    for group, count in (("/netobs/source-a", 2), ("/netobs/source-b", 3), ("/elsewhere/source-c", 5)):
        client.create_log_group(logGroupName=group)
        client.create_log_stream(logGroupName=group, logStreamName="s")
        client.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
            {"timestamp": (T0 + i) * 1000, "message": "event %d" % i} for i in range(count)])
    return client


def test_source_selects_log_groups_by_prefix_and_log_names_the_account(source_groups):
    account_id = "123456789012"
    query_id = source_groups.start_query(
        startTime=T0, endTime=T0 + 3600,
        queryString="SOURCE logGroups(namePrefix: ['/netobs/source-']) | stats count(*) as n by @log "
                    "| sort n asc")["queryId"]
    done = wait(source_groups, query_id)
    rows = [dict((f["field"], f["value"]) for f in row) for row in done["results"]]
    assert rows == [{"@log": account_id + ":/netobs/source-a", "n": "2"},
                    {"@log": account_id + ":/netobs/source-b", "n": "3"}]
    assert done["statistics"]["logGroupsScanned"] == 2.0


def test_source_and_log_group_parameters_together_are_rejected(source_groups):
    with pytest.raises(ClientError) as error:
        source_groups.start_query(startTime=T0, endTime=T0 + 60, logGroupNames=["/netobs/source-a"],
                                  queryString="SOURCE logGroups(namePrefix: ['/netobs']) | fields @message")
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"


def test_source_with_too_many_prefixes_is_malformed(source_groups):
    prefixes = ", ".join("'/p%d'" % i for i in range(6))
    with pytest.raises(ClientError) as error:
        source_groups.start_query(startTime=T0, endTime=T0 + 60,
                                  queryString="SOURCE logGroups(namePrefix: [%s]) | fields @message" % prefixes)
    assert error.value.response["Error"]["Code"] == "MalformedQueryException"
