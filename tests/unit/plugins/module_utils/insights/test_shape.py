"""The query shape the service run needs, from the engine's syntax tree."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import QuerySyntaxError
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.shape import query_shape


def test_a_plain_query_has_no_shape_of_note():
    shape = query_shape("fields @timestamp, @message")
    assert not (shape.aggregated or shape.has_limit_command or shape.has_dedup) and shape.sort_fields is None
    assert shape.sort_is_mergeable


def test_stats_limit_and_dedup_are_seen():
    shape = query_shape("stats sum(bytes) as b by srcAddr | limit 5")
    assert shape.aggregated and shape.has_limit_command and not shape.has_dedup
    assert query_shape("fields srcAddr | dedup srcAddr").has_dedup


def test_the_last_sort_decides_the_order():
    shape = query_shape("sort bytes asc | fields srcAddr, bytes | sort bytes desc, srcAddr asc")
    assert shape.sort_fields == [("bytes", True), ("srcAddr", False)] and shape.sort_is_mergeable


def test_a_sort_on_an_expression_cannot_be_merged():
    shape = query_shape("sort bytes * 2 desc")
    assert shape.sort_fields is None and not shape.sort_is_mergeable


def test_a_query_that_does_not_parse_raises():
    with pytest.raises(QuerySyntaxError):
        query_shape("stats sum(bytes) by")
