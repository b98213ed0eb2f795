"""The named-query library: every query lints clean, parameters are validated and cannot inject text."""

import os
import re

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils import queries
from ansible_collections.netobs.flowlogs.plugins.module_utils import query_formats
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import lint, parse
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

from local_aws._collection import REPO_ROOT as REPO
SAMPLE_PARAMS = dict(src_cidr="172.16.0.0/16", dst_cidr="10.0.0.0/16", vpc_cidr="10.0.0.0/16",
                     onprem_cidrs=["172.16.0.0/16", "192.168.0.0/16"], minute="2024-05-01T16:22:31Z")


def sample(name):
    query = queries.get(name)
    return dict((p.name, SAMPLE_PARAMS[p.name]) for p in query.params if p.name in SAMPLE_PARAMS)


@pytest.mark.parametrize("name", sorted(queries.NAMED_QUERIES))
def test_every_named_query_parses_and_lints_clean(name):
    text = queries.render(name, sample(name)).text
    parse(text)
    assert [str(d) for d in lint(text)] == []


@pytest.mark.parametrize("name", sorted(queries.NAMED_QUERIES))
def test_every_named_query_is_documented(name):
    query = queries.get(name)
    assert query.title and len(query.purpose) > 30 and query.origin in ("article", "console", "netobs")
    with open(os.path.join(REPO, "docs", "named-queries.md")) as handle:
        doc = handle.read()
    assert "`{0}`".format(name) in doc
    for param in query.params:
        assert param.description
        assert "`{0}`".format(param.name) in doc


def test_the_articles_queries_are_done_right():
    article = [q for q in queries.QUERIES if q.origin == "article"]
    assert len(article) == 5
    for query in article:
        text = queries.render(query.name, sample(query.name)).text
        assert " like " not in text  # ranges are CIDR tests
        if "filter" in text:
            assert text.index("filter") < text.index("stats")  # filters before stats
    text = queries.render("top_transfers_mb").text
    assert "sort MBTransferred desc" in text  # the column stats produced, not bytesTransferred


def test_console_samples_are_verbatim():
    assert queries.render("udp_sources").text == "filter protocol=17 | stats count(*) by srcAddr"
    assert queries.render("top_byte_transfers").text == (
        "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10")


def test_cidr_ranges_render_as_subnet_tests_of_the_right_family():
    text = queries.render("vpc_onprem_traffic", dict(vpc_cidr="10.0.0.0/16",
                                                     onprem_cidrs=["172.16.0.0/12", "2001:db8::/32"])).text
    assert 'isIpv4InSubnet(srcAddr, "10.0.0.0/16")' in text
    assert 'isIpv6InSubnet(dstAddr, "2001:db8::/32")' in text


def test_minute_parameter_sets_the_time_range():
    rendered = queries.render("top_flows_in_minute", sample("top_flows_in_minute"))
    assert rendered.time_range == (1714580520, 1714580579)  # 16:22:00 - 16:22:59 UTC
    assert queries.render("top_flows_in_minute", dict(sample("top_flows_in_minute"), minute=1714580555)
                          ).time_range == (1714580520, 1714580579)


@pytest.mark.parametrize("name, params, message", [
    ("range_transfers_per_minute", dict(src_cidr="172.16.0.0/33", dst_cidr="10.0.0.0/16"), "params.src_cidr"),
    ("range_transfers_per_minute", dict(src_cidr="10.0.0.5/16", dst_cidr="10.0.0.0/16"), "host bits"),
    ("range_transfers_per_minute", dict(dst_cidr="10.0.0.0/16"), "params.src_cidr: is required"),
    ("range_transfers_per_minute", dict(src_cidr=["10.0.0.0/8"], dst_cidr="10.0.0.0/16"), "CIDR string"),
    ("rejected_by_port", dict(ports=[22, 70000]), "between 0 and 65535"),
    ("rejected_by_port", dict(ports=["ssh"]), "must be an integer"),
    ("rejected_by_port", dict(ports=[True]), "must be an integer"),
    ("rejected_by_port", dict(protocol="icmp"), "allowed: tcp, udp"),
    ("top_transfers_mb", dict(limit=0), "between 1 and 10000"),
    ("top_transfers_mb", dict(bogus=1), "does not take bogus"),
    ("top_talkers_per_eni", dict(interface_id="eni-12"), "network interface id"),
    ("top_egress_to_internet", dict(vpc_cidr="10.0.0.0/16", nat_address="10.0.0.300"), "not an IP address"),
    ("top_flows_in_minute", dict(src_cidr="10.0.0.0/8", dst_cidr="10.0.0.0/8", minute="yesterday"), "ISO 8601"),
])
def test_bad_parameters_name_the_parameter(name, params, message):
    with pytest.raises(ValidationError) as error:
        queries.render(name, params)
    assert message in str(error.value)


def test_unknown_named_query_lists_the_known_ones():
    with pytest.raises(ValidationError) as error:
        queries.get("top_everything")
    assert "top_byte_transfers" in str(error.value)


@pytest.mark.parametrize("param, value", [
    ("src_cidr", '10.0.0.0/8") or ispresent(@message) or isIpv4InSubnet(srcAddr, "10.0.0.0/8'),
    ("src_cidr", "10.0.0.0/8\n| stats count(*) as leaked by @message"),
    ("src_cidr", '10.0.0.0/8" | display @message #'),
])
def test_parameters_cannot_inject_query_text(param, value):
    params = dict(src_cidr="10.0.0.0/8", dst_cidr="10.0.0.0/16")
    params[param] = value
    with pytest.raises(ValidationError):
        queries.render("range_transfers_per_minute", params)


def test_list_and_eni_values_cannot_inject_either():
    with pytest.raises(ValidationError):
        queries.render("rejected_by_port", dict(ports="22] or action = \"ACCEPT\" #"))
    with pytest.raises(ValidationError):
        queries.render("top_talkers_per_eni", dict(interface_id='eni-01234567" or ispresent(@message) #'))


def test_rendered_literals_come_only_from_canonical_values():
    text = queries.render("rejected_by_port", dict(ports=["0022", 3389], protocol="UDP")).text
    assert "dstPort in [22, 3389]" in text and "protocol = 17" in text
    # Only our own quotes: every string literal in the text is a CIDR, address or ENI id.
    text = queries.render("top_egress_to_internet", dict(vpc_cidr="10.0.0.0/16", nat_address="10.0.1.5")).text
    assert set(re.findall(r'"([^"]*)"', text)) <= {"OK", "ACCEPT", "10.0.0.0/16", "10.0.0.0/8", "172.16.0.0/12",
                                                   "192.168.0.0/16", "10.0.1.5"}


def test_catalogue_is_plain_data():
    catalogue = queries.catalogue()
    assert [entry["name"] for entry in catalogue] == [q.name for q in queries.QUERIES]
    assert len(catalogue) >= 14
    assert catalogue[1]["params"][0] == dict(name="src_cidr", kind="cidr", required=True,
                                             description=queries.get("range_transfers_per_minute").params[0].description)


def test_query_text_renders_a_named_query_and_keeps_a_query_text():
    text, time_range = query_formats.query_text(" top_transfers_mb ")
    assert text == queries.render("top_transfers_mb").text and time_range is None
    assert query_formats.query_text("fields @message | limit 5") == ("fields @message | limit 5", None)
    minute = query_formats.query_text("top_flows_in_minute", dict(src_cidr="10.0.0.0/8", dst_cidr="10.0.0.0/8",
                                                                  minute="2024-05-01T16:22:30Z"))
    assert minute[1] == (1714580520, 1714580579)


def test_query_text_puts_the_parse_of_a_custom_format_first():
    text, _range = query_formats.query_text("fields srcaddr", log_format="${srcaddr} ${dstaddr} ${bytes}")
    assert text.endswith("\n| fields srcaddr") and text.startswith("parse @message")


@pytest.mark.parametrize("term, params, log_format, message", [
    ("top_transfers_mb", dict(limit=0), None, "named query top_transfers_mb: params.limit: "),
    ("top_transfers_mb", None, "${srcaddr} ${dstaddr}", "named query top_transfers_mb reads bytes"),
    ("top_transfer_mb", None, None, "'top_transfer_mb' is neither a named query nor a query text"),
    ("fields @message", dict(limit=3), None, "params: only named queries take parameters"),
])
def test_query_text_refuses_what_cannot_be_sent(term, params, log_format, message):
    with pytest.raises(ValueError) as caught:
        query_formats.query_text(term, params, log_format)
    assert str(caught.value).startswith(message)


def test_ranges_minus_takes_the_vpc_out_of_the_on_premises_range():
    assert query_formats.ranges_minus(["172.16.0.0/12"], ["172.31.0.0/16"]) == [
        "172.16.0.0/13", "172.24.0.0/14", "172.28.0.0/15", "172.30.0.0/16"]
    assert query_formats.ranges_minus(["172.20.0.0/16"], ["172.16.0.0/12"]) == []
    assert query_formats.ranges_minus(["192.168.0.0/16", "2001:db8::/32"], ["10.0.0.0/8"]) == [
        "192.168.0.0/16", "2001:db8::/32"]


def test_params_for_estate_fill_the_vpc_ranges_and_trim_on_premises():
    params = query_formats.params_for_estate("vpc_onprem_traffic", {"vpc_cidr": [], "onprem_cidrs": ["172.16.0.0/12"]},
                                             ["172.31.0.0/16", "10.0.0.0/16"])
    assert params["vpc_cidr"] == ["172.31.0.0/16", "10.0.0.0/16"]
    assert "172.31.0.0/16" not in params["onprem_cidrs"] and "172.30.0.0/16" in params["onprem_cidrs"]
    given = query_formats.params_for_estate("top_egress_to_internet", {"vpc_cidr": "10.9.0.0/16"}, ["10.0.0.0/16"])
    assert given["vpc_cidr"] == "10.9.0.0/16"
    assert query_formats.params_for_estate("protocol_mix", {}, ["10.0.0.0/16"]) == {}


V5 = query_formats.canonical_log_format(5)


@pytest.mark.parametrize("form", [5, "5", V5.replace("${", "").replace("}", "").split(), V5])
def test_log_format_takes_the_enable_roles_forms(form):
    text, _range = query_formats.query_text("protocol_mix", {}, form)
    assert text.startswith('parse @message "') and "flowDirection" in text


def test_log_format_errors_name_the_option():
    with pytest.raises(ValueError, match="log_format"):
        query_formats.query_text("protocol_mix", {}, 4.5)
    with pytest.raises(ValueError, match="log_format"):
        query_formats.query_text("protocol_mix", {}, ["srcaddr", "nonsense"])


def test_only_format_filter_counts_fields_and_lints():
    text, _range = query_formats.query_text("protocol_mix", {}, None, only_format=True)
    assert text.startswith("filter @message like /^[^ ]+( [^ ]+){13}$/\n| filter logStatus")
    assert [d for d in lint(text) if d.severity == "error"] == []
    assert query_formats.format_label(None) == "default"
    assert query_formats.format_label(query_formats.canonical_log_format(3)) == "version 3"


def test_additive_columns_only_for_sums_and_counts_without_a_limit():
    assert query_formats.additive_columns(queries.render("protocol_mix").text) == (
        ["protocol"], ["flows", "bytesTransferred", "packetsTransferred"], [("bytesTransferred", True)])
    assert query_formats.additive_columns(queries.render("top_byte_transfers").text) is None  # limit 10
    assert query_formats.additive_columns(queries.render("rejected_by_port").text) is None  # count_distinct
    assert query_formats.additive_columns("stats avg(bytes) by srcAddr") is None


def test_combine_format_results_adds_or_keeps_formats_apart_with_a_note():
    text = queries.render("protocol_mix").text
    rows, note = query_formats.combine_format_results(text, [
        ("default", [{"protocol": "6", "flows": "2", "bytesTransferred": "100", "packetsTransferred": "3"}]),
        ("version 5", [{"protocol": "6", "flows": "1", "bytesTransferred": "50", "packetsTransferred": "1"},
                       {"protocol": "17", "flows": "1", "bytesTransferred": "500", "packetsTransferred": "1"}])])
    assert note is None
    assert rows == [{"protocol": "17", "flows": "1", "bytesTransferred": "500", "packetsTransferred": "1"},
                    {"protocol": "6", "flows": "3", "bytesTransferred": "150", "packetsTransferred": "4"}]
    top = queries.render("top_byte_transfers").text
    rows, note = query_formats.combine_format_results(top, [("default", [{"srcAddr": "a"}]),
                                                      ("version 5", [{"srcAddr": "b"}])])
    assert rows == [{"logFormat": "default", "srcAddr": "a"}, {"logFormat": "version 5", "srcAddr": "b"}]
    assert "rows are per format" in note
