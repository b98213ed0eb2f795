"""Fails loudly when the moto internals the emulator patches (local_aws/patches/) move.

moto is pinned exactly; when a new pin changes these names or shapes, fix the patch, then this test.
"""

import inspect

from moto.core.exceptions import JsonRESTError
from moto.ec2.responses import EC2Response
from moto.logs import models, responses

from local_aws.patches import PATCH_MODULES, apply_all, logs_insights


def test_logs_insights_internals_exist():
    # The backend keeps queries in a dict and groups/streams/events as the patch reads them.
    backend = models.LogsBackend("us-east-1", "123456789012")
    assert isinstance(backend.queries, dict)
    assert isinstance(backend.groups, dict)
    assert "events" in inspect.getsource(models.LogStream.__init__)
    event = models.LogEvent(1, {"timestamp": 2, "message": "m"})
    assert (event.timestamp, event.message, event.ingestion_time) == (2, "m", 1)
    assert backend.region_name == "us-east-1" and backend.account_id == "123456789012"
    for name in ("start_query", "get_query_results", "describe_queries"):
        assert hasattr(responses.LogsResponse, name), name
    for name in ("_get_param", "_get_int_param", "logs_backend"):
        assert hasattr(responses.LogsResponse, name), name
    # describe_queries serialises whatever sits in backend.queries through these attributes.
    assert "to_json" in inspect.getsource(responses.LogsResponse.describe_queries)
    assert "log_group_names" in inspect.getsource(models.LogsBackend.describe_queries)
    # Errors: JSON bodies built from .description.
    error = JsonRESTError("X", "y")
    assert error.description and error.get_body() == error.description


def test_logs_insights_is_installed():
    assert "logs_insights" in PATCH_MODULES
    apply_all()
    assert responses.LogsResponse.start_query is logs_insights.start_query
    assert responses.LogsResponse.get_query_results is logs_insights.get_query_results
    assert responses.LogsResponse.stop_query is logs_insights.stop_query


def test_logs_log_groups_internals_exist():
    assert hasattr(responses.LogsResponse, "create_log_group")
    assert hasattr(models.LogGroup, "to_describe_dict")
    assert hasattr(models.LogsBackend, "put_retention_policy")


def test_ec2_regions_internals_exist():
    from moto.account.models import account_backends
    from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

    from local_aws.patches import ec2_regions

    # The patch lists moto's Region table (name, endpoint) and keeps opt-ins on the account backend.
    names = dict((r.name, r.endpoint) for r in RegionsAndZonesBackend.regions)
    assert names["us-east-1"] == "ec2.us-east-1.amazonaws.com" and names["cn-north-1"].endswith(".amazonaws.com.cn")
    assert "aws" in account_backends["123456789012"]
    assert "ec2_regions" in PATCH_MODULES
    apply_all()
    owner = next(k for k in EC2Response.__mro__ if "describe_regions" in k.__dict__)
    assert owner.describe_regions is ec2_regions.describe_regions
