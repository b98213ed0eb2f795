"""SOURCE selects the account's log groups, and @log carries the account (local_aws/patches/logs_insights.py).

Spec: CloudWatch Logs User Guide, "SOURCE" (CWL_QuerySyntax-Source) and "Supported logs and discovered
fields" (@log is account-id:log-group-name).
"""

import time

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.integration
T0 = int(time.time()) // 60 * 60 - 3600


def wait(logs, query_id, seconds=10):
    deadline = time.time() + seconds
    while True:
        response = logs.get_query_results(queryId=query_id)
        if response["status"] not in ("Scheduled", "Running") or time.time() > deadline:
            return response
        time.sleep(0.05)


@pytest.fixture
def logs(aws):
    client = aws.client("logs")
    for group, count in (("/netobs/source-a", 2), ("/netobs/source-b", 3), ("/elsewhere/source-c", 5)):
        client.create_log_group(logGroupName=group)
        client.create_log_stream(logGroupName=group, logStreamName="s")
        client.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
            {"timestamp": (T0 + i) * 1000, "message": "event %d" % i} for i in range(count)])
    return client


def test_source_selects_log_groups_by_prefix_and_log_names_the_account(logs):
    account_id = "123456789012"
    query_id = logs.start_query(
        startTime=T0, endTime=T0 + 3600,
        queryString="SOURCE logGroups(namePrefix: ['/netobs/source-']) | stats count(*) as n by @log "
                    "| sort n asc")["queryId"]
    done = wait(logs, query_id)
    rows = [dict((f["field"], f["value"]) for f in row) for row in done["results"]]
    assert rows == [{"@log": account_id + ":/netobs/source-a", "n": "2"},
                    {"@log": account_id + ":/netobs/source-b", "n": "3"}]
    assert done["statistics"]["logGroupsScanned"] == 2.0


def test_source_and_log_group_parameters_together_are_rejected(logs):
    with pytest.raises(ClientError) as error:
        logs.start_query(startTime=T0, endTime=T0 + 60, logGroupNames=["/netobs/source-a"],
                         queryString="SOURCE logGroups(namePrefix: ['/netobs']) | fields @message")
    assert error.value.response["Error"]["Code"] == "InvalidParameterException"


def test_source_with_too_many_prefixes_is_malformed(logs):
    prefixes = ", ".join("'/p%d'" % i for i in range(6))
    with pytest.raises(ClientError) as error:
        logs.start_query(startTime=T0, endTime=T0 + 60,
                         queryString="SOURCE logGroups(namePrefix: [%s]) | fields @message" % prefixes)
    assert error.value.response["Error"]["Code"] == "MalformedQueryException"
