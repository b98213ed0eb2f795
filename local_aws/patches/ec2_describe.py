"""EC2 Describe calls: AWS's filter-value limit and MaxResults pagination (moto 5.2.5 has neither).

- More than 200 values in one filter of one call: ``FilterLimitExceeded`` (HTTP 400) "The
  maximum number of filter values specified on a single call is 200". AWS documents no number on
  the API pages; the code and the text are what EC2 returns, reported verbatim against
  DescribeInstances in https://github.com/gjbae1212/gossm/issues/31 and
  https://github.com/convox/rack/issues/2205, and the 200 per-filter ceiling in
  https://github.com/aws/aws-sdk-java/issues/320. Counted per filter (the reports are all one
  filter); whether EC2 also sums over several filters is not documented (see docs/local-aws.md).
- ``MaxResults``: the EC2 API reference gives DescribeVpcs, DescribeSubnets,
  DescribeNetworkInterfaces, DescribeNatGateways and the DescribeTransitGateway* calls a valid
  range of 5 to 1000 (API_DescribeVpcs, API_DescribeSubnets, ...; the botocore model carries
  the same min/max). A value outside it is ``InvalidParameterValue``. DescribeFlowLogs
  (API_DescribeFlowLogs): "This value can be between 5 and 1000; if MaxResults is given a value
  larger than 1000, only 1000 results are returned" - below 5 is refused, above 1000 is capped.
  A page holds at most MaxResults items and carries ``NextToken`` while more remain; a call
  without MaxResults returns every item here (AWS may still page a large answer: callers must
  follow NextToken either way; see docs/local-aws.md).
- DescribeNetworkInterfaces: "You cannot specify this parameter and the network interface IDs
  parameter in the same request" -> ``InvalidParameterCombination``.
- An unknown or foreign ``NextToken`` is ``InvalidParameterValue`` (EC2 answers a token it did
  not issue with an error, never with page one).
"""

import base64
import json

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses import EC2Response

MAX_FILTER_VALUES = 200
FILTER_LIMIT_MESSAGE = "The maximum number of filter values specified on a single call is 200"
# operation method -> (result key, min, max, capped above max, ids parameter that excludes MaxResults)
PAGINATED = {
    "describe_vpcs": ("Vpcs", 5, 1000, False, None),
    "describe_subnets": ("Subnets", 5, 1000, False, None),
    "describe_network_interfaces": ("NetworkInterfaces", 5, 1000, False, "NetworkInterfaceIds"),
    "describe_nat_gateways": ("NatGateways", 5, 1000, False, None),
    "describe_transit_gateways": ("TransitGateways", 5, 1000, False, None),
    "describe_transit_gateway_attachments": ("TransitGatewayAttachments", 5, 1000, False, None),
    "describe_transit_gateway_vpc_attachments": ("TransitGatewayVpcAttachments", 5, 1000, False, None),
    "describe_flow_logs": ("FlowLogs", 5, 1000, True, None),
}


class FilterLimitExceeded(EC2ClientError):
    def __init__(self):
        super().__init__("FilterLimitExceeded", FILTER_LIMIT_MESSAGE)


class InvalidParameterValue(EC2ClientError):
    def __init__(self, message):
        super().__init__("InvalidParameterValue", message)


class InvalidParameterCombination(EC2ClientError):
    def __init__(self, message):
        super().__init__("InvalidParameterCombination", message)


def check_filter_values(response):
    """FilterLimitExceeded when one filter of this call carries more than 200 values."""
    for values in (response._filters_from_querystring() or {}).values():
        if len(values or []) > MAX_FILTER_VALUES:
            raise FilterLimitExceeded()


def _token(operation, offset):
    return base64.urlsafe_b64encode(json.dumps({"op": operation, "offset": offset}).encode()).decode()


def _offset(operation, token):
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        if data["op"] == operation and isinstance(data["offset"], int) and data["offset"] >= 0:
            return data["offset"]
    except (ValueError, KeyError, TypeError):
        pass
    raise InvalidParameterValue("Invalid value '{0}' for NextToken".format(token))


def _wrap(name, original):
    result_key, low, high, capped, ids_param = PAGINATED[name]

    def describe(self):
        check_filter_values(self)
        max_results = self._get_int_param("MaxResults")
        token = self._get_param("NextToken")
        if max_results is not None:
            if ids_param and self._get_param(ids_param):
                raise InvalidParameterCombination(
                    "The parameter {0} cannot be used with the parameter maxResults".format(ids_param))
            if max_results < low or (max_results > high and not capped):
                raise InvalidParameterValue(
                    "Value ( {0} ) for parameter maxResults is invalid. Parameter must be between {1} and {2}."
                    .format(max_results, low, high))
            max_results = min(max_results, high)
        offset = _offset(name, token) if token else 0
        answer = original(self)
        if max_results is None and not token:
            return answer
        payload = dict(answer.result)
        items = list(payload.get(result_key) or [])
        page_size = max_results if max_results is not None else len(items)
        payload[result_key] = items[offset:offset + page_size]
        payload.pop("NextToken", None)
        if offset + page_size < len(items):
            payload["NextToken"] = _token(name, offset + page_size)
        return ActionResult(payload)

    describe.__name__ = name
    describe.__wrapped__ = original
    return describe


def _defining_class(name):
    return next(klass for klass in EC2Response.__mro__ if name in klass.__dict__)


def apply():
    for name in PAGINATED:
        klass = _defining_class(name)
        setattr(klass, name, _wrap(name, klass.__dict__[name]))
