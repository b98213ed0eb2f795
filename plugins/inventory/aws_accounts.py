# -*- coding: utf-8 -*-
# Copyright: netobs.flowlogs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: aws_accounts
short_description: Fleet targets (one host per AWS account and region) from AWS Organizations
version_added: 0.1.0
description:
  - Reads the ACTIVE accounts of an AWS Organization (all of them, or those under chosen organizational
    units, optionally filtered by account id and account tags) and makes one inventory host per
    account and region.
  - Each host carries what this collection's roles need to act in that account and region -
    C(aws_account_id), C(aws_region), C(assume_role_arn) (built from O(assume_role_name)) and
    C(ansible_connection=local) - so C(ansible-playbook netobs.flowlogs.enable_flowlogs -i fleet.aws_accounts.yml)
    runs every account and region in parallel, C(forks) at a time.
  - Hosts are grouped by region (C(region_<region>)), by organizational unit (C(ou_<name>), nested as the
    OUs are) and by account (C(account_<id>)); C(keyed_groups), C(groups) and C(compose) add more.
  - The organization is read with the credentials below, which must be allowed C(organizations:List*)
    in the management account or a delegated administrator account; O(assume_role_arn) assumes a
    role there first.
  - The configuration file name must end with C(.aws_accounts.yml) or C(.aws_accounts.yaml).
author:
  - netobs.flowlogs contributors (@netobs)
extends_documentation_fragment:
  - inventory_cache
  - constructed
  - netobs.flowlogs.aws.inventory
options:
  plugin:
    description: The name of this plugin; it makes the file an C(aws_accounts) inventory source.
    required: true
    type: str
    choices: [netobs.flowlogs.aws_accounts]
  regions:
    description:
      - The regions to target in every account; each account makes one host per region.
      - V(all) (alone, as a string or a one-item list) targets each account's enabled regions - its
        default regions (C(OptInStatus) V(opt-in-not-required)) and the opt-in regions it enabled
        (V(opted-in)), never the V(not-opted-in) ones - read with EC2 C(DescribeRegions) (C(AllRegions=true))
        in that account, through the role its hosts are reached through (C(assume_role_arn) from
        O(assume_role_name), with O(target_external_id)) and the base credentials of this source
        (everything below but O(assume_role_arn), which only reads the organization). That costs one
        C(sts:AssumeRole) and one C(ec2:DescribeRegions) per account, made in O(region) (default the
        partition's first region, V(us-east-1) in V(aws)); the assumed role needs C(ec2:DescribeRegions).
      - An account whose regions cannot be read fails the inventory, naming the account.
    required: true
    type: list
    elements: str
  exclude_regions:
    description:
      - Regions never targeted, whatever O(regions) says - for example regions an organization's SCP
        keeps closed, with O(regions=all).
    type: list
    elements: str
    default: []
  ou_ids:
    description:
      - Only accounts under these organizational units (C(ou-...)) or roots (C(r-...)).
      - Default is the whole organization.
    type: list
    elements: str
    default: []
  ou_recursive:
    description:
      - Also take the accounts of the child OUs of O(ou_ids), at any depth.
    type: bool
    default: true
  account_ids:
    description:
      - Only these account ids (after the OU filter). Default is every ACTIVE account found.
    type: list
    elements: str
    default: []
  exclude_account_ids:
    description:
      - Never these account ids; for example the management account, which has no
        C(OrganizationAccountAccessRole).
    type: list
    elements: str
    default: []
  account_tags:
    description:
      - Only accounts carrying every one of these tags. A value of V(null) (or V(*)) matches any value of
        that key.
      - Costs one C(ListTagsForResource) call per account; the tags are then also in the
        C(aws_account_tags) host variable.
    type: dict
    default: {}
  fetch_account_tags:
    description:
      - Read every account's tags into C(aws_account_tags) even without an O(account_tags) filter
        (one C(ListTagsForResource) call per account), for C(keyed_groups) or C(compose).
    type: bool
    default: false
  group_by_ou:
    description:
      - Group hosts by organizational unit. Walks the OU tree (C(ListOrganizationalUnitsForParent) and
        C(ListAccountsForParent), two paginated calls per OU) instead of one paginated C(ListAccounts).
    type: bool
    default: true
  assume_role_name:
    description:
      - The role each target is reached through; the host's C(assume_role_arn) is
        C(arn:<partition>:iam::<account id>:role/<this>).
      - May contain C({account_id}) and C({account_name}).
    type: str
    default: OrganizationAccountAccessRole
  target_external_id:
    description:
      - The external id the targets' role trust policies require; set as every host's
        C(assume_role_external_id).
    type: str
  python_interpreter:
    description:
      - The C(ansible_python_interpreter) of every host. The targets run modules on the controller
        (C(connection=local)), so when unset it is C(ansible_playbook_python), the Python running
        ansible-playbook, which has boto3.
    type: str
  hostname_format:
    description:
      - How a host is named, from C({account_id}), C({account_name}) and C({region}).
    type: str
    default: "{account_id}-{region}"
  region:
    description:
      - The region the Organizations and STS clients use; Organizations is a global service, so this
        matters only for partitions other than C(aws).
  assume_role_arn:
    description:
      - Assume this role before reading the organization, for example a read-only role in the management
        account. Unrelated to the targets' C(assume_role_arn) host variable.
    env: []
notes:
  - Only accounts whose status is C(ACTIVE) become hosts; suspended and pending-closure accounts are skipped.
  - With O(cache=true) the organization's account list (not the hosts) is cached, so changing
    O(regions) or O(hostname_format) takes effect without a refresh; C(ansible-inventory --flush-cache)
    reads the organization again. With O(regions=all) each account's enabled regions are cached with
    it (read once, the first time V(all) is used); an account that enables a region later needs
    C(--flush-cache) to gain its host.
"""

EXAMPLES = r"""
---
# fleet.aws_accounts.yml - every ACTIVE account of the organization, in two regions
plugin: netobs.flowlogs.aws_accounts
regions: [us-east-1, eu-west-1]
exclude_account_ids: ["111111111111"]   # the management account

---
# everywhere.aws_accounts.yml - every ACTIVE account, in every region it has enabled
plugin: netobs.flowlogs.aws_accounts
regions: all
exclude_account_ids: ["111111111111"]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/netobs-flowlogs-inventory

---
# prod.aws_accounts.yml - production OUs only, accounts tagged flowlogs=enabled, a custom role
plugin: netobs.flowlogs.aws_accounts
regions: [eu-central-1]
ou_ids: [ou-ab12-prod0001]
account_tags: {flowlogs: enabled}
assume_role_name: netobs-flowlogs-deployer
target_external_id: "{{ lookup('env', 'FLOWLOGS_EXTERNAL_ID') }}"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/netobs-flowlogs-inventory
cache_timeout: 3600
keyed_groups:
  - key: aws_account_tags.environment | default('none')
    prefix: env
"""

import re
from concurrent.futures import ThreadPoolExecutor

from ansible.errors import AnsibleError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates inventory strings without a trust mark

    def trust_as_template(value):
        return value

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError, AwsSession, check_botocore_version
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    ACCOUNT_ID_PATTERN,
    REGION_PATTERN,
    ENABLED_REGION_OPT_IN_STATUSES,
    PARTITION_HOME_REGIONS,
)
from ansible_collections.netobs.flowlogs.plugins.plugin_utils.connection import (
    connection_options,
    session_for_plugin,
)

ALL_REGIONS = "all"
# Accounts whose regions are read at the same time (each an AssumeRole and a DescribeRegions).
REGION_READERS = 8

_UNSAFE_GROUP_CHARS = re.compile(r"[^A-Za-z0-9_]")


def group_name(prefix, text):
    """A group name Ansible accepts without a warning: letters, digits and underscores."""
    return "{0}_{1}".format(prefix, _UNSAFE_GROUP_CHARS.sub("_", text).strip("_").lower())


def partition_of(arn, default="aws"):
    parts = (arn or "").split(":")
    return parts[1] if len(parts) > 1 and parts[0] == "arn" and parts[1] else default


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "netobs.flowlogs.aws_accounts"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(
            (".aws_accounts.yml", ".aws_accounts.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        self._read_config_data(path)
        self._check_options()

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        accounts = None
        if use_cache:
            try:
                accounts = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if accounts is None:
            accounts = self._read_organization()
        if self._all_regions() and any("enabled_regions" not in a for a in accounts):
            # New dicts, not the cached ones changed in place: the cache writes only what differs from what it read.
            accounts = [dict(a) for a in accounts]
            self._read_enabled_regions([a for a in accounts if "enabled_regions" not in a])
            update_cache = self.get_option("cache")
        if update_cache:
            self._cache[cache_key] = accounts
        self._populate(accounts)

    # -- options ------------------------------------------------------------------------------
    def _check_options(self):
        regions = self.get_option("regions")
        if not regions:
            raise AnsibleError("aws_accounts: 'regions' must name at least one region, or be 'all'")
        if ALL_REGIONS in regions and len(regions) > 1:
            raise AnsibleError("aws_accounts: regions 'all' (each account's enabled regions) stands alone, "
                               "got {0}".format(", ".join(regions)))
        named = [] if ALL_REGIONS in regions else list(regions)
        for option, values in (("regions", named), ("exclude_regions", self.get_option("exclude_regions"))):
            bad = [r for r in values if not REGION_PATTERN.match(str(r))]
            if bad:
                raise AnsibleError("aws_accounts: {0} must be region names such as us-east-1, got {1}".format(
                    option, ", ".join(repr(r) for r in bad)))
        if named and not set(named) - set(self.get_option("exclude_regions")):
            raise AnsibleError("aws_accounts: exclude_regions leaves none of regions {0}".format(", ".join(named)))
        for option in ("account_ids", "exclude_account_ids"):
            bad = [a for a in self.get_option(option) if not ACCOUNT_ID_PATTERN.match(str(a))]
            if bad:
                raise AnsibleError("aws_accounts: {0} must be 12-digit account ids, got {1}".format(
                    option, ", ".join(repr(a) for a in bad)))
        bad_ous = [o for o in self.get_option("ou_ids") if not str(o).startswith(("ou-", "r-"))]
        if bad_ous:
            raise AnsibleError("aws_accounts: ou_ids must be OU ids (ou-...) or root ids (r-...), got {0}".format(
                ", ".join(repr(o) for o in bad_ous)))

    def _session(self):
        return session_for_plugin(self, AnsibleError, prefix="aws_accounts: ")

    def _all_regions(self):
        return self.get_option("regions") == [ALL_REGIONS]

    def _target_role_arn(self, account):
        role_name = self.get_option("assume_role_name").format(account_id=account["id"], account_name=account["name"])
        return "arn:{0}:iam::{1}:role/{2}".format(partition_of(account["arn"]), account["id"], role_name)

    # -- regions: all -------------------------------------------------------------------------
    def _read_enabled_regions(self, accounts):
        """Set each account's ``enabled_regions`` from DescribeRegions in the account (as its hosts act)."""
        base = connection_options(self)
        base.pop("assume_role_arn", None)  # that role reads the organization; the targets are reached directly
        message = check_botocore_version()
        if message:
            raise AnsibleError("aws_accounts: " + message)

        def read(account):
            options = dict(base, assume_role_arn=self._target_role_arn(account),
                           assume_role_external_id=self.get_option("target_external_id"),
                           region=base.get("region") or PARTITION_HOME_REGIONS.get(partition_of(account["arn"])))
            try:
                if not options["region"]:
                    raise ValueError("set the region option to a region of partition {0}".format(
                        partition_of(account["arn"])))
                session = AwsSession.from_options(options)
                answer = session.call("ec2", "describe_regions", AllRegions=True)
            except (AwsApiError, ValueError) as exc:
                return account, None, exc
            names = sorted(r["RegionName"] for r in answer.get("Regions", [])
                           if r.get("OptInStatus") in ENABLED_REGION_OPT_IN_STATUSES)
            return account, names, None

        with ThreadPoolExecutor(max_workers=min(REGION_READERS, len(accounts))) as pool:
            results = list(pool.map(read, accounts))
        failures = []
        for account, names, error in results:
            if error is not None:
                failures.append("account {0} ({1}) through {2}: {3}".format(
                    account["id"], account["name"], self._target_role_arn(account), error))
            else:
                account["enabled_regions"] = names
        if failures:
            raise AnsibleError("aws_accounts: regions 'all': could not read the enabled regions (EC2 DescribeRegions) "
                               "of {0}".format("; ".join(failures)))

    # -- reading the organization -------------------------------------------------------------
    def _read_organization(self):
        """ACTIVE accounts as dicts: id, name, arn, ou_path ([{id, name}] root first), tags."""
        session = self._session()
        try:
            if self.get_option("group_by_ou") or self.get_option("ou_ids"):
                accounts = self._walk_tree(session)
            else:
                listed = session.paginate("organizations", "list_accounts", "Accounts")
                accounts = [self._account(a, []) for a in listed]
            accounts = [a for a in accounts if a["status"] == "ACTIVE"]
            wanted = set(self.get_option("account_ids"))
            excluded = set(self.get_option("exclude_account_ids"))
            accounts = [a for a in accounts
                        if (not wanted or a["id"] in wanted) and a["id"] not in excluded]
            tag_filter = self.get_option("account_tags")
            if tag_filter or self.get_option("fetch_account_tags"):
                for account in accounts:
                    tags = session.paginate("organizations", "list_tags_for_resource", "Tags", ResourceId=account["id"])
                    account["tags"] = dict((t["Key"], t["Value"]) for t in tags)
                accounts = [a for a in accounts if self._tags_match(a["tags"], tag_filter)]
        except AwsApiError as exc:
            raise AnsibleError("aws_accounts: could not read the organization: {0}".format(exc))
        return sorted(accounts, key=lambda a: a["id"])

    def _walk_tree(self, session):
        starts = self.get_option("ou_ids")
        if starts:
            parents = [dict(id=ou_id, name=self._ou_name(session, ou_id)) for ou_id in starts]
        else:
            parents = [dict(id=r["Id"], name=r.get("Name") or "Root")
                       for r in session.paginate("organizations", "list_roots", "Roots")]
        recursive = self.get_option("ou_recursive") or not starts
        accounts = {}
        pending = [[parent] for parent in parents]
        while pending:
            path = pending.pop(0)
            parent_id = path[-1]["id"]
            for item in session.paginate("organizations", "list_accounts_for_parent", "Accounts", ParentId=parent_id):
                accounts.setdefault(item["Id"], self._account(item, path))
            if recursive:
                for child in session.paginate("organizations", "list_organizational_units_for_parent",
                                              "OrganizationalUnits", ParentId=parent_id):
                    pending.append(path + [dict(id=child["Id"], name=child.get("Name") or child["Id"])])
        return list(accounts.values())

    @staticmethod
    def _ou_name(session, ou_id):
        if ou_id.startswith("r-"):
            return "Root"
        return session.call("organizations", "describe_organizational_unit",
                            OrganizationalUnitId=ou_id)["OrganizationalUnit"].get("Name") or ou_id

    @staticmethod
    def _account(item, path):
        # Newer API responses carry State (ACTIVE, SUSPENDED, PENDING_CLOSURE, ...) beside Status.
        status = item.get("State") or item.get("Status") or "ACTIVE"
        return dict(id=item["Id"], name=item.get("Name") or item["Id"], arn=item.get("Arn", ""),
                    status=status, ou_path=list(path), tags={})

    @staticmethod
    def _tags_match(tags, wanted):
        for key, value in (wanted or {}).items():
            if key not in tags:
                return False
            if value not in (None, "*") and tags[key] != str(value):
                return False
        return True

    # -- hosts and groups ---------------------------------------------------------------------
    def _populate(self, accounts):
        strict = self.get_option("strict")
        external_id = self.get_option("target_external_id")
        # Templated when the host is used (our own text, so trusted; the AWS data stays untrusted):
        # the controller's Python is the one with boto3.
        interpreter = self.get_option("python_interpreter") or trust_as_template("{{ ansible_playbook_python }}")
        for account in accounts:
            partition = partition_of(account["arn"])
            ou_groups = self._ou_groups(account["ou_path"])
            regions = account["enabled_regions"] if self._all_regions() else self.get_option("regions")
            excluded = self.get_option("exclude_regions")
            for region in [r for r in regions if r not in excluded]:
                host = self.get_option("hostname_format").format(
                    account_id=account["id"], account_name=account["name"], region=region)
                self.inventory.add_host(host)
                hostvars = dict(
                    aws_account_id=account["id"],
                    aws_account_name=account["name"],
                    aws_account_tags=account["tags"],
                    aws_partition=partition,
                    aws_region=region,
                    aws_ou_id=account["ou_path"][-1]["id"] if account["ou_path"] else None,
                    aws_ou_path="/".join(ou["name"] for ou in account["ou_path"]),
                    assume_role_arn=self._target_role_arn(account),
                    ansible_connection="local",
                    ansible_python_interpreter=interpreter,
                )
                if external_id:
                    hostvars["assume_role_external_id"] = external_id
                for name, value in hostvars.items():
                    self.inventory.set_variable(host, name, value)
                for group in [group_name("region", region), group_name("account", account["id"])] + ou_groups[-1:]:
                    self.inventory.add_group(group)
                    self.inventory.add_child(group, host)
                self._set_composite_vars(self.get_option("compose"), hostvars, host, strict=strict)
                self._add_host_to_composed_groups(self.get_option("groups"), hostvars, host, strict=strict)
                self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, host, strict=strict)

    def _ou_groups(self, ou_path):
        """One group per OU on the path, each a child of its parent's group (roots make no group)."""
        groups = []
        for ou in ou_path:
            if ou["id"].startswith("r-"):
                continue
            name = group_name("ou", ou["name"])
            self.inventory.add_group(name)
            if groups:
                self.inventory.add_child(groups[-1], name)
            groups.append(name)
        return groups
