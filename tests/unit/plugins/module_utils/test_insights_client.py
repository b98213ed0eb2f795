"""The service run of a query (insights_client) on the local AWS, with an injected clock and sleep."""

import time

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsSession
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights_client import (
    ConcurrentRun,
    InsightsClient,
    InsightsQueryError,
    SessionCache,
    convert_value,
    job_for,
    run_service_query,
    run_service_queries,
)

GROUP = "/netobs/flow-logs"
START = int(time.time()) // 60 * 60 - 3600  # PutLogEvents refuses events over 14 days old
RECORD = "2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 50000 6 10 {0} {1} {2} ACCEPT OK"


class FakeTime:
    """A clock that moves only when the client sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def group(aws):
    logs = aws.client("logs")
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName="eni-0a1b2c3d-all")
    logs.put_log_events(logGroupName=GROUP, logStreamName="eni-0a1b2c3d-all", logEvents=[
        dict(timestamp=(START + i) * 1000, message=RECORD.format(100 * (i + 1), START + i, START + i + 60))
        for i in range(6)])
    return aws


def client(aws, fake, **options):
    return InsightsClient(AwsSession.from_options(aws.module_args()), sleep=fake.sleep, clock=fake.clock, **options)


def test_a_query_runs_to_completion(group):
    fake = FakeTime()
    rows, statistics, ids = run_service_query(client(group, fake), "stats sum(bytes) as total", [GROUP],
                                              START, START + 3600)
    assert rows == [{"total": "2100"}] and statistics["recordsMatched"] == 6 and len(ids) == 1


def test_polling_stops_the_query_at_the_timeout(group):
    group.query_running_seconds = 3600.0
    fake = FakeTime()
    mark = group.recorder.mark()
    try:
        with pytest.raises(InsightsQueryError) as caught:
            run_service_query(client(group, fake, poll_interval=1, max_poll_interval=4, timeout=30),
                              "fields @message", [GROUP], START, START + 3600)
    finally:
        group.query_running_seconds = 0.0
    assert caught.value.kind == "timeout" and "StopQuery was called (stopped)" in str(caught.value)
    assert sum(fake.sleeps) == pytest.approx(30) and max(fake.sleeps) <= 4 * 1.2
    calls = group.recorder.operations(service="logs", since=mark)
    assert calls["StartQuery"] == 1 and calls["StopQuery"] == 1 and calls["GetQueryResults"] == len(fake.sleeps) + 1


def test_a_full_page_is_split_by_time_and_merged_in_order(group):
    fake = FakeTime()
    rows, _statistics, ids = run_service_query(client(group, fake), "fields bytes | sort bytes desc", [GROUP],
                                               START, START + 5, limit=2)
    assert [row["bytes"] for row in rows] == ["600", "500", "400", "300", "200", "100"] and len(ids) > 1
    with pytest.raises(InsightsQueryError, match="on_truncation=fail"):
        run_service_query(client(group, fake), "fields bytes", [GROUP], START, START + 5, limit=2,
                          on_truncation="fail")


def test_service_errors_are_readable(group):
    fake = FakeTime()
    with pytest.raises(InsightsQueryError) as caught:
        run_service_query(client(group, fake), "fields @message", ["/no/such/group"], START, START + 60)
    assert "(log groups: /no/such/group)" in str(caught.value) and caught.value.code == "ResourceNotFoundException"


def test_session_cache_builds_one_session_per_options():
    built = []
    cache = SessionCache(lambda options: built.append(options) or object())
    first = cache.get(dict(region="us-east-1", profile=None))
    assert cache.get(dict(profile=None, region="us-east-1")) is first
    assert cache.get(dict(region="eu-west-1", profile=None)) is not first
    assert len(built) == 2


@pytest.mark.parametrize("field, value, converted", [
    ("bytes", "8000", 8000), ("avg", "12.5", 12.5), ("big", "1e3", 1000.0), ("addr", "10.0.0.1", "10.0.0.1"),
    ("@ptr", "123", "123"), ("port", "007", "007"), ("n", 5, 5)])
def test_convert_value(field, value, converted):
    assert convert_value(field, value) == converted
    assert type(convert_value(field, value)) is type(converted)


class RealPause(FakeTime):
    """A fake clock whose sleeps also pass a little real time, so the local AWS's queries move on."""

    def sleep(self, seconds):
        super(RealPause, self).sleep(seconds)
        time.sleep(0.02)


def _jobs(count, text="stats sum(bytes) as total"):
    return [job_for(text, [GROUP], START, START + 3600) for _index in range(count)]


def test_several_queries_run_at_once_in_one_polling_loop(group):
    group.query_running_seconds = 0.3
    fake = RealPause()
    mark = group.recorder.mark()
    run = ConcurrentRun(client(group, fake, poll_interval=0.1), max_concurrent=4)
    try:
        answers = run.run(_jobs(4) + [job_for("stats count(*) as n", [GROUP], START, START + 3600)])
    finally:
        group.query_running_seconds = 0.0
    assert [rows for rows, _statistics, _ids in answers] == [[{"total": "2100"}]] * 4 + [[{"n": "6"}]]
    assert run.most_running == 4
    calls = group.recorder.operations(service="logs", since=mark)
    assert calls["StartQuery"] == 5 and "StopQuery" not in calls


def test_limit_exceeded_keeps_queries_queued_until_a_slot_frees(group):
    # botocore's retry mode retries LimitExceededException a few times too; a query of 1.5 s outlasts that
    group.query_running_seconds = 1.5
    group.max_concurrent_queries = 2
    fake = RealPause()
    mark = group.recorder.mark()
    run = ConcurrentRun(client(group, fake, poll_interval=0.05), max_concurrent=5)
    try:
        answers = run.run(_jobs(5))
    finally:
        group.query_running_seconds = 0.0
        group.max_concurrent_queries = None
    assert [rows for rows, _statistics, _ids in answers] == [[{"total": "2100"}]] * 5
    # the service refused some starts while two ran, and no query was lost
    assert group.recorder.operations(service="logs", since=mark)["StartQuery"] > 5


def test_limit_exceeded_with_none_of_ours_running_backs_off_and_gives_up(group):
    group.max_concurrent_queries = 0
    fake = FakeTime()
    try:
        with pytest.raises(InsightsQueryError) as caught:
            run_service_queries(client(group, fake, start_attempts=4, start_backoff=1.0), _jobs(1))
    finally:
        group.max_concurrent_queries = None
    assert caught.value.code == "LimitExceededException"
    assert len(fake.sleeps) == 3 and all(0.5 * 2 ** i <= s <= 2 ** i for i, s in enumerate(fake.sleeps))


def test_a_failing_query_stops_the_others(group):
    group.query_running_seconds = 3600.0
    fake = RealPause()
    mark = group.recorder.mark()
    try:
        with pytest.raises(InsightsQueryError):
            run_service_queries(client(group, fake, poll_interval=1, timeout=5), _jobs(3), max_concurrent=3)
    finally:
        group.query_running_seconds = 0.0
    assert group.recorder.operations(service="logs", since=mark)["StopQuery"] == 3


def test_a_concurrent_run_splits_a_full_page_like_a_single_run(group):
    fake = FakeTime()
    [(rows, _statistics, ids)] = run_service_queries(
        client(group, fake), [job_for("fields bytes | sort bytes desc", [GROUP], START, START + 5, limit=2)])
    assert [row["bytes"] for row in rows] == ["600", "500", "400", "300", "200", "100"] and len(ids) > 1
