"""A deterministic VPC flow-log traffic synthesizer for the local AWS.

For every flow log whose delivery works (DeliverLogsStatus SUCCESS) in the given accounts and regions
(DescribeFlowLogs), it writes the records AWS would deliver: one log stream per network
interface, named ``<eni-id>-<traffic type>`` (``eni-0123456789abcdef0-all``; the EC2
CreateFlowLogs reference says each interface has its own stream, and delivered streams carry
the traffic-type suffix), each record in the flow log's own LogFormat (flowlog_fields) and
aggregation window (MaxAggregationInterval), events stamped with the record's start time.

The mix: a few heavy talkers, NAT gateway egress to the internet, VPC <-> on-premises traffic,
UDP (on-premises DNS, NTP), some ICMP, rejected SSH/RDP scans from internet addresses, NODATA
windows on idle interfaces and the odd SKIPDATA. Never what the service does not log (VPC
user guide, "Flow log limitations"): the Amazon DNS server (VPC base + 2), 169.254.169.254,
169.254.169.123, DHCP, Windows licence activation (169.254.169.250/251) and the reserved
router addresses (VPC base + 1 and + 3). ``is_unlogged`` states that rule once; every flow
passes through it.

Interfaces come from DescribeNetworkInterfaces (by VPC, subnet or ENI, per the flow log's
resource); a VPC without interfaces gets three synthetic ones, so a demo always has data.

Use: ``synthesize(local_aws_or_endpoint, accounts, regions, start, minutes=60, seed=7)`` returns
the records written (dicts with the field values, for brute-force checks in tests);
``python -m local_aws.traffic --endpoint URL`` for ``make demo``.
"""

import argparse
import datetime
import gzip
import hashlib
import io
import ipaddress
import json
import random
import sys
import time

import boto3
from botocore.config import Config

from ._collection import install_collection_finder

install_collection_finder()

from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (  # noqa: E402
    DEFAULT_LOG_FORMAT, fields_of_format, record_version,
)

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
MAX_BATCH_EVENTS = 10000
MAX_BATCH_BYTES = 1048576
EVENT_OVERHEAD_BYTES = 26  # PutLogEvents counts each message's UTF-8 bytes plus 26
MAX_BATCH_SPAN_MS = 24 * 3600 * 1000
INTERNET_SERVERS = ("52.94.236.248", "151.101.1.69", "140.82.112.3", "13.107.42.14", "104.16.132.229",
                    "3.5.140.2", "199.232.69.194", "34.117.59.81")
SCANNERS = ("45.155.205.17", "185.220.101.4", "193.32.162.70", "89.248.165.52", "141.98.11.35", "92.63.197.9")
ONPREM_DEFAULT = "172.20.0.0/16"
ONPREM_FALLBACK = "192.168.100.0/24"
_LINK_LOCAL_UNLOGGED = frozenset(("169.254.169.254", "169.254.169.123", "169.254.169.250", "169.254.169.251"))


def is_unlogged(src, dst, protocol, src_port, dst_port, vpc_network):
    """True for traffic VPC flow logs never record (see the module docstring)."""
    base = int(vpc_network.network_address)
    reserved = {str(ipaddress.ip_address(base + offset)) for offset in (1, 2, 3)}
    if src in _LINK_LOCAL_UNLOGGED or dst in _LINK_LOCAL_UNLOGGED:
        return True
    if src in reserved or dst in reserved:
        return True
    return protocol == 17 and ({src_port, dst_port} & {67, 68})


class _Interface:
    def __init__(self, eni_id, address, subnet_id, instance_id, vpc_id):
        self.eni_id = eni_id
        self.address = address
        self.subnet_id = subnet_id
        self.instance_id = instance_id
        self.vpc_id = vpc_id


def _clients(target, account, region, services=("ec2", "logs")):
    if hasattr(target, "client"):
        return tuple(target.client(service, account=account, region=region) for service in services)
    config = Config(retries={"total_max_attempts": 3})
    session = boto3.session.Session(region_name=region)
    if account != DEFAULT_ACCOUNT:
        sts = session.client("sts", endpoint_url=target, config=config)
        creds = sts.assume_role(RoleArn="arn:aws:iam::{0}:role/netobs-test-admin".format(account),
                                RoleSessionName="netobs-traffic")["Credentials"]
        session = boto3.session.Session(region_name=region, aws_access_key_id=creds["AccessKeyId"],
                                        aws_secret_access_key=creds["SecretAccessKey"],
                                        aws_session_token=creds["SessionToken"])
    return tuple(session.client(service, endpoint_url=target, config=config) for service in services)


def _vpc_of(ec2, resource_id):
    if resource_id.startswith("vpc-"):
        return resource_id
    if resource_id.startswith("subnet-"):
        return ec2.describe_subnets(SubnetIds=[resource_id])["Subnets"][0]["VpcId"]
    if resource_id.startswith("eni-"):
        return ec2.describe_network_interfaces(NetworkInterfaceIds=[resource_id])["NetworkInterfaces"][0]["VpcId"]
    return None


def _interfaces(ec2, resource_id, vpc_id, network):
    key = {"vpc-": "vpc-id", "subnet-": "subnet-id", "eni-": "network-interface-id"}
    name = next((k for prefix, k in key.items() if resource_id.startswith(prefix)), None)
    found = []
    if name:
        described = ec2.describe_network_interfaces(Filters=[{"Name": name, "Values": [resource_id]}])
        for eni in sorted(described["NetworkInterfaces"], key=lambda e: e["NetworkInterfaceId"]):
            found.append(_Interface(eni["NetworkInterfaceId"], eni["PrivateIpAddress"], eni.get("SubnetId", "-"),
                                    (eni.get("Attachment") or {}).get("InstanceId", "-"), vpc_id))
    if found or not resource_id.startswith("vpc-"):
        return found
    # A VPC with no interfaces: three synthetic ones (ids from the VPC id, addresses from its CIDR).
    digest = hashlib.sha256(resource_id.encode()).hexdigest()
    return [_Interface("eni-" + digest[i * 17:(i + 1) * 17], str(network.network_address + 10 + i), "-", "-", vpc_id)
            for i in range(3)]


def _onprem_network(vpc_network):
    onprem = ipaddress.ip_network(ONPREM_DEFAULT)
    return ipaddress.ip_network(ONPREM_FALLBACK) if onprem.overlaps(vpc_network) else onprem


class _Window:
    """Flows of one interface in one aggregation window, as field dicts."""

    def __init__(self, rng, window_start, interval):
        self.rng = rng
        self.window_start = window_start
        self.interval = interval
        self.flows = []

    def add(self, src, dst, protocol, src_port, dst_port, packets, size, action="ACCEPT", direction="egress",
            path="1", tcp_flags=None):
        start = self.window_start + self.rng.randint(0, max(1, self.interval // 10))
        end = min(self.window_start + self.interval - 1, start + self.rng.randint(1, self.interval))
        flags = tcp_flags if tcp_flags is not None else ("19" if protocol == 6 and action == "ACCEPT" else
                                                         "2" if protocol == 6 else "0")
        self.flows.append({
            "srcaddr": src, "dstaddr": dst, "srcport": str(src_port), "dstport": str(dst_port),
            "protocol": str(protocol), "packets": str(packets), "bytes": str(size), "start": str(start),
            "end": str(end), "action": action, "log-status": "OK", "flow-direction": direction,
            "traffic-path": path if direction == "egress" else "-", "tcp-flags": flags,
            "pkt-srcaddr": src, "pkt-dstaddr": dst,
        })


def _traffic_for_window(rng, window, interface, role, peers, vpc_network, onprem, minute_index):
    me = interface.address
    heavy = role == "heavy"
    if role == "nat":
        for server in rng.sample(INTERNET_SERVERS, 3):
            out_bytes = rng.randint(200000, 4000000)
            window.add(me, server, 6, rng.randint(1024, 65535), 443, out_bytes // 1200 + 1, out_bytes, path="8")
            back = rng.randint(2000000, 30000000)
            window.add(server, me, 6, 443, rng.randint(1024, 65535), back // 1400 + 1, back, direction="ingress")
        return
    # East-west inside the VPC.
    for peer in rng.sample(peers, min(2, len(peers))):
        size = rng.randint(5000000, 60000000) if heavy else rng.randint(2000, 400000)
        port = rng.choice((443, 5432, 6379, 8080))
        window.add(me, peer.address, 6, rng.randint(1024, 65535), port, size // 1400 + 1, size)
    # Egress to the internet (through the NAT gateway: the instance's view keeps the server address).
    if rng.random() < 0.7:
        server = rng.choice(INTERNET_SERVERS)
        size = rng.randint(20000, 900000)
        window.add(me, server, 6, rng.randint(1024, 65535), 443, size // 1200 + 1, size)
    # VPC <-> on-premises (Direct Connect / VPN).
    if rng.random() < 0.6:
        host = str(onprem.network_address + rng.randint(10, 40))
        size = rng.randint(100000, 8000000) if heavy else rng.randint(1000, 200000)
        port = rng.choice((22, 443, 1433))
        window.add(host, me, 6, rng.randint(1024, 65535), port, size // 1400 + 1, size, direction="ingress")
        window.add(me, host, 6, port, rng.randint(1024, 65535), size // 2800 + 1, size // 2, path="3")
    # UDP: the on-premises DNS resolver and NTP on the internet (never Amazon DNS or 169.254.169.123).
    if rng.random() < 0.5:
        resolver = str(onprem.network_address + 53)
        window.add(me, resolver, 17, rng.randint(1024, 65535), 53, rng.randint(1, 4), rng.randint(70, 400), path="3")
    if minute_index % 5 == 0:
        window.add(me, "129.6.15.28", 17, 123, 123, 1, 76, path="8")
    if rng.random() < 0.1:
        window.add(me, rng.choice(peers).address if peers else me, 1, 0, 0, 4, 336)
    # Scans: rejected SSH/RDP attempts from internet addresses.
    for scanner in SCANNERS:
        if rng.random() < 0.15:
            port = rng.choice((22, 22, 3389))
            window.add(scanner, me, 6, rng.randint(1024, 65535), port, rng.randint(1, 3), rng.randint(40, 180),
                       action="REJECT", direction="ingress")


def _dash_record(status, start, end):
    return {"log-status": status, "start": str(start), "end": str(end)}


def _render(fields, values, common):
    version = str(record_version(fields))
    merged = dict(common)
    merged.update(values)
    merged["version"] = version
    return " ".join(str(merged.get(field, "-")) for field in fields), merged


def _records_for_flow_log(ec2, flow_log, account, region, start, minutes, seed):
    resource_id = flow_log["ResourceId"]
    vpc_id = _vpc_of(ec2, resource_id)
    if vpc_id is None:
        return []
    vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    network = ipaddress.ip_network(vpc["CidrBlock"])
    interfaces = _interfaces(ec2, resource_id, vpc_id, network)
    if not interfaces:
        return []
    log_format = flow_log.get("LogFormat") or DEFAULT_LOG_FORMAT
    fields = fields_of_format(log_format)
    interval = int(flow_log.get("MaxAggregationInterval") or 600)
    traffic_type = (flow_log.get("TrafficType") or "ALL").upper()
    onprem = _onprem_network(network)
    records = []
    for index, interface in enumerate(interfaces):
        rng = random.Random("{0}:{1}:{2}:{3}:{4}".format(seed, account, region, flow_log["FlowLogId"],
                                                         interface.eni_id))
        role = "nat" if index == 0 and len(interfaces) >= 3 else "heavy" if index in (1, 2) else "normal"
        peers = [other for other in interfaces if other is not interface and other is not interfaces[0]] or \
            [other for other in interfaces if other is not interface]
        common = {"account-id": account, "interface-id": interface.eni_id, "vpc-id": vpc_id,
                  "subnet-id": interface.subnet_id, "instance-id": interface.instance_id, "type": "IPv4",
                  "region": region, "az-id": "use1-az1" if region == "us-east-1" else region[:2] + "-az1",
                  "interface-type": "nat_gateway" if role == "nat" else "interface"}
        stream = "{0}-{1}".format(interface.eni_id, traffic_type.lower())
        for window_index in range(max(1, minutes * 60 // interval)):
            window_start = start + window_index * interval
            window = _Window(rng, window_start, interval)
            idle = role == "normal" and rng.random() < 0.25
            if rng.random() < 0.02:
                flows = [_dash_record("SKIPDATA", window_start, window_start + interval - 1)]
            elif idle:
                flows = [_dash_record("NODATA", window_start, window_start + interval - 1)]
            else:
                _traffic_for_window(rng, window, interface, role, peers, network, onprem, window_index)
                flows = [flow for flow in window.flows
                         if not is_unlogged(flow["srcaddr"], flow["dstaddr"], int(flow["protocol"]),
                                            int(flow["srcport"]), int(flow["dstport"]), network)
                         and (traffic_type == "ALL" or flow["action"] == traffic_type)]
            for flow in flows:
                message, values = _render(fields, flow, common)
                records.append({"account": account, "region": region, "log_group": flow_log.get("LogGroupName"),
                                "log_stream": stream, "timestamp": int(flow["start"]) * 1000,
                                "message": message, "fields": dict((f, values.get(f, "-")) for f in fields)})
    return records


def _put(logs, group, stream, records):
    try:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    events = sorted(({"timestamp": r["timestamp"], "message": r["message"]} for r in records),
                    key=lambda e: e["timestamp"])
    batch, size = [], 0
    for event in events:
        event_size = len(event["message"].encode("utf-8")) + EVENT_OVERHEAD_BYTES
        if batch and (len(batch) >= MAX_BATCH_EVENTS or size + event_size > MAX_BATCH_BYTES
                      or event["timestamp"] - batch[0]["timestamp"] > MAX_BATCH_SPAN_MS):
            logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=batch)
            batch, size = [], 0
        batch.append(event)
        size += event_size
    if batch:
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=batch)


def synthesize(target, accounts=(DEFAULT_ACCOUNT,), regions=(DEFAULT_REGION,), start=None, minutes=60, seed=7):
    """Write synthesized records for every flow log whose delivery works; return them.

    CloudWatch Logs destinations get one stream per interface (chronological per stream); S3
    destinations get log files (``write_s3_objects``). A flow log DescribeFlowLogs reports as
    ``DeliverLogsStatus: FAILED`` gets nothing, as on AWS; a working flow log whose group is
    missing gets it created, as the service does with logs:CreateLogGroup.
    ``target``: a LocalAws (its clients) or an endpoint URL (credentials from the environment;
    other accounts through the test admin role). ``start``: epoch seconds (aligned down to the
    minute), default ``minutes`` before now.
    """
    if start is None:
        start = int(time.time()) - minutes * 60
    start = int(start) - int(start) % 60
    written = []
    for account in accounts:
        for region in regions:
            ec2, logs, s3 = _clients(target, account, region, ("ec2", "logs", "s3"))
            existing = set()
            for page in logs.get_paginator("describe_log_groups").paginate():
                existing.update(group["logGroupName"] for group in page["logGroups"])
            flow_logs = [fl for page in ec2.get_paginator("describe_flow_logs").paginate() for fl in page["FlowLogs"]]
            for flow_log in sorted(flow_logs, key=lambda f: f["FlowLogId"]):
                if flow_log.get("DeliverLogsStatus", "SUCCESS") != "SUCCESS":
                    continue  # AWS reports the failure and delivers nothing
                destination_type = flow_log.get("LogDestinationType", "cloud-watch-logs")
                if destination_type not in ("cloud-watch-logs", "s3"):
                    continue
                records = _records_for_flow_log(ec2, flow_log, account, region, start, minutes, seed)
                if destination_type == "s3":
                    write_s3_objects(s3, flow_log, account, region, records)
                    written.extend(records)
                    continue
                if flow_log["LogGroupName"] not in existing:
                    logs.create_log_group(logGroupName=flow_log["LogGroupName"])
                    existing.add(flow_log["LogGroupName"])
                by_stream = {}
                for record in records:
                    by_stream.setdefault(record["log_stream"], []).append(record)
                for stream, stream_records in by_stream.items():
                    stream_records.sort(key=lambda r: r["timestamp"])
                    _put(logs, flow_log["LogGroupName"], stream, stream_records)
                    written.extend(stream_records)
    return written


S3_FILE_SECONDS = 300  # "publishes the log files to the Amazon S3 bucket at 5-minute intervals"
_PARQUET_INTEGER_FIELDS = frozenset(("version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end",
                                     "tcp-flags", "traffic-path", "ecs-container-instance-arn-count"))


def s3_object_key(flow_log, account, region, file_start, digest):
    """The object key AWS gives a flow-log file (VPC user guide, "Flow log files", flow-logs-s3-path.html).

    ``bucket-and-optional-prefix/AWSLogs/account_id/vpcflowlogs/region/year/month/day/[hour/]``
    (Hive-compatible: ``aws-account-id=.../aws-service=vpcflowlogs/aws-region=.../year=.../``),
    file name ``aws_account_id_vpcflowlogs_region_flow_log_id_YYYYMMDDTHHmmZ_hash.log.gz``
    (``.log.parquet`` for Parquet).
    """
    options = flow_log.get("DestinationOptions") or {}
    when = datetime.datetime.fromtimestamp(file_start, tz=datetime.timezone.utc)
    prefix = flow_log["LogDestination"].partition(":::")[2].partition("/")[2].strip("/")
    if options.get("HiveCompatiblePartitions"):
        parts = ["AWSLogs", "aws-account-id=" + account, "aws-service=vpcflowlogs", "aws-region=" + region,
                 when.strftime("year=%Y"), when.strftime("month=%m"), when.strftime("day=%d")]
        if options.get("PerHourPartition"):
            parts.append(when.strftime("hour=%H"))
    else:
        parts = ["AWSLogs", account, "vpcflowlogs", region] + when.strftime("%Y/%m/%d").split("/")
        if options.get("PerHourPartition"):
            parts.append(when.strftime("%H"))
    extension = ".log.parquet" if options.get("FileFormat") == "parquet" else ".log.gz"
    name = "{0}_vpcflowlogs_{1}_{2}_{3}_{4}{5}".format(account, region, flow_log["FlowLogId"],
                                                       when.strftime("%Y%m%dT%H%MZ"), digest, extension)
    return "/".join(([prefix] if prefix else []) + parts + [name])


def _file_body(records, fields, parquet):
    if not parquet:
        lines = [" ".join(fields)] + [r["message"] for r in records]  # the header line names the fields
        return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    import pyarrow
    import pyarrow.parquet

    columns = {}
    for field in fields:
        values = [r["fields"].get(field, "-") for r in records]
        values = [None if v == "-" else v for v in values]
        if field in _PARQUET_INTEGER_FIELDS:
            columns[field.replace("-", "_")] = pyarrow.array([None if v is None else int(v) for v in values],
                                                             type=pyarrow.int64())
        else:
            columns[field.replace("-", "_")] = pyarrow.array(values, type=pyarrow.string())
    sink = io.BytesIO()
    pyarrow.parquet.write_table(pyarrow.table(columns), sink, compression="gzip")
    return sink.getvalue()


def write_s3_objects(s3, flow_log, account, region, records):
    """Put the records into the flow log's bucket as AWS lays them out: one file per 5 minutes."""
    if not records:
        return []
    fields = list(records[0]["fields"])
    parquet = (flow_log.get("DestinationOptions") or {}).get("FileFormat") == "parquet"
    bucket = flow_log["LogDestination"].partition(":::")[2].partition("/")[0]
    by_file = {}
    for record in sorted(records, key=lambda r: r["timestamp"]):
        file_start = record["timestamp"] // 1000 // S3_FILE_SECONDS * S3_FILE_SECONDS
        by_file.setdefault(file_start, []).append(record)
    keys = []
    for file_start, file_records in sorted(by_file.items()):
        digest = hashlib.sha256("{0}:{1}".format(flow_log["FlowLogId"], file_start).encode()).hexdigest()[:8]
        key = s3_object_key(flow_log, account, region, file_start, digest)
        s3.put_object(Bucket=bucket, Key=key, Body=_file_body(file_records, fields, parquet))
        for record in file_records:
            record["s3_key"] = key
        keys.append(key)
    return keys


DELIVERY_ROLE = "flow-logs-delivery"


def delivery_role(target, account=DEFAULT_ACCOUNT):
    """The ARN of a role VPC Flow Logs can deliver through (created once per account).

    Trust and permissions as the VPC user guide's "IAM role for publishing flow logs to
    CloudWatch Logs" gives them, so the local AWS reports its flow logs' delivery as SUCCESS.
    """
    (iam,) = _clients(target, account, DEFAULT_REGION, ("iam",))
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": account},
                      "ArnLike": {"aws:SourceArn": "arn:aws:ec2:*:{0}:vpc-flow-log/*".format(account)}}}]}
    permissions = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Resource": "*",
        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups",
                   "logs:DescribeLogStreams"]}]}
    try:
        return iam.get_role(RoleName=DELIVERY_ROLE)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        arn = iam.create_role(RoleName=DELIVERY_ROLE, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        iam.put_role_policy(RoleName=DELIVERY_ROLE, PolicyName="flow-logs-delivery",
                            PolicyDocument=json.dumps(permissions))
        return arn


def build_network(target, account=DEFAULT_ACCOUNT, region=DEFAULT_REGION, vpc_cidr="10.0.0.0/16", interfaces=5,
                  log_group="/netobs/flow-logs", log_format=None, interval=60, traffic_type="ALL"):
    """A VPC with a subnet, ``interfaces`` ENIs, a log group and a flow log delivering to it.

    For tests and demos that need traffic to synthesize; returns ids and addresses.
    """
    ec2, logs = _clients(target, account, region)
    vpc_id = ec2.create_vpc(CidrBlock=vpc_cidr)["Vpc"]["VpcId"]
    network = ipaddress.ip_network(vpc_cidr)
    subnet_cidr = str(list(network.subnets(new_prefix=max(network.prefixlen, 24)))[0])
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock=subnet_cidr)["Subnet"]["SubnetId"]
    enis = [ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"] for _index in range(interfaces)]
    try:
        logs.create_log_group(logGroupName=log_group)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    kwargs = dict(ResourceType="VPC", ResourceIds=[vpc_id], TrafficType=traffic_type, LogGroupName=log_group,
                  DeliverLogsPermissionArn=delivery_role(target, account),
                  MaxAggregationInterval=interval)
    if log_format:
        kwargs["LogFormat"] = log_format
    flow_log_id = ec2.create_flow_logs(**kwargs)["FlowLogIds"][0]
    return dict(vpc_id=vpc_id, vpc_cidr=vpc_cidr, subnet_id=subnet_id, flow_log_id=flow_log_id, log_group=log_group,
                interfaces=[(e["NetworkInterfaceId"], e["PrivateIpAddress"]) for e in enis])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m local_aws.traffic", description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="the local AWS endpoint URL")
    parser.add_argument("--accounts", nargs="+", default=[DEFAULT_ACCOUNT])
    parser.add_argument("--regions", nargs="+", default=[DEFAULT_REGION])
    parser.add_argument("--start", help="ISO 8601 (UTC) or epoch seconds; default: --minutes before now")
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--summary", action="store_true", help="print a JSON summary instead of a line")
    args = parser.parse_args(argv)
    start = None
    if args.start:
        start = int(args.start) if args.start.isdigit() else int(
            datetime.datetime.fromisoformat(args.start.replace("Z", "+00:00")).replace(
                tzinfo=datetime.timezone.utc).timestamp())
    records = synthesize(args.endpoint, args.accounts, args.regions, start, args.minutes, args.seed)
    groups = sorted({r["log_group"] for r in records})
    streams = len({(r["log_group"], r["log_stream"]) for r in records})
    if args.summary:
        print(json.dumps({"records": len(records), "log_groups": groups, "streams": streams}))
    else:
        print("wrote {0} flow-log records to {1} streams in {2}".format(len(records), streams, ", ".join(groups)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
