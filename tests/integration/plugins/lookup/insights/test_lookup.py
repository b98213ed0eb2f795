"""The insights lookup against the local AWS: named queries checked three ways, and every failure path."""

import collections
import gzip
import ipaddress
import time

import pytest
from ansible.errors import AnsibleError
from ansible.plugins.loader import lookup_loader

from ansible_collections.netobs.flowlogs.plugins.module_utils import queries
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import run_query
from local_aws import traffic

pytestmark = pytest.mark.integration
START = int(time.time()) // 3600 * 3600 - 3 * 3600  # a whole hour, inside PutLogEvents' 14 days
END = START + 3599
VPC = "10.0.0.0/16"
ONPREM = "172.20.0.0/16"
PRIVATE = [ipaddress.ip_network(c) for c in queries.PRIVATE_RANGES]
_state = {}


def lookup(terms, **options):
    return lookup_loader.get("netobs.flowlogs.insights").run(terms if isinstance(terms, list) else [terms], {},
                                                             **options)


@pytest.fixture
def flows(local_aws_server):
    """One synthesized hour in the local AWS (rebuilt only when another test reset it)."""
    aws = local_aws_server
    logs = aws.client("logs")
    if not _state or not logs.describe_log_groups(logGroupNamePrefix="/netobs/flow-logs")["logGroups"]:
        aws.reset()
        net = traffic.build_network(aws, vpc_cidr=VPC, interfaces=5, interval=60)
        _state.update(net=net, records=traffic.synthesize(aws, start=START, minutes=60, seed=7))
    args = aws.module_args()
    args.update(log_groups=[_state["net"]["log_group"]], start=START, end=END, poll_interval=0.05)
    return dict(_state, args=args, aws=aws)


# -- an independent brute-force answer for every named query -------------------------------------------------------

def net(cidr):
    return ipaddress.ip_network(cidr)


def inside(address, *networks):
    return address != "-" and any(ipaddress.ip_address(address) in n for n in networks)


def minute(f, period=60):
    seconds = int(f["start"]) // period * period
    return time.strftime("%Y-%m-%d %H:%M:%S.000", time.gmtime(seconds))


def aggregate(records, where, keys, measures):
    """Rows {key columns..., measure columns...}; a group whose key field is '-' keeps that key absent."""
    groups = collections.OrderedDict()
    for f in (r["fields"] for r in records):
        if where(f):
            groups.setdefault(tuple(getter(f) for _name, getter in keys), []).append(f)
    rows = []
    for key, members in groups.items():
        row = dict((name, value) for (name, _getter), value in zip(keys, key) if value not in ("-", None))
        for name, measure in measures:
            value = measure(members)
            if value is not None:
                row[name] = value
        rows.append(row)
    return rows


def field(name):
    return lambda f: f[name]


def total(name, scale=1):
    def compute(members):
        values = [int(f[name]) for f in members if f[name] != "-"]
        return sum(values) / scale if values else None
    return compute


def count(members):
    return len(members)


SRC_DST = [("srcAddr", field("srcaddr")), ("dstAddr", field("dstaddr"))]
FIVE = [("srcAddr", field("srcaddr")), ("srcPort", field("srcport")), ("dstAddr", field("dstaddr")),
        ("dstPort", field("dstport")), ("protocol", field("protocol"))]


def ranges(src, dst):
    return lambda f: inside(f["srcaddr"], net(src)) and inside(f["dstaddr"], net(dst))


def expected(name, records, params):
    """(rows, sort keys [(column, descending)], limit) as the named query means them."""
    mb = total("bytes", 1e6)
    if name == "top_transfers_mb":
        return aggregate(records, lambda f: True, SRC_DST, [("MBTransferred", mb)]), [("MBTransferred", True)], 10
    if name == "range_transfers_per_minute":
        keys = FIVE + [("action", field("action")), ("minute", minute)]
        return (aggregate(records, ranges(ONPREM, VPC), keys, [("MBTransferred", mb)]),
                [("MBTransferred", True)], 100)
    if name == "busiest_minute_between_ranges":
        return (aggregate(records, ranges(ONPREM, VPC), [("minute", minute)], [("MBTransferred", mb)]),
                [("MBTransferred", True)], 1)
    if name == "top_flows_in_minute":
        low = params["minute"]
        in_minute = [r for r in records if low <= int(r["fields"]["start"] if r["fields"]["start"] != "-" else 0)
                     <= low + 59]
        return aggregate(in_minute, ranges(ONPREM, VPC), FIVE, [("MBTransferred", mb)]), [("MBTransferred", True)], 10
    if name == "top_egress_to_internet":
        def egress(f):
            return (f["log-status"] == "OK" and f["action"] == "ACCEPT" and inside(f["srcaddr"], net(VPC))
                    and not inside(f["dstaddr"], net(VPC), *PRIVATE)
                    and f["srcaddr"] == params.get("nat_address", f["srcaddr"]))
        return aggregate(records, egress, SRC_DST, [("MBTransferred", mb)]), [("MBTransferred", True)], 10
    if name == "bytes_stats_by_pair":
        def stat(function):
            def compute(members):
                values = [int(f["bytes"]) for f in members if f["bytes"] != "-"]
                return function(values) if values else None
            return compute
        return (aggregate(records, lambda f: True, SRC_DST, [
            ("avg(bytes)", stat(lambda v: sum(v) / len(v))), ("min(bytes)", stat(min)), ("max(bytes)", stat(max))]),
            None, None)
    if name == "udp_sources":
        return aggregate(records, lambda f: f["protocol"] == "17", SRC_DST[:1], [("count(*)", count)]), None, None
    if name == "top_byte_transfers":
        return (aggregate(records, lambda f: True, SRC_DST, [("bytesTransferred", total("bytes"))]),
                [("bytesTransferred", True)], 10)
    if name == "top_rejected_sources":
        return (aggregate(records, lambda f: f["action"] == "REJECT", SRC_DST[:1], [("numRejections", count)]),
                [("numRejections", True)], 20)
    if name == "rejected_by_port":
        return (aggregate(records, lambda f: f["action"] == "REJECT" and f["protocol"] == "6"
                          and f["dstport"] in ("22", "3389"), [("dstPort", field("dstport"))],
                          [("rejections", count), ("sources", lambda m: len({f["srcaddr"] for f in m}))]),
                [("rejections", True)], None)
    if name == "top_talkers_per_eni":
        return (aggregate(records, lambda f: f["log-status"] == "OK",
                          [("interfaceId", field("interface-id")), ("srcAddr", field("srcaddr"))],
                          [("bytesTransferred", total("bytes")), ("packetsTransferred", total("packets"))]),
                [("bytesTransferred", True)], 20)
    if name == "protocol_mix":
        return (aggregate(records, lambda f: f["log-status"] == "OK", [("protocol", field("protocol"))],
                          [("flows", count), ("bytesTransferred", total("bytes")),
                           ("packetsTransferred", total("packets"))]), [("bytesTransferred", True)], None)
    if name == "vpc_onprem_traffic":
        def between(f):
            return ranges(VPC, ONPREM)(f) or ranges(ONPREM, VPC)(f)
        return (aggregate(records, between, SRC_DST + [("action", field("action"))],
                          [("MBTransferred", mb), ("flows", count)]), [("MBTransferred", True)], 50)
    if name == "log_status_per_hour":
        return (aggregate(records, lambda f: True, [("hour", lambda f: minute(f, 3600)),
                                                    ("logStatus", field("log-status"))], [("records", count)]),
                [("hour", False), ("logStatus", False)], None)
    raise AssertionError("no brute force for " + name)


def normal(row):
    out = {}
    for key, value in row.items():
        try:
            out[key] = round(float(value), 6)  # MB totals have 6 decimals: exact despite float error
        except (TypeError, ValueError):
            out[key] = value
    return tuple(sorted(out.items()))


def assert_same_answer(actual, rows, sort_keys, limit):
    """``actual`` is a correct answer: the right rows, in a valid order, ties resolved any way."""
    every = collections.Counter(normal(r) for r in rows)
    got = [normal(r) for r in actual]
    assert len(got) == (min(limit, len(rows)) if limit else len(rows))
    assert not collections.Counter(got) - every, "rows the brute force does not have"
    if not sort_keys:
        assert collections.Counter(got) == every
        return

    def key(row):
        values = dict(row)
        return tuple(values.get(column) for column, _descending in sort_keys)
    ordered = list(rows)
    for column, descending in reversed(sort_keys):
        # A group without the column (a NODATA group's sum) sorts after every value when descending.
        ordered.sort(key=lambda r: (r.get(column) is not None, normal({column: r.get(column)})[0][1] or 0),
                     reverse=descending)
    assert [key(r) for r in got] == [key(normal(r)) for r in ordered[:len(got)]]


NAMED_PARAMS = {
    "range_transfers_per_minute": dict(src_cidr=ONPREM, dst_cidr=VPC),
    "busiest_minute_between_ranges": dict(src_cidr=ONPREM, dst_cidr=VPC),
    "top_flows_in_minute": dict(src_cidr=ONPREM, dst_cidr=VPC),
    "top_egress_to_internet": dict(vpc_cidr=VPC),
    "vpc_onprem_traffic": dict(vpc_cidr=VPC, onprem_cidrs=[ONPREM]),
}
FOUND = {}


@pytest.mark.parametrize("name", [q.name for q in queries.QUERIES])
def test_named_query_answers_match_engine_and_brute_force(flows, name):
    params = dict(NAMED_PARAMS.get(name, {}))
    records = flows["records"]
    if name == "top_flows_in_minute":
        busiest = expected("busiest_minute_between_ranges", records, {})[0]
        top = max(busiest, key=lambda r: r["MBTransferred"])
        params["minute"] = top["minute"].replace(" ", "T")[:16] + "Z"
    rendered = queries.render(name, params)
    low, high = rendered.time_range or (START, END)
    through_lookup = lookup(name, params=params, raw=True, **flows["args"])
    events = [{"timestamp": r["timestamp"], "message": r["message"], "logStream": r["log_stream"],
               "logGroup": r["log_group"]} for r in records]
    direct = run_query(rendered.text, events, start_time=low, end_time=high).rows
    assert through_lookup == direct
    assert through_lookup, "the synthesized hour should give every named query something to find"
    if name == "top_flows_in_minute":
        params["minute"] = rendered.time_range[0]
    rows, sort_keys, limit = expected(name, records, params)
    assert_same_answer(through_lookup, rows, sort_keys, limit)
    FOUND[name] = through_lookup[:3]


def test_nat_address_narrows_egress_to_the_nat_gateway(flows):
    nat = flows["net"]["interfaces"][0][1]
    rows = lookup("top_egress_to_internet", params=dict(vpc_cidr=VPC, nat_address=nat), raw=True, **flows["args"])
    assert rows and {r["srcAddr"] for r in rows} == {nat}
    brute, sort_keys, limit = expected("top_egress_to_internet", flows["records"], dict(nat_address=nat))
    assert_same_answer(rows, brute, sort_keys, limit)


# -- options ----------------------------------------------------------------------------------------------------------

def test_values_become_numbers_unless_raw(flows):
    rows = lookup("top_byte_transfers", **flows["args"])
    assert isinstance(rows[0]["bytesTransferred"], int) and isinstance(rows[0]["srcAddr"], str)
    rows = lookup("fields @ptr, bytes | limit 1", **flows["args"])
    assert isinstance(rows[0]["@ptr"], str)  # pointers stay strings even when all digits


def test_with_statistics_gives_rows_statistics_and_cost(flows):
    result = lookup("udp_sources", with_statistics=True, price_per_gb=0.005, **flows["args"])
    assert len(result) == 1
    answer = result[0]
    assert set(answer) >= {"rows", "statistics", "query", "cost_usd"}
    stats = answer["statistics"]
    scanned = sum(1 for r in flows["records"] if START <= r["timestamp"] // 1000 <= END)
    assert stats["recordsScanned"] == scanned
    assert stats["recordsMatched"] == sum(1 for r in flows["records"] if r["fields"]["protocol"] == "17")
    assert stats["bytesScanned"] == sum(len(r["message"]) for r in flows["records"])
    assert answer["cost_usd"] == pytest.approx(stats["bytesScanned"] / 2 ** 30 * 0.005)
    assert answer["query"] == "filter protocol=17 | stats count(*) by srcAddr"


def test_log_group_arn_is_sent_as_identifier(flows):
    aws = flows["aws"]
    args = dict(flows["args"])
    args["log_groups"] = ["arn:aws:logs:us-east-1:123456789012:log-group:/netobs/flow-logs:*"]
    assert lookup("top_byte_transfers", **args) == lookup("top_byte_transfers", **flows["args"])
    assert aws.recorder.operations(service="logs")["StartQuery"] >= 2


def test_polling_waits_for_running_queries(flows, monkeypatch):
    aws = flows["aws"]
    monkeypatch.setattr(aws, "query_running_seconds", 0.4)
    mark = aws.recorder.mark()
    assert lookup("protocol_mix", **flows["args"])
    polls = collections.Counter(c.operation for c in aws.recorder.calls(since=mark))["GetQueryResults"]
    assert polls >= 3


def test_local_engine_over_filter_log_events_agrees(flows):
    service = lookup("top_rejected_sources", raw=True, **flows["args"])
    local = lookup("top_rejected_sources", raw=True, engine="local", **flows["args"])
    brute, sort_keys, limit = expected("top_rejected_sources", flows["records"], {})
    assert_same_answer(local, brute, sort_keys, limit)
    assert len(local) == len(service)


def test_local_engine_over_s3_style_files(flows, tmp_path):
    path = tmp_path / "flows.log.gz"
    with gzip.open(str(path), "wt") as handle:
        handle.write(" ".join(f for f in traffic.fields_of_format(traffic.DEFAULT_LOG_FORMAT)) + "\n")
        for record in flows["records"]:
            handle.write(record["message"] + "\n")
    rows = lookup("protocol_mix", engine="local", files=[str(path)], start=START, end=END, raw=True)
    brute, sort_keys, limit = expected("protocol_mix", flows["records"], {})
    assert_same_answer(rows, brute, sort_keys, limit)


def test_custom_log_format_gets_a_parse_prefix(aws):
    log_format = "${version} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} " \
                 "${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction}"
    net = traffic.build_network(aws, log_format=log_format, log_group="/netobs/custom")
    records = traffic.synthesize(aws, start=START, minutes=30, seed=5)
    args = aws.module_args()
    args.update(log_groups=[net["log_group"]], start=START, end=END, poll_interval=0.05, raw=True)
    answer = lookup("protocol_mix", log_format=log_format, with_statistics=True, **args)[0]
    assert answer["query"].startswith('parse @message "* * * * * * * * * * * * * * *" as version, vpcId, ')
    brute, sort_keys, limit = expected("protocol_mix", records, {})
    assert_same_answer(answer["rows"], brute, sort_keys, limit)
    with pytest.raises(AnsibleError, match="reads interfaceId"):
        lookup("top_talkers_per_eni", log_format="${version} ${srcaddr} ${bytes} ${packets} ${log-status}", **args)


def test_lint_uses_the_fields_of_the_lookups_log_format(aws):
    # pkt-srcaddr is only in this format: lint must know it from log_format, not from the default format
    log_format = "${version} ${srcaddr} ${pkt-srcaddr} ${dstaddr} ${dstport} ${bytes} ${packets} ${log-status}"
    net = traffic.build_network(aws, log_format=log_format, log_group="/netobs/custom-pkt")
    traffic.synthesize(aws, start=START, minutes=10, seed=3)
    args = aws.module_args()
    args.update(log_groups=[net["log_group"]], start=START, end=END, poll_interval=0.05)
    rows = lookup("stats count(*) as n by pktSrcAddr", log_format=log_format, **args)
    assert rows and all("pktSrcAddr" in row for row in rows)
    mark = aws.recorder.mark()
    with pytest.raises(AnsibleError, match="srcaddr: did you mean srcAddr"):
        lookup("filter srcaddr = '10.0.0.1' | stats count(*) as n", log_format=log_format, **args)
    with pytest.raises(AnsibleError, match="lint.*interfaceId"):
        lookup("stats count(*) as n by interfaceId", log_format=log_format, **args)
    assert "StartQuery" not in {c.operation for c in aws.recorder.calls(since=mark)}


def test_truncated_raw_query_is_split_by_time_and_merged(flows):
    aws = flows["aws"]
    query = 'filter action = "REJECT" | fields srcAddr, dstPort'
    rejected = [r for r in flows["records"] if r["fields"]["action"] == "REJECT"]
    assert len(rejected) > 40
    mark = aws.recorder.mark()
    rows = lookup(query, limit=40, **flows["args"])
    assert len(rows) == len(rejected)
    assert len({r["@ptr"] for r in rows}) == len(rows)
    assert collections.Counter(r["srcAddr"] for r in rows) == collections.Counter(
        r["fields"]["srcaddr"] for r in rejected)
    starts = collections.Counter(c.operation for c in aws.recorder.calls(since=mark))["StartQuery"]
    assert starts > 2
    with pytest.raises(AnsibleError, match="on_truncation=fail"):
        lookup(query, limit=40, on_truncation="fail", **flows["args"])
    # A query's own limit command is what the user asked for: not truncation.
    assert len(lookup(query + " | limit 40", limit=40, **flows["args"])) == 40


# -- failure paths ----------------------------------------------------------------------------------------------------

def test_lint_error_stops_the_query_before_sending(flows):
    aws = flows["aws"]
    mark = aws.recorder.mark()
    with pytest.raises(AnsibleError) as error:
        lookup("stats sum(bytes) as b by srcAddr | sort bytesTransferred desc", **flows["args"])
    assert "lint" in str(error.value) and "bytesTransferred" in str(error.value)
    assert "StartQuery" not in {c.operation for c in aws.recorder.calls(since=mark)}


def test_allow_lint_errors_sends_anyway(flows):
    rows = lookup('filter srcAddr like "172.20." | stats count(*) as n by srcAddr | sort n desc',
                  allow_lint_errors=True, **flows["args"])
    assert rows and all(r["srcAddr"].startswith("172.20.") for r in rows)


def test_malformed_query_quotes_the_service_and_adds_our_hint(flows):
    with pytest.raises(AnsibleError) as error:
        lookup("stats count(*) by", lint=False, **flows["args"])
    message = str(error.value)
    assert "CloudWatch Logs rejected the query" in message and "MalformedQueryException" in message
    assert "hint (netobs lint)" in message


def test_timeout_stops_the_query(flows, monkeypatch):
    aws = flows["aws"]
    monkeypatch.setattr(aws, "query_running_seconds", 30)
    mark = aws.recorder.mark()
    with pytest.raises(AnsibleError) as error:
        lookup("protocol_mix", timeout=0.5, **flows["args"])
    assert "StopQuery was called (stopped)" in str(error.value)
    operations = collections.Counter(c.operation for c in aws.recorder.calls(since=mark))
    assert operations["StopQuery"] == 1
    query_id = str(error.value).split("query ")[1].split(" ")[0]
    assert aws.client("logs").get_query_results(queryId=query_id)["status"] == "Cancelled"


def test_limit_exceeded_is_retried_until_a_slot_frees(flows):
    aws = flows["aws"]
    aws.faults.add(kind="error", service="logs", operation="StartQuery", code="LimitExceededException", count=2)
    mark = aws.recorder.mark()
    args = dict(flows["args"], max_attempts=1)  # no botocore retries: this is the lookup's own
    assert lookup("top_byte_transfers", **args)
    assert collections.Counter(c.operation for c in aws.recorder.calls(since=mark))["StartQuery"] == 3


def test_empty_result_is_an_empty_list(flows):
    assert lookup("top_byte_transfers", **dict(flows["args"], start=START - 7200, end=START - 3601)) == []


def test_unknown_log_group(flows):
    with pytest.raises(AnsibleError, match="does not exist"):
        lookup("top_byte_transfers", **dict(flows["args"], log_groups=["/no/such/group"]))


@pytest.mark.parametrize("term, options, message", [
    ("range_transfers_per_minute", dict(params=dict(src_cidr="172.16.0.0/33", dst_cidr=VPC)), "params.src_cidr"),
    ("range_transfers_per_minute", dict(params=dict(src_cidr='10.0.0.0/8") or ispresent(@message', dst_cidr=VPC)),
     "not a valid CIDR"),
    ("top_everything", {}, "neither a named query"),
    ("fields @message", dict(params=dict(limit=3)), "only named queries"),
    ("top_byte_transfers", dict(start=END, end=START), "time range is empty"),
    ("top_byte_transfers", dict(start="yesterday"), "not a time"),
    ("top_byte_transfers", dict(start=None, end=None, since="ten minutes"), "not a period"),
    ("top_byte_transfers", dict(start=None, since="1h", end=END, limit=0), "limit"),
    ("top_byte_transfers", dict(log_groups=["arn:aws:s3:::bucket"]), "not a log group ARN"),
])
def test_bad_input_fails_before_any_query(flows, term, options, message):
    aws = flows["aws"]
    mark = aws.recorder.mark()
    with pytest.raises(AnsibleError, match=message):
        lookup(term, **dict(flows["args"], **options))
    assert "StartQuery" not in {c.operation for c in aws.recorder.calls(since=mark)}


def test_since_and_start_are_exclusive(flows):
    with pytest.raises(AnsibleError, match="mutually exclusive"):
        lookup("top_byte_transfers", **dict(flows["args"], since="1h"))


# -- a real ansible-playbook run ---------------------------------------------------------------------------------------

def test_playbook_uses_the_lookup(aws, run_playbook):
    net = traffic.build_network(aws)
    traffic.synthesize(aws, start=START, minutes=20, seed=7)
    playbook = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: rejected sources
      ansible.builtin.set_fact:
        rejected: "{{ query('netobs.flowlogs.insights', 'top_rejected_sources', log_groups=[group],
                            start=start, end=end, poll_interval=0.05) }}"
    - name: raw query with statistics
      ansible.builtin.set_fact:
        udp: "{{ lookup('netobs.flowlogs.insights', 'filter protocol=17 | stats count(*) as n',
                        log_groups=[group], start=start, end=end, with_statistics=true, poll_interval=0.05) }}"
"""
    run = run_playbook(playbook, extra_vars=dict(group=net["log_group"], start=START, end=START + 1199))
    assert run.returncode == 0, run.stdout + run.stderr
    rejected = run.result("rejected sources")["ansible_facts"]["rejected"]
    assert rejected and all(isinstance(r["numRejections"], int) for r in rejected)
    udp = run.result("raw query with statistics")["ansible_facts"]["udp"]
    assert udp["rows"][0]["n"] > 0 and udp["statistics"]["recordsScanned"] > 0
    assert aws.recorder.operations(service="logs")["StartQuery"] == 2
