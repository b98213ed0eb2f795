"""EC2 flow-log calls moto 5.2.5 gets wrong, made to behave as AWS documents them.

- CreateFlowLogs ``DestinationOptions`` (moto: accepted, dropped). AWS stores FileFormat
  (plain-text default, parquet), HiveCompatiblePartitions and PerHourPartition (both false by
  default) for s3 flow logs and returns them as ``DestinationOptions`` in DescribeFlowLogs.
- CreateFlowLogs ``DeliverCrossAccountRole`` (moto: dropped). AWS stores it and returns it.
- CreateFlowLogs ``LogDestination`` = a log-group ARN (moto: LogGroupName left empty, so the
  flow log never matches the ``log-group-name`` filter). AWS accepts the ARN (with or without
  ``:*``) instead of LogGroupName and reports the group's name.
- CreateFlowLogs ``ClientToken`` (moto: ignored, so a retried call creates duplicates). EC2
  idempotency: a repeated request with the same token and parameters returns the first result
  and creates nothing; the same token with other parameters is ``IdempotentParameterMismatch``.
- CreateFlowLogs for a resource that already has a flow log with the same configuration and
  destination (moto: ``FlowLogAlreadyExists`` raised for the whole call, after creating the
  resources listed before it, and keyed on resource + destination only, ignoring TrafficType).
  AWS reports it per resource in ``Unsuccessful`` (code ``FlowLogAlreadyExists``, message "Error.
  There is an existing Flow Log with the same configuration and log destination.") and creates
  the others. "Same configuration" is taken as resource, destination, traffic type, format,
  aggregation interval, role and destination options (inferred from the message: a second flow
  log to the same destination with another format is how a format change is rolled out).
- CreateFlowLogs for ``TransitGateway`` / ``TransitGatewayAttachment`` (moto: a traffic type and a
  600-second interval accepted, 600 the default). "Create and manage AWS Transit Gateway Flow Logs
  using APIs or the CLI" (vpc/latest/tgw/flow-logs-api-cli.html): ``--traffic-type`` "An error is
  returned if you provide this for transit gateway resource types"; ``--max-aggregation-interval``
  "has a default value of 60, and is the only accepted value for transit gateway resource types.
  An error is returned if you try to pass any other value". The page names no error code:
  ``InvalidParameter`` is our reconstruction (docs/local-aws.md).
- DeleteFlowLogs with unknown ids (moto: ``InvalidFlowLogId.NotFound`` for the whole call, yet
  deleting the known ids). AWS deletes the known ids and lists each unknown one in
  ``Unsuccessful`` with ``InvalidFlowLogId.NotFound``.
- DescribeFlowLogs filter ``deliver-log-status`` (moto: hard-coded SUCCESS). AWS filters on the
  flow log's DeliverLogsStatus (SUCCESS or FAILED).
- Flow logs per resource (moto: unlimited). The Amazon VPC quotas page (awsdocs
  amazon-vpc-user-guide, doc_source/amazon-vpc-limits.md, "Flow logs"): "Flow logs per single
  network interface, single subnet, or single VPC in a Region: 2. This limit cannot be
  increased." A create beyond it is reported per resource in ``Unsuccessful`` with
  FLOW_LOGS_LIMIT_CODE; the exact code and text AWS returns were not found in AWS's pages (see
  docs/local-aws.md), the code is the EC2 error-code list's name for flow-log limits.
- ClientToken is kept for the life of the server (a reset clears it): "Ensuring idempotency in
  Amazon EC2 API requests" (ec2/latest/devguide/ec2-api-idempotency.html): a retry with the same
  token and parameters returns the original result and performs nothing, even when what it
  created has since been deleted; other parameters with that token are IdempotentParameterMismatch.
- S3 destinations with a prefix: ``arn:aws:s3:::bucket/prefix/`` (moto: refused, it looks for a
  bucket named "bucket/prefix/"). The VPC user guide ("Create a flow log that publishes to
  Amazon S3": "You can optionally include a subfolder") accepts it; the bucket must exist.
- DeliverLogsStatus / DeliverLogsErrorMessage (moto: SUCCESS, or FAILED when the group is missing
  at create time, never re-evaluated). Computed each time they are read (DescribeFlowLogs, its
  filter, the traffic synthesizer) from what delivery to CloudWatch Logs needs, per the VPC user
  guide "IAM role for publishing flow logs to CloudWatch Logs" (flow-logs-iam-role.html):
  the role exists; its trust policy lets ``vpc-flow-logs.amazonaws.com`` call sts:AssumeRole with
  ``aws:SourceAccount`` = the flow log's account and ``aws:SourceArn`` =
  ``arn:aws:ec2:REGION:ACCOUNT:vpc-flow-log/ID`` (the confused-deputy conditions that page
  recommends); its managed and inline policies allow logs:CreateLogStream and logs:PutLogEvents
  on the group's streams, logs:DescribeLogGroups and logs:DescribeLogStreams on the group, and
  logs:CreateLogGroup when the group does not exist. Otherwise FAILED with "Access error", the
  API reference's (API_FlowLog) text for "the IAM role associated with the flow log does not have
  sufficient permissions to publish to CloudWatch Logs". Policies are evaluated by
  ``iam_policies.evaluate``.
"""

import json

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import flow_logs as flow_log_models
from moto.ec2.models import validate_resource_ids
from moto.ec2.responses import flow_logs as flow_log_responses

DEFAULT_FORMAT = ("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
                  "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
ALREADY_EXISTS = "Error. There is an existing Flow Log with the same configuration and log destination."
FLOW_LOGS_PER_RESOURCE = 2
FLOW_LOGS_LIMIT_CODE = "FlowLogsLimitExceeded"
FLOW_LOGS_LIMIT_MESSAGE = ("You have reached the limit of {0} flow logs for resource {1}: a network interface, "
                           "subnet or VPC can have at most {0} flow logs in a Region.")
FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"
ACCESS_ERROR = "Access error"


TRANSIT_GATEWAY_TYPES = ("TransitGateway", "TransitGatewayAttachment")


class InvalidParameter(EC2ClientError):
    def __init__(self, message):
        super().__init__("InvalidParameter", message)


class IdempotentParameterMismatch(EC2ClientError):
    def __init__(self, token):
        super().__init__("IdempotentParameterMismatch",
                         "The client token {0} has already been used with different parameters.".format(token))


def _log_group_name_from_arn(arn):
    # arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]
    parts = (arn or "").split(":", 6)
    if len(parts) == 7 and parts[2] == "logs" and parts[5] == "log-group":
        name = parts[6]
        return name[:-2] if name.endswith(":*") else name
    return None


def _destination_key(flow_log):
    if flow_log.log_destination_type == "cloud-watch-logs":
        return ("cloud-watch-logs", flow_log.log_group_name or _log_group_name_from_arn(flow_log.log_destination))
    return (flow_log.log_destination_type, (flow_log.log_destination or "").rstrip("/"))


def _configuration_key(flow_log):
    return (flow_log.resource_id, _destination_key(flow_log), flow_log.traffic_type, flow_log.log_format,
            int(flow_log.max_aggregation_interval), flow_log.deliver_logs_permission_arn,
            json.dumps(getattr(flow_log, "destination_options", None), sort_keys=True))


def _destination_options(raw, destination_type):
    if destination_type != "s3":
        return None
    raw = raw or {}
    return {
        "FileFormat": raw.get("FileFormat") or "plain-text",
        "HiveCompatiblePartitions": str(raw.get("HiveCompatiblePartitions", "false")).lower() == "true",
        "PerHourPartition": str(raw.get("PerHourPartition", "false")).lower() == "true",
    }


def create_flow_logs(self):
    resource_type = self._get_param("ResourceType")
    resource_ids = self._get_param("ResourceIds", [])
    log_destination_type = self._get_param("LogDestinationType") or "cloud-watch-logs"
    log_destination = self._get_param("LogDestination")
    log_group_name = self._get_param("LogGroupName")
    if log_destination_type == "cloud-watch-logs" and not log_group_name and log_destination:
        log_group_name = _log_group_name_from_arn(log_destination)
    request = dict(
        resource_type=resource_type,
        traffic_type=self._get_param("TrafficType"),
        deliver_logs_permission_arn=self._get_param("DeliverLogsPermissionArn"),
        log_destination_type=log_destination_type,
        log_destination=log_destination,
        log_group_name=log_group_name,
        log_format=self._get_param("LogFormat"),
        max_aggregation_interval=self._get_int_param("MaxAggregationInterval"),
    )
    extra = dict(destination_options=_destination_options(self._get_param("DestinationOptions"), log_destination_type),
                 deliver_cross_account_role=self._get_param("DeliverCrossAccountRole"))
    validate_resource_ids(resource_ids)
    if resource_type in TRANSIT_GATEWAY_TYPES:
        if request["traffic_type"]:
            raise InvalidParameter("TrafficType is not supported for {0} flow logs".format(resource_type))
        if request["max_aggregation_interval"] not in (None, 60):
            raise InvalidParameter("MaxAggregationInterval must be 60 for {0} flow logs".format(resource_type))
        request["max_aggregation_interval"] = 60
    tags = self._parse_tag_specification().get("vpc-flow-log", {})
    self.error_on_dryrun()

    backend = self.ec2_backend
    token = self._get_param("ClientToken")
    fingerprint = json.dumps(dict(request, resource_ids=resource_ids, tags=tags, **extra), sort_keys=True, default=str)
    tokens = backend.__dict__.setdefault("_netobs_client_tokens", {})
    if token and token in tokens:
        seen_fingerprint, seen_result = tokens[token]
        if seen_fingerprint != fingerprint:
            raise IdempotentParameterMismatch(token)
        return ActionResult(seen_result)

    created, unsuccessful = [], []
    for resource_id in resource_ids:
        existing = set(_configuration_key(fl) for fl in backend.flow_logs.values())
        flow_logs, errors = _create_one(backend, request, resource_id, extra, existing)
        created.extend(flow_logs)
        unsuccessful.extend(errors)
    for flow_log in created:
        flow_log.add_tags(tags)
    result = {"FlowLogIds": [fl.id for fl in created],
              "Unsuccessful": [{"ResourceId": rid, "Error": {"Code": code, "Message": message}}
                               for rid, code, message in unsuccessful]}
    if token:
        tokens[token] = (fingerprint, result)
    return ActionResult(result)


def _create_one(backend, request, resource_id, extra, existing):
    """Create the flow log for one resource, or say per resource why not."""

    class Probe:  # the would-be flow log, compared with the existing ones
        pass

    probe = Probe()
    probe.resource_id = resource_id
    probe.log_destination_type = request["log_destination_type"]
    probe.log_group_name = request["log_group_name"]
    probe.log_destination = request["log_destination"]
    probe.traffic_type = request["traffic_type"]
    probe.log_format = request["log_format"] or DEFAULT_FORMAT
    probe.max_aggregation_interval = request["max_aggregation_interval"] or 600
    probe.deliver_logs_permission_arn = request["deliver_logs_permission_arn"]
    probe.destination_options = extra["destination_options"]
    if _configuration_key(probe) in existing:
        return [], [(resource_id, "FlowLogAlreadyExists", ALREADY_EXISTS)]
    if sum(1 for fl in backend.flow_logs.values() if fl.resource_id == resource_id) >= FLOW_LOGS_PER_RESOURCE:
        return [], [(resource_id, FLOW_LOGS_LIMIT_CODE, FLOW_LOGS_LIMIT_MESSAGE.format(FLOW_LOGS_PER_RESOURCE,
                                                                                       resource_id))]
    # moto looks up a bucket named after everything behind "arn:aws:s3:::": give it the bucket alone.
    request = dict(request)
    if request["log_destination_type"] == "s3" and request["log_destination"]:
        request["log_destination"] = _bucket_arn(request["log_destination"])
    # moto's own duplicate rule (resource + destination only) is coarser than AWS's: hide this
    # resource's flow logs while moto creates the new one, then put them back.
    hidden = dict((fid, fl) for fid, fl in backend.flow_logs.items() if fl.resource_id == resource_id)
    for fid in hidden:
        del backend.flow_logs[fid]
    try:
        flow_logs, errors = _original["create"](backend, resource_ids=[resource_id], **request)
    finally:
        backend.flow_logs.update(hidden)
    for flow_log in flow_logs:
        flow_log.log_destination = probe.log_destination
        flow_log.destination_options = extra["destination_options"]
        flow_log.deliver_cross_account_role = extra["deliver_cross_account_role"]
    return flow_logs, errors


def _bucket_arn(arn):
    head, _sep, path = arn.partition(":::")
    return head + ":::" + path.split("/", 1)[0] if _sep else arn


def s3_location(log_destination):
    """(bucket, prefix) of an S3 destination ARN; the prefix has no leading or trailing slash."""
    path = (log_destination or "").partition(":::")[2]
    bucket, _sep, prefix = path.partition("/")
    return bucket, prefix.strip("/")


def _log_group_arn(partition, region, account, name):
    return "arn:{0}:logs:{1}:{2}:log-group:{3}".format(partition, region, account, name)


def delivery_problem(flow_log):
    """None when this flow log can deliver, else why not (for CloudWatch Logs destinations)."""
    if flow_log.log_destination_type != "cloud-watch-logs":
        return None
    from moto.iam.models import iam_backends
    from moto.logs.models import logs_backends

    from . import iam_policies

    backend = flow_log.ec2_backend
    account, region = backend.account_id, backend.region_name
    partition = getattr(backend, "partition", "aws")
    role_arn = flow_log.deliver_logs_permission_arn or ""
    parts = role_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return "role {0!r} is not an IAM role ARN".format(role_arn)
    try:
        role = iam_backends[parts[4]][parts[1]].get_role_by_arn(role_arn)
    except Exception:  # moto's IAMNotFoundException and any malformed-ARN error alike
        return "role {0} does not exist".format(role_arn)
    source_arn = "arn:{0}:ec2:{1}:{2}:vpc-flow-log/{3}".format(partition, region, account, flow_log.id)
    context = {"aws:SourceAccount": account, "aws:SourceArn": source_arn}
    trust = iam_policies.evaluate([role.assume_role_policy_document], "sts:AssumeRole", role_arn, context,
                                  service=FLOW_LOGS_SERVICE)
    if trust != "Allow":
        return "the trust policy of {0} does not let {1} assume it for {2}".format(
            role_arn, FLOW_LOGS_SERVICE, source_arn)
    name = flow_log.log_group_name or _log_group_name_from_arn(flow_log.log_destination)
    group_arn = _log_group_arn(partition, region, account, name)
    needed = [("logs:CreateLogStream", group_arn + ":log-stream:*"),
              ("logs:PutLogEvents", group_arn + ":log-stream:*"),
              ("logs:DescribeLogGroups", group_arn + ":*"),
              ("logs:DescribeLogStreams", group_arn + ":*")]
    if name not in logs_backends[account][region].groups:
        needed.insert(0, ("logs:CreateLogGroup", group_arn + ":*"))
    documents = iam_policies.role_documents(role)
    for action, resource in needed:
        if iam_policies.evaluate(documents, action, resource) != "Allow":
            return "{0} is not allowed {1} on {2}".format(role_arn, action, resource)
    return None


def _status(self):
    return "FAILED" if delivery_problem(self) else "SUCCESS"


def _error_message(self):
    return ACCESS_ERROR if delivery_problem(self) else None


def delete_flow_logs(self):
    flow_log_ids = self._get_param("FlowLogIds", [])
    self.error_on_dryrun()
    backend = self.ec2_backend
    unsuccessful = []
    for flow_log_id in flow_log_ids:
        if flow_log_id in backend.flow_logs:
            del backend.flow_logs[flow_log_id]
        else:
            unsuccessful.append({"ResourceId": flow_log_id, "Error": {
                "Code": "InvalidFlowLogId.NotFound",
                "Message": "These flow log ids in the input list are not found: [TotalCount: 1] " + flow_log_id}})
    return ActionResult({"Unsuccessful": unsuccessful})


_original = {}


def apply():
    _original["create"] = flow_log_models.FlowLogsBackend.create_flow_logs
    original_filter = flow_log_models.FlowLogs.get_filter_value

    def get_filter_value(self, filter_name, method_name=None):
        if filter_name == "deliver-log-status":
            return self.deliver_logs_status
        return original_filter(self, filter_name, method_name)

    # Read by moto's serializer for DescribeFlowLogs (attribute names are the shape's, snake_cased).
    flow_log_models.FlowLogs.destination_options = None
    flow_log_models.FlowLogs.deliver_cross_account_role = None
    flow_log_models.FlowLogs.get_filter_value = get_filter_value
    # Read live: moto's __init__ assigns both, which the setters swallow.
    flow_log_models.FlowLogs.deliver_logs_status = property(_status, lambda self, value: None)
    flow_log_models.FlowLogs.deliver_logs_error_message = property(_error_message, lambda self, value: None)
    flow_log_responses.FlowLogs.create_flow_logs = create_flow_logs
    flow_log_responses.FlowLogs.delete_flow_logs = delete_flow_logs
