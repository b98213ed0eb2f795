"""EC2 DescribeRegions: the calling account's enabled Regions, as AWS answers.

AWS (API_DescribeRegions, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html):
"Describes the Regions that are enabled for your account, or all Regions". ``AllRegions``:
"Indicates whether to display all Regions, including Regions that are disabled for your
account". ``RegionNames``: "You can specify any Regions, whether they are enabled and disabled
for your account". Filters ``endpoint``, ``opt-in-status`` (``opt-in-not-required`` |
``opted-in`` | ``not-opted-in``, the values of API_Region's ``OptInStatus``) and ``region-name``.

Which Regions are enabled ("Enable or disable AWS Regions in your account", AWS Account
Management Reference Guide, https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html):
"Regions launched before March 20, 2019 are enabled by default ... Default Regions cannot be
enabled or disabled"; Regions launched after are opt-in Regions, disabled until the account
enables them. And ("AWS Regions", https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html)
"You can't describe or access the Regions of one type of account from another": an answer holds
the Regions of the caller's partition only.

moto 5.2.5 ignores ``AllRegions`` and the filters, answers the Regions of every partition
(GovCloud and China in a commercial account's list), has no per-account opt-in, and calls
af-south-1, ap-southeast-3 and eu-south-1 (opt-in Regions) ``opt-in-not-required``.

Here: the default Regions below are ``opt-in-not-required``; every other Region of the ``aws``
partition is ``not-opted-in`` until ``enable_region(account, region)`` makes it ``opted-in`` for
that account (``LocalAws.enable_region``: moto has no Account ``EnableRegion``, so that call
itself is not emulated). The ``aws-us-gov`` and ``aws-cn`` partitions have no opt-in Regions.
"""

from moto.account.models import account_backends
from moto.core.responses import ActionResult
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend
from moto.ec2.responses import EC2Response
from moto.utilities.utils import get_partition

# The 17 Regions launched before March 20, 2019 (the AWS Regions page marks them "Not required").
DEFAULT_REGIONS = frozenset((
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1",
    "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
))
ENABLED_STATUSES = ("opt-in-not-required", "opted-in")


def _partition_of_endpoint(endpoint):
    return "aws-cn" if endpoint.endswith(".amazonaws.com.cn") else (
        "aws-us-gov" if ".us-gov-" in endpoint else "aws")


def _opted_in(account_id, partition="aws"):
    backend = account_backends[account_id][partition]
    return backend.__dict__.setdefault("_netobs_opted_in_regions", set())


def enable_region(account_id, region, enabled=True):
    """Opt ``account_id`` in to (or out of) an opt-in Region of the ``aws`` partition."""
    if region in DEFAULT_REGIONS:
        raise ValueError("{0} is a default Region: it cannot be enabled or disabled".format(region))
    if region not in [r.name for r in RegionsAndZonesBackend.regions if _partition_of_endpoint(r.endpoint) == "aws"]:
        raise ValueError("{0} is not a Region of the aws partition".format(region))
    regions = _opted_in(account_id)
    (regions.add if enabled else regions.discard)(region)


def _status(account_id, partition, region):
    if partition != "aws" or region in DEFAULT_REGIONS:
        return "opt-in-not-required"
    return "opted-in" if region in _opted_in(account_id) else "not-opted-in"


def describe_regions(self):
    self.error_on_dryrun()
    partition = get_partition(self.region)
    names = self._get_param("RegionNames", [])
    all_regions = str(self._get_param("AllRegions", "false")).lower() == "true"
    filters = self._filters_from_querystring() or {}
    regions = []
    for region in RegionsAndZonesBackend.regions:
        if _partition_of_endpoint(region.endpoint) != partition:
            continue
        item = dict(RegionName=region.name, Endpoint=region.endpoint,
                    OptInStatus=_status(self.current_account, partition, region.name))
        if names:
            if region.name not in names:
                continue
        elif not all_regions and item["OptInStatus"] not in ENABLED_STATUSES:
            continue
        values = dict(endpoint=item["Endpoint"], **{"opt-in-status": item["OptInStatus"],
                                                    "region-name": item["RegionName"]})
        if any(key in values and values[key] not in wanted for key, wanted in filters.items()):
            continue
        regions.append(item)
    return ActionResult({"Regions": regions})


def _defining_class(name):
    return next(klass for klass in EC2Response.__mro__ if name in klass.__dict__)


def apply():
    klass = _defining_class("describe_regions")
    describe_regions.__wrapped__ = klass.__dict__["describe_regions"]
    klass.describe_regions = describe_regions
